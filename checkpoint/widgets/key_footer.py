"""The footer of every screen: compact (no padding around the keys) in a narrow terminal, so an
80-column laptop shows every key of the desk, Ctrl+L and Ctrl+P included; and only the keys the
person logged in may use (duty staff do not see 更正, 签核, 导出: the key still answers, saying who
may, but the footer is no list of what one cannot do)."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

from checkpoint.widgets.palette import allowed, needs_of

NARROW = 100  # columns; at 120 the roomy footer fits


class KeyFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.width < NARROW
        if self.compact != compact:
            self.compact = compact

    async def recompose(self) -> None:
        await super().recompose()
        if self.is_attached:   # a recompose queued while its screen was closing
            self.hide_forbidden()

    def hide_forbidden(self) -> None:
        """Hide the keys whose action the logged-in role may not do (the screen's ACTION_NEEDS and
        the app's)."""
        needs = {**needs_of(self.app), **needs_of(self.screen)}
        keys = list(self.query("FooterKey"))   # the footer's own key widgets, found by type name
        shown = 0
        for key in keys:
            ok = allowed(self.app, needs, key.action)
            if key.display != ok:
                key.display = ok
            shown += ok
        if keys and shown != len(keys):
            self.styles.grid_size_columns = max(shown, 1)
