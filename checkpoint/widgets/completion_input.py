"""A text field that offers names as the person types: pinyin, initials or Chinese in, a place out.

The candidates show on the line under the field, the first highlighted; ↓/↑ move the highlight,
Enter takes it (and moves on, as Enter does), Esc hides the list and keeps what was typed. With
no candidate, Enter keeps the text as typed: a place missing from the list is still a place.
Only text the person typed opens the list; a value filled in by the form does not.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events

from checkpoint.i18n import t
from checkpoint.widgets.form_input import FormInput


class CompletionInput(FormInput):
    def __init__(self, *args, choices: Callable[[str], list[str]] | None = None, **kw) -> None:
        super().__init__(*args, **kw)
        self.choices_for = choices or (lambda text: [])
        self.candidates: list[str] = []
        self.highlighted = 0

    def _row(self):
        from checkpoint.widgets.form_row import FormRow

        return next((a for a in self.ancestors if isinstance(a, FormRow)), None)

    def _show(self) -> None:
        row = self._row()
        if row is not None:
            row.show_choices(self.candidates, self.highlighted, t("completion.hint"))

    def close(self) -> None:
        """Hide the candidates (the text stays as typed)."""
        if self.candidates:
            self.candidates = []
            self._show()

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        if self.has_focus and not self._taking:
            found = self.choices_for(value) if value.strip() else []
            # A name typed whole is kept by Enter (宜昌市 typed, not its first district).
            self.candidates = ([value] + [c for c in found if c != value]) if value in found else found
            self.highlighted = 0
            self._show()

    _taking = False

    def take(self) -> bool:
        """Put the highlighted candidate in the field; False when none is shown."""
        if not self.candidates:
            return False
        choice = self.candidates[self.highlighted]
        self._taking = True
        try:
            self.value = choice
            self.cursor_position = len(choice)
        finally:
            self._taking = False
        self.close()
        return True

    async def _on_key(self, event: events.Key) -> None:
        if self.has_focus and self.candidates:
            if event.key in ("down", "up"):
                step = 1 if event.key == "down" else -1
                self.highlighted = (self.highlighted + step) % len(self.candidates)
                self._show()
                event.stop()
                event.prevent_default()
                return
            if event.key == "escape":
                self.close()
                event.stop()
                event.prevent_default()
                return
            if event.key == "enter":
                self.take()   # then FormInput._on_key (next in the MRO) moves on

    def on_blur(self) -> None:
        self.close()
