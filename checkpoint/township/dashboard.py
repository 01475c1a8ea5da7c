"""The township dashboard (镇防控办看板): the day's station grid (reported / zero report / waiting /
MISSING), the township totals, the follow-up list by village, and the last 14 days, one line each.

Keyboard only: ←/→ another day, T today, H switches the lower pane between the follow-up list and
the 14 days, R reloads (after a collect in another window), Escape or Q quits. Fits 80×24.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from checkpoint import exit_codes
from checkpoint.domain import clock
from checkpoint.domain import township_report as rules
from checkpoint.domain.masking import mask_id_number, mask_phone
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.township import report as report_service
from checkpoint.widgets.crash_guard import CrashGuard
from checkpoint.widgets.key_footer import KeyFooter
from checkpoint.widgets.palette import ActionsProvider, open_palette

_STATUS_STYLE = {rules.MISSING: "bold white on red", rules.ZERO: "green", rules.REPORTED: "bold",
                 rules.WAITING: "dim"}
_BAR = "█"
_BAR_WIDTH = 30


class TownshipScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "app.quit", t("township.ui.key_quit")),
        Binding("left", "day(-1)", t("township.ui.key_prev")),
        Binding("right", "day(1)", t("township.ui.key_next")),
        Binding("t", "today", t("township.ui.key_today")),
        Binding("h", "toggle_pane", t("township.ui.key_history")),
        Binding("r", "reload", t("township.ui.key_reload")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day: str = ""
        self.show_history = False

    def compose(self) -> ComposeResult:
        yield Static("", id="tw-top", markup=False)
        yield Static("", id="tw-headline", markup=False)
        yield DataTable(id="tw-grid", cursor_type="row", zebra_stripes=True)
        yield Static("", id="tw-totals", markup=False)
        yield Static("", id="tw-pane-title", classes="section", markup=False)
        with VerticalScroll(id="tw-pane"):
            yield Static("", id="tw-pane-body", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        grid = self.query_one(DataTable)
        for key in ("code", "name", "status", "persons", "fevers", "follow_up", "exported"):
            grid.add_column(t(f"township.ui.col_{key}"), key=key)
        self.day = report_service.latest_day(self.app.store, self.app.now())
        self.reload()
        grid.focus()

    # ---- actions ---------------------------------------------------------------------------------
    def action_day(self, step: int) -> None:
        self.day = (dt.date.fromisoformat(self.day) + dt.timedelta(days=step)).isoformat()
        self.reload()

    def action_today(self) -> None:
        self.day = report_service.latest_day(self.app.store, self.app.now())
        self.reload()

    def action_toggle_pane(self) -> None:
        self.show_history = not self.show_history
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    # ---- drawing ---------------------------------------------------------------------------------
    def reload(self) -> None:
        try:
            report = report_service.build_day(self.app.store, self.day, self.app.now())
            bars = report_service.history(self.app.store, self.day, 14, self.app.now()) if self.show_history else []
        except CheckpointError as exc:
            self.notify(exc.message, severity="error")
            return
        self.query_one("#tw-top", Static).update(
            Text(t("township.ui.top", township=report.township, day=report.day, cutoff=report.cutoff), style="bold"))
        headline = Text(t("township.ui.headline", stations=len(report.stations),
                          reported=report.count(rules.REPORTED), zero=report.count(rules.ZERO),
                          waiting=report.count(rules.WAITING), late=report.late) + "  ")
        missing = report.count(rules.MISSING)
        headline.append(t("township.ui.missing_count", count=missing), style="bold red" if missing else "green")
        self.query_one("#tw-headline", Static).update(headline)
        grid = self.query_one(DataTable)
        grid.clear()
        for s in report.stations:
            grid.add_row(s.code, s.name, Text(report_service.status_text(s, t), style=_STATUS_STYLE[s.status]),
                         str(s.persons) if s.revision else "-", str(s.fevers) if s.revision else "-",
                         str(s.follow_up) if s.revision else "-", s.exported_local or "-", key=s.code)
        if not report.stations:
            grid.add_row("-", t("township.ui.no_stations"), "", "", "", "", "")
        self.query_one("#tw-totals", Static).update(t("township.ui.totals", **report.totals))
        title = self.query_one("#tw-pane-title", Static)
        body = self.query_one("#tw-pane-body", Static)
        if self.show_history:
            title.update(t("township.ui.history_title"))
            body.update(_history_text(bars))
        else:
            title.update(t("township.ui.follow_up_title", count=report.follow_up_people))
            body.update(_follow_up_text(report))


def _follow_up_text(report: report_service.TownshipDay) -> Text:
    if not report.villages:
        return Text(t("township.ui.follow_up_none"), style="dim")
    out = Text()
    for group in report.villages:
        out.append(f"{group.village or '-'}（{len(group.people)}）\n", style="bold")
        for p in group.people:
            fever = t("township.report.fever_mark") if p.fever else ""
            # Masked on screen (anyone passing the office sees it); the full numbers for phoning are
            # in the report file (`township report`), which goes to the people doing the follow-up.
            out.append(f"  {p.name}  {mask_id_number(p.doc_no) or '-'}  {mask_phone(p.phone) or '-'}  "
                       f"{p.disposition}{fever}  "
                       f"{'、'.join(p.stations)}\n", style="red" if p.fever else "")
    return out


def _history_text(bars: list[report_service.DayBar]) -> Text:
    """One line per day: a bar of persons registered, and the stations reported / missing."""
    top = max((b.persons for b in bars), default=0) or 1
    out = Text()
    for b in bars:
        width = round(b.persons / top * _BAR_WIDTH) if b.persons else 0
        out.append(f"{b.day[5:]} ")
        out.append((_BAR * width).ljust(_BAR_WIDTH), style="red" if b.fevers else "green")
        out.append(" " + t("township.ui.history_line", persons=b.persons, reported=b.reported,
                           expected=b.expected, zero=b.zero))
        if b.missing:
            out.append(" " + t("township.ui.missing_count", count=b.missing), style="bold red")
        out.append("\n")
    return out


class TownshipApp(CrashGuard, App):
    CSS_PATH = Path(__file__).resolve().parent / "dashboard.tcss"
    TITLE = t("township.ui.title")
    COMMANDS = {ActionsProvider}
    BINDINGS = [Binding("ctrl+p", "command_palette", t("palette.key"), show=False, priority=True)]

    def __init__(self, store, clock_fn: Callable[[], dt.datetime] | None = None) -> None:
        super().__init__()
        self.store = store
        self.now = clock_fn or clock.utc_now

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.push_screen(TownshipScreen())

    def action_command_palette(self) -> None:
        open_palette(self)


def run_dashboard(path: Path) -> int:
    """Open the township database and run the dashboard; a database problem is one sentence, exit 2."""
    from checkpoint.township.office import open_township

    try:
        store = open_township(path, create=False)
    except CheckpointError as exc:
        print(exc.message, file=sys.stderr)
        return exit_codes.BAD_INPUT
    try:
        app = TownshipApp(store)
        app.run()
    finally:
        store.close()
    return app.return_code or exit_codes.DONE
