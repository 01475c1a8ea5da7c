"""The files a clerk opens, opened as a clerk's office suite opens them: LibreOffice (Debian's, as
.ci/run installs it) renders the station's report.docx and follow-up.xlsx and the township's
summary .docx to PDF, pdftotext reads back what was drawn, and Calc saves the workbook as CSV the
way it shows it. Every ID number and phone comes back whole (not 1.10108198506123E+17), and every
Chinese character written comes back drawn."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from checkpoint.exchange import tables as export_tables
from checkpoint.township import report_files
from tests.services.test_export import FULL_IDS, LI, ZHANG, busy_day, export_to  # noqa: F401  (fixtures)
from tests.services.test_township import (MISSING_DAY, TOWN_NOW, WANG, collect, town, week)  # noqa: F401

@pytest.fixture
def station(station, township_keys):
    """The station holding the township's key: the bundle's personal files are sealed to it."""
    township_keys.give(station)
    return station


@pytest.fixture
def clerk_folder(township_keys, tmp_path):
    """clerk_folder(result): the bundle as the township's clerk has it (sealed files opened)."""
    def opened(result) -> Path:
        return township_keys.open(result.folder, tmp_path / "opened")
    return opened


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
HAN = re.compile(r"[\u4e00-\u9fff]")


def libreoffice(source: Path, target_format: str, out: Path) -> Path:
    """Convert `source` with LibreOffice (its own profile folder, so parallel runs do not collide)."""
    assert SOFFICE, "LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui and -calc-nogui)"
    out.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                             "--norestore", "--convert-to", target_format, "--outdir", str(out), str(source)],
                            capture_output=True, text=True, timeout=240)
    suffix = target_format.split(":")[0]
    made = out / f"{source.stem}.{suffix}"
    assert result.returncode == 0 and made.exists(), result.stdout + result.stderr
    return made


def drawn_text(source: Path, out: Path) -> str:
    assert PDFTOTEXT, "pdftotext is not installed (.ci/run installs poppler-utils)"
    pdf = libreoffice(source, "pdf", out)
    return subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def missing_han(written: str, drawn: str) -> set[str]:
    return set(HAN.findall(written)) - set(HAN.findall(drawn))


def test_the_daily_report_docx_is_drawn_whole_with_masked_ids_only(busy_day, tmp_path, clerk_folder):  # noqa: F811
    result = export_to(busy_day, tmp_path)
    report = clerk_folder(result) / "report.docx"
    written = docx_text(report)
    assert "卡点日报 · 东口卡点（K01）" in written and "青山镇" in written and "2026-11-24" in written
    assert "主要数据" in written and "需跟进人员（按村）" in written and "青山镇白云村" in written

    drawn = drawn_text(report, tmp_path / "rendered")
    assert missing_han(written, drawn) == set() and len(HAN.findall(written)) > 100
    assert "110101********0037" in drawn and "110108********3015" in drawn    # masked, each one whole
    assert not any(full in drawn for full in FULL_IDS)                         # the report names no full ID
    assert "本日有2人需跟进" in drawn.replace(" ", "") and "留验" in drawn   # pdftotext spaces CJK from digits


def test_a_zero_day_docx_says_zero_report(station, tmp_path, clerk_folder):
    result = export_to(station, tmp_path)
    drawn = drawn_text(clerk_folder(result) / "report.docx", tmp_path / "rendered")
    assert "零报告：本日无发热、无留验或转送、无隔离人员。" in drawn


