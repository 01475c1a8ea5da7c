"""A yes/no question (Y / N or Enter / Escape)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from checkpoint.i18n import t


class ConfirmModal(ModalScreen[bool]):
    BINDINGS = [Binding("y", "answer(True)", show=False), Binding("n", "answer(False)", show=False),
                Binding("escape", "answer(False)", show=False)]

    def __init__(self, question: str, danger: bool = False, default_no: bool = False) -> None:
        super().__init__()
        self.question = question
        self.danger = danger
        self.default_no = default_no  # Enter keeps what is there (a question about losing input)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="-danger" if self.danger else ""):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(t("ui.confirm_yes"), id="yes", variant="error" if self.danger else "primary")
                yield Button(t("ui.confirm_no"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.default_no else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
