"""A one-line bar chart of entries per hour (or per day), with fevers and turn-backs marked under
their bar: the leader sees when the queue was and when something happened, at a glance."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from checkpoint.themes import ink

BARS = " ▁▂▃▄▅▆▇█"


class DayChart(Static):
    DEFAULT_CSS = "DayChart { height: 3; padding: 0 1; }"

    def show(self, title: str, marks_legend: str, buckets: list[tuple[str, int, int, int]]) -> None:
        """buckets: (label, entries, fevers, turned back). Bars are two cells wide when they fit."""
        lead = cell_len(title) + 1
        width = max(10, self.size.width - 2 - lead) if self.size.width else 60
        if len(buckets) > width:          # a long range: the latest days that fit
            buckets = buckets[-width:]
        cell = 2 if len(buckets) * 2 <= width else 1
        top = max((b[1] for b in buckets), default=0)
        bars = Text(f"{title} ", style="bold")
        marks = Text(" " * lead)
        for label, n, fevers, turned in buckets:
            level = 0 if not n else max(1, round(n / top * (len(BARS) - 1))) if top else 0
            style = ink(self.app, "error") if fevers else ink(self.app, "warning" if turned else "success")
            bars.append(BARS[level] * cell, style=style)
            mark = "▲" if fevers else ("↩" if turned else " ")
            marks.append(mark.ljust(cell), style=f"bold {ink(self.app, 'error')}" if fevers else ink(self.app, "warning"))
        axis = Text(" " * lead)
        if buckets:
            first, last = buckets[0][0], buckets[-1][0]
            span = len(buckets) * cell
            axis.append(first + " " * max(1, span - len(first) - len(last)) + last, style="dim")
        axis.append(f"   {marks_legend}", style="dim")
        self.update(Text("\n").join([bars, marks, axis]))
