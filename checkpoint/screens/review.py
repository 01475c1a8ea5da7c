"""The shift leader's review (复核): the log for a day, a shift or a date range, found by one search
box, narrowed by filter keys, read one entry at a time, corrected, flagged, and signed off.

The table reads only the rows on screen (widgets.paged_table), so a year of entries scrolls as
fast as a day; over a long range the count, the figures and the chart come from a thread, after
the list's first page (screens/review_list.py).
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static

from checkpoint.domain.date_range import parse_date_range
from checkpoint.screens.review_entry import EntryActions
from checkpoint.screens.review_list import ListLoading
from checkpoint.domain.policy import DISPOSITIONS
from checkpoint.errors import CheckpointError, InputError
from checkpoint.i18n import t
from checkpoint.services import ledger, review
from checkpoint.services.accounts import list_staff
from checkpoint.services.review import Filters, Scope
from checkpoint.themes import ink
from checkpoint.widgets.day_chart import DayChart
from checkpoint.widgets.paged_table import Column, PagedTable, Row
from checkpoint.widgets.key_footer import KeyFooter
from checkpoint.widgets.background_error import unexpected

class ReviewScreen(ListLoading, EntryActions, Screen):
    HELP_TOPIC = "review"
    # for the command palette: what a read-only viewer (duty staff) is not offered
    ACTION_NEEDS = {"amend": "entry.amend", "flag": "entry.flag", "unmask": "entry.unmask",
                    "sign_off": "day.signoff", "audit": "audit.read", "export": "export.day"}
    BINDINGS = [
        Binding("escape", "back", t("review.key_close")),
        Binding("slash,ctrl+f", "search", t("review.key_search")),
        Binding("t", "dates", t("review.key_day")),
        Binding("left", "day(-1)", t("review.key_prev"), show=False),
        Binding("right", "day(1)", t("review.key_next"), show=False),
        Binding("e", "amend", t("review.key_amend")),
        Binding("f", "flag", t("footer.key_flag")),
        Binding("u", "unmask", t("review.key_unmask"), show=False),
        Binding("g", "sign_off", t("review.key_signoff")),
        Binding("w", "audit", t("review.key_audit"), show=False),
        Binding("x", "export", t("export.key_export")),
        Binding("d", "cycle('direction')", show=False),
        Binding("s", "cycle('disposition')", show=False),
        Binding("r", "toggle('fever')", show=False),
        Binding("k", "toggle('key_area')", show=False),
        Binding("v", "toggle('vehicle_flags')", show=False),
        Binding("a", "toggle('amended')", show=False),
        Binding("l", "toggle('flagged')", show=False),
        Binding("m", "cycle('staff_id')", show=False),
        Binding("h", "cycle_shift", show=False),
        Binding("c", "clear_filters", t("review.key_clear_filters"), show=False),
    ]

    def __init__(self, day: str | None = None) -> None:
        super().__init__()
        self.scope: Scope | None = Scope(day, day) if day else None
        self.filters = Filters()
        self.text = ""
        self.total: int | None = 0   # None while a thread counts
        self.log_query = None
        self.head = review.Head([], True)

    def compose(self) -> ComposeResult:
        yield Static("", id="review-top", markup=False)
        yield Input(placeholder=t("review.search_hint"), id="review-search", compact=True, max_length=200)
        yield Static("", id="review-filters", markup=False)
        yield DayChart(id="review-chart")
        yield PagedTable(self._columns(), id="review-log")
        yield KeyFooter()

    def _columns(self) -> list[Column]:
        one_day = self.scope is None or self.scope.one_day
        return [Column("when", t("review.col_time"), 5 if one_day else 16, 10), Column("name", t("review.col_name"), 9, 10),
                Column("temp", t("review.col_temp"), 11, 9), Column("dir", t("review.col_dir"), 4, 8),
                Column("disposition", t("review.col_disposition"), 8, 9), Column("doc", t("review.col_doc"), 18, 7),
                Column("phone", t("review.col_phone"), 11, 6), Column("plate", t("review.col_plate"), 9, 5),
                Column("staff", t("review.col_staff"), 6, 2), Column("origin", t("review.col_origin"), 10, 1, True)]

    def on_mount(self) -> None:
        if self.scope is None:
            today = ledger.today(self.app.store, self.app.now())
            self.scope = Scope(today, today)
        self.staff = [(None, "")] + [(s["id"], s["name"]) for s in list_staff(self.app.store)]
        self.shifts: list[int | None] = [None]
        self.reload()
        self.query_one(PagedTable).focus()
        self.index_older()

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    # ---- loading: screens/review_list.py ---------------------------------------------------------
    def _row(self, line: review.Line) -> Row:
        name = Text(line.name)
        if line.amended:
            name.append(t("review.marker_amended") + ("!" if line.amended_after_signoff else ""), style=f"bold {ink(self.app, 'primary')}")
        if line.flagged:
            name.append(t("review.marker_flagged"), style=f"bold {ink(self.app, 'accent')}")
        temp = Text(line.temp + (" ⚠" if line.fever else ""), style=f"bold {ink(self.app, 'error')}" if line.fever else "")
        when = line.time if self.scope and self.scope.one_day else f"{line.day} {line.time}"
        style = "" if line.disposition_key == "release" else ink(self.app, "warning")
        return Row(line.id, {"when": when, "name": name, "temp": temp, "dir": line.direction,
                             "disposition": line.disposition, "doc": line.doc, "phone": line.phone,
                             "plate": line.plate, "staff": line.staff, "origin": line.origin}, style)

    def show_filters(self) -> None:
        active = self.filters.active()
        if self.filters.staff_id is not None:
            name = dict(self.staff).get(self.filters.staff_id, "")
            active = [a if a != t("review.filter_staff") else f"{t('review.col_staff')}:{name}" for a in active]
        if self.scope and self.scope.shift_id is not None:
            active.insert(0, self.scope.label())
        text = t("review.filters", list="，".join(active)) if active else t("review.no_filters")
        if not self.app.account or not self.app.account.may("entry.amend"):
            text += "　" + t("review.read_only")
        self.query_one("#review-filters", Static).update(text)

    @work(thread=True, exclusive=True, group="review-index", exit_on_error=False)
    def index_older(self) -> None:
        """Entries saved before the search index existed are indexed in the background."""
        try:
            with self.app.store.aside() as aside:   # it writes the index
                left = review.unindexed(aside)
                if left:
                    self.app.call_from_thread(self.notify, t("review.indexing", count=left), timeout=6)
                while left:
                    left = review.index_some(aside)
        except CheckpointError:
            return
        except Exception as exc:   # noqa: BLE001 — logged and said, not lost with the thread
            self.app.call_from_thread(self.notify, unexpected(exc, "search index"), severity="error", timeout=15)

    # ---- searching and filtering ---------------------------------------------------------------
    @on(Input.Changed, "#review-search")
    def _typed(self, event: Input.Changed) -> None:
        self.text = event.value
        self.reload()

    @on(Input.Submitted, "#review-search")
    def _searched(self, event: Input.Submitted) -> None:
        self.table.focus()

    def action_search(self) -> None:
        self.query_one("#review-search", Input).focus()

    def on_key(self, event) -> None:
        search = self.query_one("#review-search", Input)
        if search.has_focus and event.key in ("down", "escape"):
            event.stop()
            event.prevent_default()
            self.table.focus()

    def action_toggle(self, name: str) -> None:
        from dataclasses import replace

        self.filters = replace(self.filters, **{name: not getattr(self.filters, name)})
        self.reload()

    def action_cycle(self, name: str) -> None:
        from dataclasses import replace

        options: list = {"direction": ["", "in", "out"], "disposition": ["", *DISPOSITIONS],
                         "staff_id": [s[0] for s in self.staff]}[name]
        current = getattr(self.filters, name)
        nxt = options[(options.index(current) + 1) % len(options)] if current in options else options[0]
        self.filters = replace(self.filters, **{name: nxt})
        self.reload()

    def action_cycle_shift(self) -> None:
        assert self.scope is not None
        shifts = [None] + review.shift_ids_of(self.app.store, self.scope.day_from, self.scope.day_to)
        current = self.scope.shift_id
        nxt = shifts[(shifts.index(current) + 1) % len(shifts)] if current in shifts else None
        self.scope = Scope(self.scope.day_from, self.scope.day_to, nxt)
        self.reload()

    def action_clear_filters(self) -> None:
        self.filters = Filters()
        assert self.scope is not None
        self.scope = Scope(self.scope.day_from, self.scope.day_to)
        self.reload()

    def action_dates(self) -> None:
        from checkpoint.screens.ask_text import AskTextModal

        def chosen(text: str | None) -> None:
            if text is None:
                return
            try:   # what `checkpoint search --date` accepts, read by the same function
                self.scope = Scope(*parse_date_range(text))
            except InputError as exc:
                self.notify(exc.message, severity="error")
                return
            self.reload()

        self.app.push_screen(AskTextModal(t("review.dates_prompt"), "2026-11-01~2026-11-24"), chosen)

    def action_day(self, step: int) -> None:
        assert self.scope is not None
        if not self.scope.one_day or self.scope.shift_id is not None:
            return
        day = (dt.date.fromisoformat(self.scope.day_from) + dt.timedelta(days=step)).isoformat()
        self.scope = Scope(day, day)
        self.reload()

    # ---- one entry -----------------------------------------------------------------------------
    @on(PagedTable.Selected)
    def _selected(self, event: PagedTable.Selected) -> None:
        self.open_detail(event.key)

    def action_sign_off(self) -> None:
        """G: every condition checked first and each missing one named; the PIN only then."""
        from checkpoint.screens.signoff_flow import sign_off_day

        if not self.app.require("day.signoff"):
            return
        assert self.scope is not None
        if not self.scope.one_day or self.scope.shift_id is not None:
            self.notify(t("review.signoff_scope"), severity="warning")
            return
        sign_off_day(self.app, self.scope.day_from, lambda: self.reload(keep_cursor=True))

    def action_export(self) -> None:
        from checkpoint.screens.export_day import ExportModal

        if not self.app.require("export.day"):
            return
        assert self.scope is not None
        if not self.scope.one_day or self.scope.shift_id is not None:
            self.notify(t("review.one_day_needed"), severity="warning")
            return
        self.app.push_screen(ExportModal(self.scope.day_from))

    def action_audit(self) -> None:
        from checkpoint.screens.audit_log import AuditScreen

        if self.app.require("audit.read"):
            self.app.push_screen(AuditScreen())

    def action_back(self) -> None:
        self.dismiss(None)
