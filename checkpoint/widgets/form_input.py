"""A compact text field for forms: Enter is routed by the screen at once (see keyflow)."""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input

from checkpoint.i18n import t
from checkpoint.widgets.keyflow import pass_on_if_unfocused, step_focus, submit_to_screen, typed


class FormInput(Input):
    def _watch_value(self, value: str) -> None:
        """As Input's own, without the relayout. Input sets `virtual_size` (a layout reactive) to the
        text's width on every change, so each key laid out the whole desk again (~25 ms of ~110
        widgets); a form field's size never follows its text (one line, the row's width), only its
        scroll extent does. Textual is pinned (8.2.8): check this against Input._watch_value when
        upgrading."""
        self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        self.refresh()
        self._suggestion = ""
        if self.suggester and value:
            self.run_worker(self.suggester._get_suggestion(self, value))
        validation_result = self.validate(value) if "changed" in self.validate_on else None
        self.post_message(self.Changed(self, value, validation_result))
        typed(self)
        if self._initial_value:   # the first value: the cursor goes to its end
            self.cursor_position = len(self.value)
            self._initial_value = False
        else:                     # re-validate the selection against the new length
            self.selection = self.selection

    def _on_paste(self, event: events.Paste) -> None:
        """A paste longer than the field is cut to fit, and the person told. (Textual's Input drops
        the whole paste without a word when it would pass max_length: a long address pasted from a
        message would vanish.)"""
        lines = event.text.splitlines()
        if not (self.max_length and lines):
            return
        start, end = sorted(self.selection)
        room = self.max_length - (len(self.value) - (end - start))
        if len(lines[0]) <= room:
            return  # fits: Input._on_paste inserts it as usual
        event.prevent_default()
        event.stop()
        kept = lines[0][:max(room, 0)]
        if kept:
            self.replace(kept, start, end)
        self.notify(t("paste.cut", limit=self.max_length, kept=len(kept)), severity="warning")

    async def _on_key(self, event: events.Key) -> None:
        if pass_on_if_unfocused(self, event):
            return
        if event.key == "enter" and submit_to_screen(self):
            event.stop()
            event.prevent_default()
            return
        if event.key in ("up", "down") and step_focus(self, -1 if event.key == "up" else 1):
            event.stop()   # a form moves between fields, it does not scroll
            event.prevent_default()
            return
        # Input._on_key runs after this (MRO dispatch) unless prevented
