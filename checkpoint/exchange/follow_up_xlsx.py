"""The follow-up list as a workbook (follow-up.xlsx beside follow-up.csv in the daily bundle).

Opened in Excel or WPS, follow-up.csv turns 110108198506123015 into 1.10108198506123E+17 — and
saving it loses the last digits for good. Here every ID number and phone is a text cell with the
text format (@), so it shows whole and stays whole when the clerk edits and saves the file.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from checkpoint.exchange.tables import Table, zh

TEXT_COLUMNS = ("doc_no", "phone")
_FORMATS = {dt.datetime: "yyyy-mm-dd hh:mm:ss", dt.date: "yyyy-mm-dd"}


def _width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)  # CJK: two columns


def write_follow_up_xlsx(path: Path, table: Table) -> None:
    """Write the follow-up `table` (export_tables.follow_up_table) to `path` as one sheet, header
    frozen, ID and phone columns typed as text. Raises OSError when the file cannot be written."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    text_headers = {zh(f"export.col.{c}") for c in TEXT_COLUMNS}
    as_text = {i for i, header in enumerate(table.headers) if header in text_headers}
    book = Workbook()
    sheet = book.active
    sheet.title = zh("follow_up_xlsx.sheet")
    sheet.freeze_panes = "A2"
    for col, header in enumerate(table.headers, start=1):
        sheet.cell(row=1, column=col, value=header).font = Font(bold=True)
    for row_no, row in enumerate(table.rows, start=2):
        for index, value in enumerate(row):
            if index in as_text:
                cell = sheet.cell(row=row_no, column=index + 1, value="" if value is None else str(value))
                cell.number_format = "@"
            else:
                cell = sheet.cell(row=row_no, column=index + 1, value=value)
                fmt = _FORMATS.get(type(value))
                if fmt:
                    cell.number_format = fmt
    for col, header in enumerate(table.headers, start=1):
        widest = max([_width(header)] + [_width(r[col - 1]) for r in table.rows])
        sheet.column_dimensions[get_column_letter(col)].width = min(max(widest + 2, 6), 50)
    book.save(path)
