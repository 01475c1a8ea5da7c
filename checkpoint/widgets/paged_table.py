"""A table over a list too long to load: only the lines on screen are drawn, and their rows are
read a page at a time from a source as the view moves (the Line API, as Toolong does).

A DataTable filled with a year of the log (a million rows) takes minutes to build; this one asks
the source for `total` once, then for the hundred rows around where the person is looking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAGE = 100
KEEP_PAGES = 12


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    priority: int = 0       # the lowest priorities are dropped first when the screen is narrow
    grow: bool = False      # takes a share of the width left over


@dataclass(frozen=True)
class Row:
    key: int
    cells: dict[str, str | Text]
    style: str = ""


class PagedTable(ScrollView, can_focus=True):
    """Rows come from `fetch(offset, limit)`; the first line is the header and stays put."""

    DEFAULT_CSS = """
    PagedTable { height: 1fr; background: $surface; }
    PagedTable:focus { background-tint: $foreground 3%; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", show=False), Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False), Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(0)", show=False), Binding("end", "edge(1)", show=False),
        Binding("enter", "select", show=False),
    ]

    cursor = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, table: "PagedTable", key: int | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

    class Selected(Message):
        def __init__(self, table: "PagedTable", key: int) -> None:
            super().__init__()
            self.table = table
            self.key = key

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.total = 0
        self._fetch: Callable[[int, int], list[Row]] = lambda offset, limit: []
        self._pages: dict[int, list[Row]] = {}
        self._order: list[int] = []

    # ---- the data ------------------------------------------------------------------------------
    def load(self, total: int, fetch: Callable[[int, int], list[Row]], keep_cursor: bool = False) -> None:
        """A new list (new scope, filter or search): forget the pages read so far."""
        self.total = max(0, total)
        self._fetch = fetch
        self._pages.clear()
        self._order.clear()
        self.virtual_size = Size(self.size.width, self.total + 1)
        if not keep_cursor:
            self.scroll_to(y=0, animate=False, immediate=True)
            self.cursor = 0
        else:
            self.cursor = min(self.cursor, max(0, self.total - 1))
        self.refresh()

    def row_at(self, index: int) -> Row | None:
        if not 0 <= index < self.total:
            return None
        number, within = divmod(index, PAGE)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number * PAGE, PAGE)
            self._pages[number] = page
            self._order.append(number)
            if len(self._order) > KEEP_PAGES:
                self._pages.pop(self._order.pop(0), None)
        return page[within] if within < len(page) else None

    @property
    def cursor_key(self) -> int | None:
        row = self.row_at(self.cursor)
        return row.key if row else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Left/right belong to the screen (the review steps a day back and forth); the table's
        # columns already fit the width, there is nothing to scroll sideways.
        if action in ("scroll_left", "scroll_right"):
            return False
        return True

    # ---- moving --------------------------------------------------------------------------------
    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, value: int) -> None:
        top = round(self.scroll_y)
        if value < top:
            self.scroll_to(y=value, animate=False, immediate=True)
        elif value >= top + self._visible_rows:
            self.scroll_to(y=value - self._visible_rows + 1, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_key))

    def action_move(self, step: int) -> None:
        if self.total:
            self.cursor = min(max(0, self.cursor + step), self.total - 1)

    def action_page(self, step: int) -> None:
        self.action_move(step * self._visible_rows)

    def action_edge(self, end: int) -> None:
        if self.total:
            self.cursor = self.total - 1 if end else 0

    def action_select(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def _on_click(self, event) -> None:
        index = round(self.scroll_y) + event.y - 1
        if 0 <= index < self.total and event.y >= 1:
            self.cursor = index

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.total + 1)

    # ---- drawing -------------------------------------------------------------------------------
    def _widths(self, width: int) -> list[tuple[Column, int]]:
        shown = sorted(self.columns, key=lambda c: -c.priority)
        chosen: list[Column] = []
        used = 0
        for column in shown:
            if used + column.width + 1 <= width or not chosen:
                chosen.append(column)
                used += column.width + 1
        chosen = [c for c in self.columns if c in chosen]
        spare = max(0, width - used)
        growing = [c for c in chosen if c.grow]
        out = []
        for column in chosen:
            extra = spare // len(growing) if growing and column.grow else 0
            out.append((column, column.width + extra))
        return out

    def _line(self, cells: list[tuple[str | Text, int]], style: Style) -> Strip:
        segments: list[Segment] = []
        for value, width in cells:
            text = value if isinstance(value, Text) else Text(str(value))
            text = text.copy()
            text.truncate(width, overflow="ellipsis")
            pad = width - cell_len(text.plain)
            segments += list(text.render(self.app.console))
            segments.append(Segment(" " * (pad + 1)))
        return Strip(Segment.apply_style(segments, style)) if segments else Strip.blank(0, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns = self._widths(width)
        base = self.rich_style
        if y == 0:
            header = Style(bold=True, reverse=False) + Style(underline=True)
            strip = self._line([(c.label, w) for c, w in columns], base + header)
            return strip.adjust_cell_length(width, base)
        index = round(self.scroll_y) + y - 1
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, base)
        style = base + (Style.parse(row.style) if row.style else Style())
        if index == self.cursor:
            style += Style(reverse=True) if self.has_focus else Style(bold=True, underline=True)
        strip = self._line([(row.cells.get(c.key, ""), w) for c, w in columns], style)
        return strip.adjust_cell_length(width, style)

    def _on_focus(self, event) -> None:
        self.refresh()

    def _on_blur(self, event) -> None:
        self.refresh()
