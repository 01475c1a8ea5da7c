"""The page of a Word document a township clerk opens in WPS or Word: A4, 宋体 body, 黑体 title and
headings, numbered 一、二、三、 as official reports are, tables with ruled cells. Used by the station's
日报 (report_docx) and the township's summary (township/report_docx); python-docx does the file format.

Chinese text needs its font named for the East Asian script (w:eastAsia): without it Word and WPS
draw Chinese in whatever font the Latin one falls back to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
NUMERALS = "一二三四五六七八九十"


TABLE_FONT = Pt(10)
PADDING_EMS = 1.0                                  # a cell's left and right margins, and a little air
UNBREAKABLE = re.compile(r"[0-9A-Za-z*.:+\-]+")    # IDs (masked or not), phones, numbers, codes, times


def _ems(text: str) -> float:
    """How wide `text` is in ems: a Chinese character is one em, a digit or letter about 0.62."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.62 for ch in text)


def _east_asian(run_or_style, name: str) -> None:
    run_or_style.font.name = name
    fonts = run_or_style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


class Report:
    """A document being written: add title, lines, headings and tables, then save."""

    def __init__(self, title: str, *, landscape: bool = False) -> None:
        self.doc = Document()
        self.doc.core_properties.title = title
        self.doc.core_properties.author = ""        # no one's name travels in the file's properties
        section = self.doc.sections[0]
        if landscape:                                # wide tables: the township's list of people
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)
        else:
            section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        self._usable = section.page_width - section.left_margin - section.right_margin
        section.top_margin = section.bottom_margin = Cm(2.2)
        normal = self.doc.styles["Normal"]
        _east_asian(normal, BODY_FONT)
        normal.font.size = Pt(11)
        self._headings = 0
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(title)
        run.bold = True
        run.font.size = Pt(18)
        _east_asian(run, TITLE_FONT)

    def centred(self, text: str) -> None:
        self.doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER

    def line(self, text: str, *, bold: bool = False) -> None:
        run = self.doc.add_paragraph().add_run(text)
        run.bold = bold

    def lines(self, texts: Sequence[str], empty: str) -> None:
        for text in texts or [empty]:
            self.line(text)

    def heading(self, text: str) -> None:
        """The next numbered heading: 一、… 二、…"""
        numeral = NUMERALS[self._headings] if self._headings < len(NUMERALS) else str(self._headings + 1)
        self._headings += 1
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(10)
        run = paragraph.add_run(f"{numeral}、{text}")
        run.bold = True
        run.font.size = Pt(13)
        _east_asian(run, TITLE_FONT)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """A ruled table whose columns are as wide as their longest text: a column of numbers (an
        ID, a phone, a count) is never narrower than its longest number, so an 18-digit ID is not
        broken over two lines; when the page is too narrow, only the columns of words wrap."""
        texts = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
        columns = list(zip(*texts))
        natural = [max(_ems(text) for text in column) + PADDING_EMS for column in columns]
        unbreakable = [all(UNBREAKABLE.fullmatch(text) for text in column[1:] if text) for column in columns]
        room = self._usable / TABLE_FONT.emu      # the page's width in ems of the table's font
        fixed = sum(n for n, keep in zip(natural, unbreakable) if keep)
        free = sum(n for n, keep in zip(natural, unbreakable) if not keep)
        if fixed + free <= room:
            scale_free = scale_fixed = room / (fixed + free)
        else:
            scale_fixed, scale_free = 1.0, max(room - fixed, 0.0) / free if free else 1.0
        widths = [int(n * (scale_fixed if keep else scale_free) * TABLE_FONT.emu)
                  for n, keep in zip(natural, unbreakable)]
        table = self.doc.add_table(rows=len(texts), cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths):   # the grid (LibreOffice, WPS) and each cell (Word)
            column.width = width
        for row_no, (row, values) in enumerate(zip(table.rows, texts)):
            for cell, value, width in zip(row.cells, values, widths):
                cell.width = width
                run = cell.paragraphs[0].add_run(value)
                run.font.size = TABLE_FONT
                if row_no == 0:   # (bold=False on every other run only wrote an element each: a tenth of a second a busy day)
                    run.bold = True

    def save(self, path: Path) -> None:
        self.doc.save(str(path))
