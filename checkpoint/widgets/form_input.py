"""A compact text field for forms: Enter is routed by the screen at once (see keyflow)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from checkpoint.widgets.keyflow import pass_on_if_unfocused, submit_to_screen


class FormInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if pass_on_if_unfocused(self, event):
            return
        if event.key == "enter" and submit_to_screen(self):
            event.stop()
            event.prevent_default()
            return
        # Input._on_key runs after this (MRO dispatch) unless prevented
