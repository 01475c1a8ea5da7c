"""Leaving a form that holds typed input asks first (Esc, 换人, a screen switch from the palette).

A form screen takes a snapshot of its fields when it is ready (`remember_fields`) and again after
each save; `holds_typed_input` is True while any field differs from it. The app's quit and switch
user ask every screen on the stack the same question (see app.py).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen
from textual.widgets import Input, TextArea

from checkpoint.i18n import t
from checkpoint.widgets.choice import ChoiceField


def field_values(screen: Screen) -> dict[str, object]:
    """Every field of `screen` that a person types into or chooses, by widget id."""
    values: dict[str, object] = {}
    for widget in screen.query("Input, TextArea, ChoiceField"):
        if not widget.id:
            continue
        if isinstance(widget, TextArea):
            values[widget.id] = widget.text
        elif isinstance(widget, (Input, ChoiceField)):
            values[widget.id] = widget.value
    return values


def ask_before_leaving(screen: Screen, then: Callable[[], None]) -> None:
    """Run `then` at once when nothing typed would be lost, else after the person says yes."""
    from checkpoint.screens.confirm import ConfirmModal

    holds = getattr(screen, "holds_typed_input", None)
    if holds is None or not holds():
        then()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    screen.app.push_screen(ConfirmModal(t("dayclose.leave_confirm"), danger=True), answered)


class GuardedForm:
    """Mixin for a form Screen: Esc (action_back) asks before throwing typed input away."""

    _remembered: dict[str, object] | None = None

    def remember_fields(self) -> None:
        """The fields as they are now count as nothing typed (after mount, after a save)."""
        self._remembered = field_values(self)  # type: ignore[arg-type]

    def holds_typed_input(self) -> bool:
        if self._remembered is None or not getattr(self, "is_mounted", False):
            return False
        return field_values(self) != self._remembered  # type: ignore[arg-type]

    def action_back(self) -> None:
        ask_before_leaving(self, lambda: self.dismiss(False))  # type: ignore[attr-defined, arg-type]
