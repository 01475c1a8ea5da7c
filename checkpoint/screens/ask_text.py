"""Ask for one line of text (a reason, a note): Enter gives it, Escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from checkpoint.widgets.form_input import FormInput


class AskTextModal(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, question: str, placeholder: str = "", password: bool = False, max_length: int = 200) -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder
        self.password = password
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="-danger"):
            yield Static(self.question, id="confirm-question", markup=False)
            yield FormInput(placeholder=self.placeholder, id="answer", max_length=self.max_length,
                            password=self.password)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#answer", Input))

    def field_submitted(self, widget: Input) -> None:
        if widget.value.strip():
            self.dismiss(widget.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
