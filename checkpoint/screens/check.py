"""The pass check screen (通行证核验), made for a USB scanner: the input always has focus; the
scanner types the code and Enter; the verdict appears in large words with the reason and the
holder's masked details to compare with the ID card. A pass number can be typed instead.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import passes, trust_status
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.key_footer import KeyFooter

SYMBOL = {"valid": "✔", "not-back": "✘", "quota-used": "✘", "isolated": "✘", "expired": "✘", "revoked": "✘",
          "forged": "✘", "unknown-issuer": "?", "unreadable": "?", "unknown-pass": "?", "not-yet-valid": "✘"}


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")


def looks_like_image(text: str) -> bool:
    """A photo's path typed or dropped in: read the code from it instead."""
    name = text.strip().strip("'\"").lower()
    return name.endswith(IMAGE_SUFFIXES) and len(name) < 1000


class CheckScreen(Screen):
    HELP_TOPIC = "check"
    ACTION_NEEDS = {"revoke_last": "pass.revoke"}  # for the command palette
    BINDINGS = [
        Binding("escape", "app.pop_screen", t("ui.key_back")),
        Binding("f6", "toggle_direction", t("check.key_direction")),
        Binding("f8", "revoke_last", t("check.key_revoke")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.direction = "out"
        self.last_number: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="check-direction")
        yield Static(trust_status.list_age_line(self.app.store, self.app.now()), id="list-age", markup=False)
        yield FormInput(placeholder=t("check.placeholder"), id="scan", max_length=600)
        with Vertical(id="verdict-box"):
            yield Static(t("check.waiting"), id="verdict-word")
            yield Static("", id="verdict-reason", markup=False)
            yield Static("", id="verdict-holder", markup=False)
        yield Static(t("check.out_title"), classes="section")
        table = DataTable(id="out-list", cursor_type="row")
        table.can_focus = False
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#out-list", DataTable)
        for key in ("col_number", "col_holder", "col_doc", "col_village", "col_since", "col_state"):
            table.add_column(t(f"check.{key}"), key=key)
        self.show_direction()
        self.refresh_out_list()
        self.set_focus(self.query_one("#scan", Input))

    def show_direction(self) -> None:
        self.query_one("#check-direction", Static).update(t(f"check.direction_{self.direction}"))

    def action_toggle_direction(self) -> None:
        self.direction = "in" if self.direction == "out" else "out"
        self.show_direction()

    def field_submitted(self, widget: Input) -> None:
        """The scanner's Enter (called at once by the field, so the next scan starts clean)."""
        text = widget.value
        widget.value = ""
        if not text.strip():
            return
        try:
            if looks_like_image(text):
                text = passes.read_code_from_image(Path(text.strip().strip("'\"")))
            result = passes.verify_scan(self.app.store, self.app.account, text, self.direction, now=self.app.now())
        except CheckpointError as exc:
            self.notify(exc.message, severity="error")
            return
        self.show_result(result)
        self.last_number = result.pass_row["number"] if result.pass_row else None
        self.refresh_out_list()
        if not result.verdict.valid:
            self.app.alert()

    def show_result(self, result: passes.ScanResult) -> None:
        verdict = result.verdict.verdict
        box = self.query_one("#verdict-box")
        box.set_classes("-valid" if result.verdict.valid else "-refused")
        spaced = " ".join(result.word)  # 有 效: wider, readable from a step back
        word = Text(f"{SYMBOL.get(verdict, '?')}  {spaced}   {t(f'check.english.{verdict}')}", style="bold")
        self.query_one("#verdict-word", Static).update(word)
        self.query_one("#verdict-reason", Static).update(result.reason)
        holder = ""
        if result.shown_claims is not None:   # a forged code shows nothing read from it
            c = result.shown_claims
            holder = t("check.holder", holder=c.holder, last4=c.id_last4, kind=t(f"pass_kind.{c.kind}"),
                       number=c.number, start=c.valid_from.isoformat(), end=c.valid_to.isoformat())
            if result.pass_row is not None and result.pass_row.get("village"):
                holder += "\n" + t("check.village", village=result.pass_row["village"])
        self.query_one("#verdict-holder", Static).update(holder)

    def refresh_out_list(self) -> None:
        table = self.query_one("#out-list", DataTable)
        table.clear()
        try:
            rows = passes.out_not_back(self.app.store, now=self.app.now())
        except CheckpointError:
            return
        for r in rows:
            table.add_row(r.number, r.holder, r.doc, r.village, r.since,
                          t("pass.overdue_mark") if r.overdue else "", key=r.number)

    def action_revoke_last(self) -> None:
        """Revoke the pass just scanned (a leader; it must have been issued here)."""
        from checkpoint.screens.ask_text import AskTextModal

        if not self.app.require("pass.revoke"):
            return
        if self.last_number is None:
            self.notify(t("check.nothing_to_revoke"), severity="warning")
            return
        number = self.last_number

        def answered(reason: str | None) -> None:
            if not reason:
                return
            try:
                passes.revoke_pass(self.app.store, self.app.account, number, reason, now=self.app.now())
            except CheckpointError as exc:
                self.notify(exc.message, severity="error")
                return
            self.notify(t("pass.revoked_done", number=number))

        self.app.push_screen(AskTextModal(t("check.revoke_question", number=number), t("check.revoke_hint")),
                             answered)
