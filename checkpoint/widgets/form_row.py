"""One labelled field of a form, with its message line beneath (shown only when there is one)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static


class FormRow(Vertical):
    DEFAULT_CSS = """
    FormRow { height: auto; }
    FormRow > Horizontal { height: auto; }
    FormRow .row-label { width: 11; padding: 0 1 0 0; text-align: right; color: $text-muted; }
    FormRow .row-message { display: none; padding: 0 0 0 11; }
    FormRow .row-message.-error { display: block; color: $error; }
    FormRow .row-message.-warning { display: block; color: $warning; }
    FormRow .row-message.-info { display: block; color: $success; }
    FormRow:focus-within .row-label { color: $accent; text-style: bold; }
    """

    def __init__(self, label: str, control: Widget, *, name: str, id: str | None = None) -> None:
        super().__init__(id=id or f"row-{name}")
        self.label_text = label
        self.control = control
        self.field_name = name

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label_text, classes="row-label")
            yield self.control
        yield Static("", classes="row-message", markup=False)

    shown: tuple[str, str] = ("", "")

    def show(self, message: str = "", kind: str = "error") -> None:
        if (message, kind if message else "") == self.shown:
            return
        self.shown = (message, kind if message else "")
        line = self.query_one(".row-message", Static)
        line.set_classes("row-message")
        if message:
            line.add_class(f"-{kind}")
        line.update(message)