def test_the_follow_up_workbook_keeps_every_id_and_phone_whole(busy_day, tmp_path, clerk_folder):  # noqa: F811
    result = export_to(busy_day, tmp_path)
    folder = clerk_folder(result)
    book = openpyxl.load_workbook(folder / "follow-up.xlsx")
    sheet = book["需跟进人员"]
    headers = [c.value for c in sheet[1]]
    doc_col, phone_col = headers.index("证件号码") + 1, headers.index("联系电话") + 1
    ids = [sheet.cell(row=r, column=doc_col) for r in range(2, sheet.max_row + 1)]
    assert {c.value for c in ids} == {"110101200001010037", LI}              # held and home-isolated
    assert all(c.data_type == "s" and c.number_format == "@" for c in ids)
    assert all(sheet.cell(row=r, column=phone_col).number_format == "@" for r in range(2, sheet.max_row + 1))
    assert sheet.freeze_panes == "A2"

    shown = libreoffice(folder / "follow-up.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
                        tmp_path / "as-csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(shown)))
    assert rows[0] == headers
    assert {r[doc_col - 1] for r in rows[1:]} == {"110101200001010037", LI}
    assert {r[phone_col - 1] for r in rows[1:]} == {"13800001111", "13912345678"}
    assert "E+" not in shown and "E17" not in shown

    drawn = drawn_text(folder / "follow-up.xlsx", tmp_path / "rendered")
    assert "110101200001010037" in drawn and LI in drawn and "13912345678" in drawn
    written = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert missing_han(written, drawn) == set()


def test_the_csv_beside_it_is_what_the_workbook_fixes(busy_day, tmp_path, clerk_folder):  # noqa: F811
    """The reason for the workbook, shown: Calc opens follow-up.csv with the ID as a number."""
    result = export_to(busy_day, tmp_path)
    shown = libreoffice(clerk_folder(result) / "follow-up.csv", "pdf", tmp_path / "csv-rendered")
    text = subprocess.run([PDFTOTEXT, "-layout", str(shown), "-"], capture_output=True, text=True, check=True).stdout
    assert LI not in text and re.search(r"1[.,]1010[0-9]*E\+0?17", text)


def test_the_township_summary_docx_is_drawn_whole_with_full_ids(town, week, tmp_path):  # noqa: F811
    collect(town, week.usb)
    written = report_files.write_report(town, MISSING_DAY, tmp_path / "report", now=TOWN_NOW)
    [path] = [p for p in written.files if p.suffix == ".docx"]
    assert path.name == f"township-{MISSING_DAY}.docx" and not list(path.parent.glob(".*"))
    text = docx_text(path)
    assert "青山镇 卡点日报汇总" in text and "未报 MISSING" in text and "北口卡点（K03）" in text
    drawn = drawn_text(path, tmp_path / "rendered")
    assert missing_han(text, drawn) == set() and len(HAN.findall(text)) > 50
    assert WANG in drawn and "13800001111" in drawn                   # the township calls these people
    assert "零报告" in drawn and "全镇合计" in drawn


def test_every_word_of_the_documents_comes_from_the_catalogue(busy_day, tmp_path, clerk_folder):  # noqa: F811
    """English UI or not, the files are the township's Chinese format."""
    from checkpoint import i18n

    i18n.set_language("en")
    try:
        result = export_to(busy_day, tmp_path)
    finally:
        i18n.set_language("zh")
    folder = clerk_folder(result)
    text = docx_text(folder / "report.docx")
    assert "主要数据" in text and "Figures" not in text
    assert openpyxl.load_workbook(folder / "follow-up.xlsx").sheetnames == [export_tables.zh("follow_up_xlsx.sheet")]


def test_the_ledger_workbook_shows_in_calc_what_the_ledger_csv_holds(busy_day, tmp_path, clerk_folder):  # noqa: F811
    # ledger.xlsx is written without a spreadsheet library (exchange/xlsx_sheets.py): Calc must open it
    # and show every cell of the ledger sheet as the CSV beside it has it — dates as dates, Chinese whole
    folder = clerk_folder(export_to(busy_day, tmp_path))
    shown = libreoffice(folder / "ledger.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
                        tmp_path / "as-csv").read_text(encoding="utf-8")
    beside = (folder / "ledger.csv").read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(shown))) == list(csv.reader(io.StringIO(beside)))
    assert "2026-11-24 09:00:00" in shown and "110105********002X" in shown
