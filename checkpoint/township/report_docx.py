"""The township's daily summary (镇汇总日报) as a Word document, beside its .md and .xlsx: who
reported, who sent a zero report, who is MISSING, the township totals, the follow-up list by
village (full IDs and phones: the township calls these people), supplies running low, open matters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checkpoint.domain import township_report as rules
from checkpoint.exchange import tables as export_tables
from checkpoint.exchange.docx_layout import Report
from checkpoint.township import report as summary

Text = Callable[..., str]


def write_township_docx(path: Path, report: summary.TownshipDay, text: Text) -> None:
    """Write `report` to `path` (.docx) with the words of `text`. Raises OSError when it cannot."""
    r = "township.report."
    doc = Report(text(r + "title", township=report.township, day=report.day), landscape=True)
    doc.centred(text(r + "subtitle", cutoff=report.cutoff, at=report.generated_local))
    doc.line(text(r + "headline", stations=len(report.stations), reported=report.count(rules.REPORTED),
                  zero=report.count(rules.ZERO), missing=report.count(rules.MISSING),
                  waiting=report.count(rules.WAITING), late=report.late), bold=True)
    missing = [s for s in report.stations if s.status == rules.MISSING]
    if missing:
        doc.line("⚠ " + text(r + "missing_alarm", names="、".join(f"{s.name}（{s.code}）" for s in missing)), bold=True)

    tables = {t.sheet: t for t in summary.tables_of(report, text)}
    for key in ("stations", "totals"):
        doc.heading(text(r + key))
        table = tables[text(r + f"sheet.{key}")]
        doc.table(table.headers, table.rows)

    doc.heading(text(r + "follow_up"))
    if report.villages:
        doc.line(text(r + "follow_up_note", count=report.follow_up_people))
        people = tables[text(r + "sheet.follow_up")]
        doc.table(people.headers, [[row[0] or text(r + "no_village"), *row[1:]] for row in people.rows])
    else:
        doc.line(text(r + "none"))

    doc.heading(text(r + "supplies"))
    doc.lines([text(r + "supply_line", station=a.station, item=export_tables.label("supply", a.item), count=a.count,
                    days="-" if a.days_left is None else a.days_left) for a in report.supplies], text(r + "none"))
    doc.heading(text(r + "matters"))
    doc.lines([text(r + "matter_line", station=name, count=n) for name, n in report.matters], text(r + "none"))
    doc.save(path)
