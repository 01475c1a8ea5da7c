"""A notice the person must see and acknowledge (Enter or Escape): the clock warning at start."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from checkpoint.i18n import t


class NoticeModal(ModalScreen[None]):
    BINDINGS = [Binding("enter,escape", "close", show=False)]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="-danger"):
            yield Static(self.title_text, id="confirm-question", markup=False)
            yield Static(self.text, id="notice-text", markup=False)
            yield Static(t("clock.ok_key"), classes="hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
