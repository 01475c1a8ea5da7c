"""The footer of every screen: compact (no padding around the keys) in a narrow terminal, so an
80-column laptop shows every key of the desk, Ctrl+L and Ctrl+P included."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW = 100  # columns; at 120 the roomy footer fits


class KeyFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.width < NARROW
        if self.compact != compact:
            self.compact = compact
