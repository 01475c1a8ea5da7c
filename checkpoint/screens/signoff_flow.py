"""Signing a day off from the UI (G in the review, 签核 in the palette): every condition is checked
first and each one missing is named on a notice; only a day that can be signed asks for the PIN,
with what the sign-off covers (the shifts that started that day) written above the PIN field."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import review, signoff


def sign_off_day(app: App, day: str, done: Callable[[], None] | None = None) -> None:
    """Check `day`, then ask for the PIN and sign; `done` runs after a successful sign-off."""
    from checkpoint.screens.ask_text import AskTextModal
    from checkpoint.screens.notice import NoticeModal

    try:
        found = signoff.check(app.store, app.account, day, app.now())
    except CheckpointError as exc:
        app.notify(exc.message, severity="error")
        return
    if not found.ready:
        text = "\n".join(f"• {p}" for p in found.problems)
        if found.covered:
            text += "\n\n" + found.scope
        app.push_screen(NoticeModal(t("dayclose.signoff_title", day=found.day), text))
        return

    def pin_given(pin: str | None) -> None:
        if pin is None:
            return
        try:
            review.sign_off(app.store, app.account, found.day, pin, now=app.now())
        except CheckpointError as exc:
            app.notify(exc.message, severity="error", timeout=8)
            return
        app.notify(t("review.signoff_done", day=found.day))
        if done is not None:
            done()

    app.push_screen(AskTextModal(t("dayclose.signoff_prompt", scope=found.scope), password=True, max_length=8),
                    pin_given)
