"""The audit log (leader, admin): every write and every unmasking, newest first, filtered by the
start of the action's name; V checks the whole chain (as `checkpoint audit verify`) in a thread."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services.review import action_words
from checkpoint.services import audit
from checkpoint.widgets.paged_table import Column, PagedTable, Row
from checkpoint.widgets.key_footer import KeyFooter
from checkpoint.widgets.background_error import unexpected


class AuditScreen(Screen):
    HELP_TOPIC = "review"
    BINDINGS = [
        Binding("escape", "back", t("review.key_close")),
        Binding("slash,f", "filter", t("review.key_filter")),
        Binding("v", "verify", t("review.key_verify")),
        Binding("m", "next_staff", t("review.audit_key_staff")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.prefix = ""
        self.staff: list[tuple[int | None, str]] = [(None, "")]
        self.staff_index = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="audit-top", markup=False)
        yield ProgressBar(id="audit-progress", show_eta=False)
        yield PagedTable([Column("at", t("review.col_time"), 19, 9), Column("staff", t("review.col_staff"), 6, 8),
                          Column("action", t("dayclose.col_action"), 18, 10), Column("target", "", 16, 5),
                          Column("detail", "", 20, 1, True)], id="audit-log")
        yield KeyFooter()

    def on_mount(self) -> None:
        from checkpoint.services.accounts import list_staff

        self.staff += [(s["id"], s["name"]) for s in list_staff(self.app.store)]
        self.query_one(ProgressBar).display = False
        self.reload()
        self.query_one(PagedTable).focus()

    def reload(self) -> None:
        store, account, prefix = self.app.store, self.app.account, self.prefix
        staff_id, staff_name = self.staff[self.staff_index]
        try:
            total = audit.count(store, account, prefix, staff_id)
        except CheckpointError as exc:
            self.notify(exc.message, severity="error")
            return

        def fetch(offset: int, limit: int) -> list[Row]:
            return [Row(line.id, {"at": line.at, "staff": line.staff, "action": action_words(line.action),
                                  "target": line.target,
                                  "detail": line.detail}) for line in audit.page(store, account, offset, limit, prefix, staff_id)]

        self.query_one(PagedTable).load(total, fetch)
        shown = "，".join(x for x in (prefix, staff_name) if x) or "-"
        self.query_one("#audit-top", Static).update(t("review.audit_top", total=total, filter=shown))

    def action_next_staff(self) -> None:
        self.staff_index = (self.staff_index + 1) % len(self.staff)
        self.reload()

    def action_filter(self) -> None:
        from checkpoint.screens.ask_text import AskTextModal

        def chosen(text: str | None) -> None:
            if text is not None:
                self.prefix = text.strip()
                self.reload()

        self.app.push_screen(AskTextModal(t("review.audit_filter_prompt"), "entry."), chosen)

    def action_verify(self) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.verify()

    @work(thread=True, exclusive=True, group="audit-verify", exit_on_error=False)
    def verify(self) -> None:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self.query_one(ProgressBar).update, total=total, progress=done)

        try:
            report = audit.verify_aside(self.app.store, progress)
        except CheckpointError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        except Exception as exc:   # noqa: BLE001 — logged and said, not lost with the thread
            self.app.call_from_thread(self.notify, unexpected(exc, "audit verify"), severity="error", timeout=15)
            return
        self.app.call_from_thread(self.verified, report)

    def verified(self, report) -> None:
        self.query_one(ProgressBar).display = False
        self.notify(audit.describe(report), severity="information" if report.whole else "error", timeout=15)

    def action_back(self) -> None:
        self.dismiss(None)
