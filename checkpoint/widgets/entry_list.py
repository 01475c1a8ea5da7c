"""Today's latest entries, masked, newest first, with the day's counts above them.

In a narrow terminal (80 columns) every column still fits, so no horizontal scrollbar takes one of
the list's rows: the masked ID keeps its first 6 and last 4 with an ellipsis between, and the
temperature shows the reading that counts (the re-measure when there was one)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from checkpoint.i18n import t

COLUMNS = ("col_time", "col_name", "col_doc", "col_phone", "col_plate", "col_temp", "col_dir", "col_disp")
WIDE = 100  # columns from which the full masked ID and both readings fit


def compact_doc(doc: str) -> str:
    """110105********002X -> 110105…002X (still the first 6 and the last 4, nothing more)."""
    return f"{doc[:6]}…{doc[-4:]}" if len(doc) > 12 and "*" in doc else doc


def compact_temp(temp: str) -> str:
    """37.9→37.6 -> 37.6: the reading that decided."""
    return temp.split("→")[-1]


class EntryList(Vertical):
    DEFAULT_CSS = """
    EntryList { height: 1fr; }
    EntryList #counts { height: auto; background: $panel; padding: 0 1; }
    EntryList DataTable { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="counts", markup=False)
        table = DataTable(id="entries", cursor_type="row", zebra_stripes=True)
        table.can_focus = False  # the form keeps the keyboard; the list is to look at
        yield table

    shown: tuple | None = None
    narrow: bool | None = None

    def show(self, day: str, counts, lines) -> None:
        self.shown = (day, counts, lines)
        self.narrow = self.app.size.width < WIDE
        self.query_one("#counts", Static).update(t("ui.counts", day=day, **counts.__dict__))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key in COLUMNS:
            table.add_column(t(f"ui.{key}"), key=key)
        for line in lines:
            doc, temp = (compact_doc(line.doc), compact_temp(line.temp)) if self.narrow else (line.doc, line.temp)
            table.add_row(line.time, line.name, doc, line.phone, line.plate, f"{temp}⚠" if line.fever else temp,
                          line.direction, line.disposition, key=str(line.id))

    def on_resize(self, event: events.Resize) -> None:
        if self.shown is not None and (self.app.size.width < WIDE) != self.narrow:
            self.show(*self.shown)
