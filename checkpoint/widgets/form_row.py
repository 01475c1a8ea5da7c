"""One labelled field of a form: the label, the field, a note beside it, and beneath it the message
line and (for fields that complete) the choices — each shown only when there is something to say.

The row whose field has the focus is marked `-current`, so its label is highlighted wherever the
focus goes. (Textual's `:focus-within` does not restyle the label when focus moves between rows.)
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static


class FormRow(Vertical):
    DEFAULT_CSS = """
    FormRow { height: auto; }
    FormRow > Horizontal { height: auto; }
    FormRow .row-label { width: 11; padding: 0 1 0 0; text-align: right; color: $text-muted; }
    FormRow.-current .row-label { color: $text; background: $accent; text-style: bold; }
    FormRow .row-aside { width: auto; max-width: 40; padding: 0 0 0 1; color: $text-muted; display: none; }
    FormRow .row-aside.-shown { display: block; }
    FormRow .row-aside.-info { color: $success; }
    FormRow .row-aside.-warning { color: $warning; }
    FormRow .row-message { display: none; padding: 0 0 0 11; }
    FormRow .row-message.-error { display: block; color: $error; }
    FormRow .row-message.-warning { display: block; color: $warning; }
    FormRow .row-message.-info { display: block; color: $success; }
    FormRow .row-choices { display: none; padding: 0 0 0 11; height: 1; }
    FormRow .row-choices.-shown { display: block; }
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
            yield Static("", classes="row-aside", markup=False)
        yield Static("", classes="row-message", markup=False)
        yield Static("", classes="row-choices", markup=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.add_class("-current")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.remove_class("-current")

    shown: tuple[str, str] = ("", "")

    def show(self, message: str = "", kind: str = "error") -> None:
        """The message line under the field ('' hides it)."""
        if (message, kind if message else "") == self.shown:
            return
        self.shown = (message, kind if message else "")
        line = self.query_one(".row-message", Static)
        line.set_classes("row-message" + (f" -{kind}" if message else ""))   # one restyle, not two
        line.update(message)

    aside_shown: tuple[str, str] = ("", "")

    def aside(self, text: str = "", kind: str = "") -> None:
        """A short note beside the field ('身份证 · 36岁 男'); '' hides it."""
        if (text, kind) == self.aside_shown:
            return
        self.aside_shown = (text, kind)
        note = self.query_one(".row-aside", Static)
        note.set_classes("row-aside" + (" -shown" if text else "") + (f" -{kind}" if kind else ""))
        note.update(text)

    def show_choices(self, choices: list[str], highlighted: int, hint: str) -> None:
        """The completion's candidates, the highlighted one reversed; [] hides the line."""
        line = self.query_one(".row-choices", Static)
        line.set_class(bool(choices), "-shown")
        if not choices:
            line.update("")
            return
        text = Text()
        for i, choice in enumerate(choices):
            if i:
                text.append("  ")
            text.append(f"{i + 1}.{choice}", style="reverse bold" if i == highlighted else "")
        text.append(f"  {hint}", style="dim")
        line.update(text)


def show_problems_on_rows(screen, problems) -> None:
    """Each problem under its field's row (where the form has that row), the focus on the first
    problem's field: the screen's answer to a service's FieldProblems."""
    for problem in problems:
        if screen.query(f"#row-{problem.field}"):
            screen.query_one(f"#row-{problem.field}", FormRow).show(problem.message)
    first = problems[0].field
    if screen.query(f"#f-{first}"):
        screen.set_focus(screen.query_one(f"#f-{first}"))
