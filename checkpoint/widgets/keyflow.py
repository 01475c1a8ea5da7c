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


def step_focus(widget: Widget, step: int) -> bool:
    """↑/↓ in a form whose screen moves between fields with them (it says so with
    `ARROWS_MOVE_FOCUS`): the previous or next field, in the order shown. False elsewhere (the
    login's ↑/↓ choose a name)."""
    screen = widget.screen
    if not getattr(screen, "ARROWS_MOVE_FOCUS", False):
        return False
    target = screen.focus_next() if step > 0 else screen.focus_previous()
    if target is not None:
        target.scroll_visible(animate=False)
    return True


def typed(widget: Widget) -> None:
    """Tell the screen, at once, that the person changed this field's text (so a complete ID can
    move on before the next key of a burst arrives)."""
    if not widget.is_mounted or not widget.has_focus:
        return  # a value set while the form is built or filled, not typed
    handler = getattr(widget.screen, "field_typed", None)
    if handler is not None:
        handler(widget)
