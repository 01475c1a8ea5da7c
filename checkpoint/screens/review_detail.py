"""One entry, whole: every field and its vehicle, the corrections with what each changed, the
follow-up flags and the audit rows. E amends, F flags, U shows the full ID and phone (audited)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from checkpoint.i18n import t
from checkpoint.services.review import Detail
from checkpoint.themes import ink
from checkpoint.widgets.key_footer import KeyFooter


def detail_text(d: Detail, warn: str = "yellow") -> Table:
    """The entry's fields, vehicle, history, flags and audit rows; `warn` colours what was unmasked or
    amended after sign-off (the theme's warning colour, readable on the sunlight theme too)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in d.fields:
        grid.add_row(label, value)
    if d.unmasked:
        grid.add_row("", Text(t("review.detail_unmasked"), style=f"bold {warn}"))
    if d.vehicle:
        grid.add_row(Text(t("review.detail_vehicle"), style="bold underline"), "")
        for label, value in d.vehicle:
            grid.add_row(label, value)
    grid.add_row(Text(t("review.detail_history"), style="bold underline"), "")
    if not d.amendments:
        grid.add_row("", t("review.detail_no_history"))
    for a in d.amendments:
        changes = "；".join(f"{c.field} {c.before} → {c.after}" for c in a.changes)
        line = Text(t("review.history_line", at=a.at, staff=a.staff, changes=changes, reason=a.reason))
        if a.after_signoff:
            line.append(" " + t("review.history_after"), style=f"bold {warn}")
        grid.add_row("✎", line)
    if d.flags:
        grid.add_row(Text(t("review.detail_flags"), style="bold underline"), "")
        for at, who, action, note in d.flags:
            grid.add_row("⚑" if action == "raise" else "", f"{at} {who} {t('review.flag_' + action)}：{note}")
    grid.add_row(Text(t("review.detail_audit"), style="bold underline"), "")
    for at, who, action in d.audit:
        grid.add_row("", f"{at} {who} {action}")
    return grid


class DetailModal(ModalScreen[str | None]):
    ACTION_NEEDS = {"pick_amend": "entry.amend", "pick_flag": "entry.flag",  # for the command palette
                    "pick_unmask": "entry.unmask"}
    BINDINGS = [
        Binding("escape,q", "close", t("review.key_close")),
        Binding("e", "pick('amend')", t("review.key_amend")),
        Binding("f", "pick('flag')", t("review.key_flag")),
        Binding("u", "pick('unmask')", t("review.key_unmask")),
    ]

    def __init__(self, detail: Detail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text(t("review.detail_title", id=self.detail.id), style="bold"), id="detail-title")
            yield Static(detail_text(self.detail, ink(self.app, "warning")), id="detail-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_pick(self, action: str) -> None:
        if action == "unmask" and self.detail.unmasked:
            return
        self.dismiss(action)

    def action_close(self) -> None:
        self.dismiss(None)
