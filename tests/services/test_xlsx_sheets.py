"""The workbook writer of the export (exchange/xlsx_sheets.py), read back by openpyxl as a
spreadsheet program reads it: every kind of value, the header, the widths, the frozen row."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from checkpoint.exchange.xlsx_sheets import Sheet, column_letter, write_workbook


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_every_kind_of_value_reads_back_as_written(tmp_path):
    when = dt.datetime(2026, 11, 24, 9, 5, 30)
    rows = [
        [1, "张三", "110105********002X", 36.8, when, dt.date(2026, 11, 24), None, "口罩（个） 200\n消毒液 3"],
        [2, "A&B <c> \"d\" 'e'", "  leading and trailing  ", -0.5, when.replace(hour=23, minute=59, second=59),
         dt.date(1900, 3, 1), "", "tab\there"],
    ]
    path = tmp_path / "book.xlsx"
    write_workbook(path, [Sheet("登记台账", ["序号", "姓名", "证件号码", "体温", "时间", "日期", "空", "备注"], rows,
                                [6, 10, 20, 6, 21, 12, 6, 30]),
                          Sheet("日报", ["项目", "数值"], [["登记人员", 4]], [10, 8])])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["登记台账", "日报"]
    sheet = book["登记台账"]
    assert [c.value for c in sheet[1]] == ["序号", "姓名", "证件号码", "体温", "时间", "日期", "空", "备注"]
    assert all(c.font.bold for c in sheet[1] if c.value)
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[2]] == [1, "张三", "110105********002X", 36.8, when,
                                           dt.datetime(2026, 11, 24), None, "口罩（个） 200\n消毒液 3"]
    second = [c.value for c in sheet[3]]
    assert second[1:4] == ["A&B <c> \"d\" 'e'", "  leading and trailing  ", -0.5]
    assert second[4] == dt.datetime(2026, 11, 24, 23, 59, 59) and second[5] == dt.datetime(1900, 3, 1)
    assert second[6] is None and second[7] == "tab\there"
    assert sheet["E2"].is_date and sheet["E2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["F2"].is_date and sheet["F2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["C"].width == 20 and sheet.column_dimensions["E"].width == 21
    assert sheet.max_row == 3
    assert [[c.value for c in r] for r in book["日报"].iter_rows()] == [["项目", "数值"], ["登记人员", 4]]


def test_characters_xml_cannot_hold_are_dropped_not_fatal(tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(path, [Sheet("交接班", ["备注"], [["前\x00后\x07完\x1f"], ["\ud800孤"]], [10])])
    sheet = openpyxl.load_workbook(path)["交接班"]
    assert [sheet["A2"].value, sheet["A3"].value] == ["前后完", "孤"]


def test_an_empty_table_is_its_header_alone(tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(path, [Sheet("登记台账", ["序号", "姓名"], [], [6, 8])])
    sheet = openpyxl.load_workbook(path)["登记台账"]
    assert sheet.max_row == 1 and [c.value for c in sheet[1]] == ["序号", "姓名"]


@pytest.mark.parametrize("count", [30])
def test_wide_tables_use_two_letter_columns(tmp_path, count):
    path = tmp_path / "book.xlsx"
    write_workbook(path, [Sheet("宽", [f"列{i}" for i in range(count)], [list(range(count))], [8] * count)])
    sheet = openpyxl.load_workbook(path)["宽"]
    assert [c.value for c in sheet[2]] == list(range(count)) and sheet["AD2"].value == 29
    with zipfile.ZipFile(path) as z:   # a valid package: every part the content types name is there
        assert {"[Content_Types].xml", "xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml"} <= set(z.namelist())
