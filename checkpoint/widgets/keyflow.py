"""Keys typed faster than the screen moves focus must land in the right field.

Textual hands each key to the widget focused when the key arrives and moves focus through queued
messages, so a burst ("36.5", Enter, "13812345678") would otherwise leave the phone number in the
temperature field. Form fields therefore handle Enter inside their own key handler (so everything
typed before it is already in the field), ask the screen to move focus at once, and pass any key
still queued for them on to whichever field has focus now.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget


def pass_on_if_unfocused(widget: Widget, event: events.Key) -> bool:
    """True when the key was handed on to the field that now has focus."""
    try:
        focused = widget.screen.focused
    except Exception:  # not on a screen (being removed): let Textual handle it
        return False
    if focused is None or focused is widget:
        return False
    event.stop()
    event.prevent_default()
    focused.post_message(events.Key(event.key, event.character))
    return True


def submit_to_screen(widget: Widget) -> bool:
    """Let the screen route Enter now (synchronously); False if it has no routing."""
    handler = getattr(widget.screen, "field_submitted", None)
    if handler is None:
        return False
    handler(widget)
    return True
