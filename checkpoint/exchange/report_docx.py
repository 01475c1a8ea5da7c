"""The station's 日报 as a Word document (report.docx in the daily bundle): title, station, date,
零报告 when it is one, the figures as a table, the follow-up list by village (masked IDs: the full
ones are only in the follow-up files), passes, staffing, supplies, open matters. The same figures
and words as report.md, laid out as a clerk expects a report to look."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checkpoint.domain.daily_report import DailyReport, summary_rows

Text = Callable[..., str]


def _label(text: Text, key: str, fallback: str) -> str:
    value = text(key)
    return fallback if value == key else value


def write_daily_docx(path: Path, report: DailyReport, station: dict, revision: int, text: Text) -> None:
    """Write the 日报 of `report` to `path` (.docx). `station` has code, name and township; `text` is
    the catalogue lookup in the bundle's language. Raises OSError when the file cannot be written."""
    from checkpoint.exchange.docx_layout import Report

    r = "export.report."
    doc = Report(text(r + "title", name=station["name"], code=station["code"]))
    doc.centred(text(r + "subtitle", township=station["township"], day=report.day, revision=revision))
    if report.zero_report:
        doc.line(text(r + "zero"), bold=True)
    else:
        doc.line(text(r + "not_zero", count=len(report.follow_up), fevers=report.fevers,
                      held=report.held_or_referred, isolated=report.isolated), bold=True)

    doc.heading(text("report_docx.figures"))
    doc.table([text("township.report.col.item"), text("township.report.col.value")],
              [(label, value) for label, value in summary_rows(report, text)])

    doc.heading(text(r + "follow_up"))
    if report.follow_up:
        doc.line(text("report_docx.follow_up_file"))
        doc.table([text("township.report.col.village"), text("township.report.col.person"),
                   text("township.report.col.doc_no"), text("township.report.col.disposition"),
                   text("township.report.col.fever")],
                  [(f.village or text(r + "no_village"), f.name, f.doc_masked,
                    _label(text, f"disposition.{f.disposition}", f.disposition),
                    text("yesno.yes") if f.fever else text("yesno.no")) for f in report.follow_up])
    else:
        doc.line(text(r + "none"))

    doc.heading(text(r + "passes"))
    doc.line(text(r + "passes_issued", count=report.passes_issued) + "；" + text(r + "scans", count=report.scans))

    doc.heading(text(r + "staffing"))
    doc.lines([text(r + "shift_line", id=s.shift_id, kind=_label(text, f"shift.kind_{s.kind}", s.kind),
                    start=s.start or "-", leader=s.leader or "-", people=s.people,
                    categories="、".join(f"{_label(text, f'category.{k}', k)}{n}" for k, n in s.categories.items())
                    or "-") for s in report.staffing], text(r + "no_shifts"))

    doc.heading(text(r + "supplies"))
    doc.lines([text(r + "supply_line", item=_label(text, f"supply.{s.item}", s.item), count=s.count,
                    days="-" if s.days_left is None else s.days_left,
                    low=text(r + "low") if s.low else "").rstrip() for s in report.supplies], text(r + "no_handover"))

    doc.heading(text(r + "matters"))
    doc.lines(report.open_matters, text(r + "none"))
    if report.amended:
        doc.heading(text(r + "amended_title"))
        doc.line(text(r + "amended", count=report.amended, after=report.amended_after_signoff))
    doc.save(path)
