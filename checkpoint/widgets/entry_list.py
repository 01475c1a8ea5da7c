"""Today's latest entries, masked, newest first, with the day's counts above them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from checkpoint.i18n import t

COLUMNS = ("col_time", "col_name", "col_doc", "col_phone", "col_plate", "col_temp", "col_dir", "col_disp")


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

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in COLUMNS:
            table.add_column(t(f"ui.{key}"), key=key)

    def show(self, day: str, counts, lines) -> None:
        self.query_one("#counts", Static).update(t("ui.counts", day=day, **counts.__dict__))
        table = self.query_one(DataTable)
        table.clear()
        for line in lines:
            temp = f"{line.temp}⚠" if line.fever else line.temp
            table.add_row(line.time, line.name, line.doc, line.phone, line.plate, temp, line.direction,
                          line.disposition, key=str(line.id))
