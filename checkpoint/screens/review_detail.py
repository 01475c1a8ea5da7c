"""One entry, whole: every field and its vehicle, the corrections with what each changed (the
vehicle's too), the follow-up flags, the audit rows in words, and the open matter it is with its
age. E amends, V corrects the vehicle, F flags, U shows the full ID and phone (audited), C closes
the matter with a note. Two columns of fields, so an ordinary entry reads as one 80×24 screen."""

from __future__ import annotations

from rich.console import Group
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

TWO_COLUMNS_FROM = 70   # columns of the terminal from which the fields go side by side


def _pairs(items: list[tuple[str, str]], columns: int) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    for _ in range(columns):
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)
    for i in range(0, len(items), columns):
        row: list[str] = []
        for label, value in items[i:i + columns]:
            row += [label, value]
        row += [""] * (2 * columns - len(row))
        grid.add_row(*row)
    return grid


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def detail_text(d: Detail, warn: str = "yellow", width: int = 80) -> Group:
    """The entry's fields (two columns when `width` allows), vehicle, corrections, matter, flags
    and audit rows; `warn` colours what was unmasked, amended after sign-off, or still open."""
    columns = 2 if width >= TWO_COLUMNS_FROM else 1
    parts: list = [_pairs(d.fields, columns)]
    if d.unmasked:
        parts.append(Text(t("review.detail_unmasked"), style=f"bold {warn}"))
    if d.matter:
        parts.append(Text(t("dayclose.detail_matter", matter=d.matter), style=f"bold {warn}"))
    elif d.closed:
        parts.append(Text(d.closed))
    if d.vehicle:
        parts.append(_heading(t("review.detail_vehicle")))
        parts.append(_pairs(d.vehicle, 3 if columns == 2 else 1))
        for a in d.vehicle_history:
            changes = "；".join(f"{c.field} {c.before} → {c.after}" for c in a.changes)
            line = Text("✎ " + t("review.history_line", at=a.at, staff=a.staff, changes=changes, reason=a.reason))
            if a.after_signoff:
                line.append(" " + t("review.history_after"), style=f"bold {warn}")
            parts.append(line)
    if not d.amendments:
        parts.append(Text(t("dayclose.detail_no_history")))
    else:
        parts.append(_heading(t("review.detail_history")))
    for a in d.amendments:
        changes = "；".join(f"{c.field} {c.before} → {c.after}" for c in a.changes)
        line = Text("✎ " + t("review.history_line", at=a.at, staff=a.staff, changes=changes, reason=a.reason))
        if a.after_signoff:
            line.append(" " + t("review.history_after"), style=f"bold {warn}")
        parts.append(line)
    if d.flags:
        parts.append(_heading(t("review.detail_flags")))
        for at, who, action, note in d.flags:
            parts.append(Text(f"{'⚑' if action == 'raise' else ' '} {at} {who} {t('review.flag_' + action)}：{note}"))
    parts.append(Text(t("dayclose.detail_audit", rows="；".join(f"{at} {who} {what}" for at, who, what in d.audit))))
    return Group(*parts)


class DetailModal(ModalScreen[str | None]):
    ACTION_NEEDS = {"pick_amend": "entry.amend", "pick_flag": "entry.flag",  # for the palette and the footer
                    "pick_unmask": "entry.unmask", "pick_vehicle": "entry.amend", "pick_close": "matter.manage"}
    BINDINGS = [
        Binding("escape,q", "close", t("review.key_close")),
        Binding("e", "pick('amend')", t("review.key_amend")),
        Binding("v", "pick('vehicle')", t("dayclose.key_vehicle")),
        Binding("c", "pick('close')", t("dayclose.key_close_matter")),
        Binding("f", "pick('flag')", t("review.key_flag")),
        Binding("u", "pick('unmask')", t("review.key_unmask")),
    ]

    def __init__(self, detail: Detail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text(t("review.detail_title", id=self.detail.id), style="bold"), id="detail-title")
            yield Static(detail_text(self.detail, ink(self.app, "warning"), self.app.size.width), id="detail-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """V only for an entry in a vehicle, C only for an open matter (hidden, not just refused)."""
        if action == "pick" and parameters:
            if parameters[0] == "vehicle" and not self.detail.vehicle_id:
                return False
            if parameters[0] == "close" and not self.detail.matter_ref:
                return False
        return True

    def action_pick(self, action: str) -> None:
        if action == "unmask" and self.detail.unmasked:
            return
        self.dismiss(action)

    def action_close(self) -> None:
        self.dismiss(None)
