"""A row of choices picked with ←/→, a digit, or space — faster than a drop-down with cold hands.

Enter moves on (it posts `Submitted`); the form decides where focus goes next. With
`allow_none`, nothing is chosen until the person confirms the highlighted option: that is how
the disposition asks for confirmation instead of saving a suggestion by itself, and
`confirmed_suggestion` says whether the value is the suggestion (★) accepted with Enter.
↑/↓ move to the previous/next field; digits choose only in the field that has the focus.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from checkpoint.widgets.keyflow import pass_on_if_unfocused, step_focus, submit_to_screen


class ChoiceField(Widget, can_focus=True):
    DEFAULT_CSS = """
    ChoiceField { height: auto; min-height: 1; width: 1fr; padding: 0 1; }
    ChoiceField:focus { background: $boost; }
    """

    value: reactive[object] = reactive(None, always_update=True)
    cursor: reactive[int] = reactive(0)
    suggested: reactive[object] = reactive(None)

    @dataclass
    class Changed(Message):
        field: "ChoiceField"
        value: object

        @property
        def control(self) -> "ChoiceField":
            return self.field

    @dataclass
    class Submitted(Message):
        field: "ChoiceField"

        @property
        def control(self) -> "ChoiceField":
            return self.field

    def __init__(self, options: list[tuple[object, str]], value: object = None, *, multi: bool = False,
                 allow_none: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.options = list(options)
        self.multi = multi
        self.allow_none = allow_none
        if multi:
            self.set_reactive(ChoiceField.value, tuple(value or ()))
        elif value is None and not allow_none:
            self.set_reactive(ChoiceField.value, self.options[0][0])
        else:
            self.set_reactive(ChoiceField.value, value)
        self.set_reactive(ChoiceField.cursor, self._index_of(self.value) if not multi else 0)
        self.confirmed_suggestion = False

    def _index_of(self, value: object) -> int:
        for i, (key, _) in enumerate(self.options):
            if key == value:
                return i
        return 0

    def set_value(self, value: object) -> None:
        self.confirmed_suggestion = False
        self.value = tuple(value or ()) if self.multi else value
        if not self.multi and value is not None:
            self.cursor = self._index_of(value)

    def set_suggested(self, value: object) -> None:
        """Show ★ on `value` (None: no suggestion yet). A suggestion accepted earlier that is no
        longer the suggestion is taken back: the person must confirm again."""
        if self.confirmed_suggestion and value != self.value:
            self.set_value(None)
        self.suggested = value
        if self.allow_none and self.value is None and value is not None:
            self.cursor = self._index_of(value)

    def watch_value(self, value: object) -> None:
        self.post_message(self.Changed(self, value))

    def render(self) -> Text:
        text = Text()
        focused = self.has_focus
        for i, (key, label) in enumerate(self.options):
            if i:
                text.append(" ")
            chosen = key in self.value if self.multi else key == self.value
            style = ""
            if chosen:
                style = "reverse bold"
            if focused and i == self.cursor:
                style += " underline"
            mark = "✓" if self.multi and chosen else ""
            number = f"{i + 1}" if len(self.options) > 2 or self.multi else ""
            star = "★" if self.suggested == key else ""
            text.append(f"{number}{mark}{label}{star}", style=style.strip() or None)
        return text

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.options)
        if not self.multi and not self.allow_none:
            self.confirmed_suggestion = False
            self.value = self.options[self.cursor][0]

    def action_toggle(self) -> None:
        self._choose(self.cursor)

    def _choose(self, index: int) -> None:
        key = self.options[index][0]
        self.cursor = index
        self.confirmed_suggestion = False
        if self.multi:
            chosen = list(self.value)
            chosen.remove(key) if key in chosen else chosen.append(key)
            self.value = tuple(k for k, _ in self.options if k in chosen)
        else:
            self.value = key

    def action_submit(self) -> None:
        if self.allow_none and self.value is None:
            self._choose(self.cursor)
            # Enter on the highlighted ★: the person accepted the suggestion they were shown
            self.confirmed_suggestion = self.suggested is not None and self.value == self.suggested
        if not submit_to_screen(self):
            self.post_message(self.Submitted(self))

    async def _on_key(self, event: events.Key) -> None:
        # Keys are handled here, in arrival order, not through bindings (see keyflow).
        if pass_on_if_unfocused(self, event):
            return
        key, char = event.key, event.character
        if key in ("left", "right"):
            self.action_move(-1 if key == "left" else 1)
        elif key in ("up", "down") and step_focus(self, -1 if key == "up" else 1):
            pass
        elif key == "space":
            self.action_toggle()
        elif key == "enter":
            self.action_submit()
        elif char and char.isdigit() and char != "0" and int(char) <= len(self.options):
            self._choose(int(char) - 1)
        else:
            return
        event.stop()
        event.prevent_default()

    def on_focus(self) -> None:
        self.scroll_visible(animate=False)  # a choice takes digits only where the person sees it
        self.app.cursor_position = self.content_region.offset   # the terminal's cursor here, too
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def watch_cursor(self) -> None:
        self.refresh()

    def watch_suggested(self) -> None:
        self.refresh()
