"""The township's daily report as files: township-<day>.md (Chinese Markdown), .xlsx and .docx,
written whole or not at all. The words are Chinese whatever the UI language: the files go up to
the county as the township's report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from checkpoint.domain import township_report as rules
from checkpoint.domain.township_report import SupplyAlert
from checkpoint.errors import InputError
from checkpoint.exchange import tables
from checkpoint.township.report import STATION_COLUMNS, Text, TownshipDay, build_day, station_cells, tables_of
from checkpoint.township.report_docx import write_township_docx
from checkpoint.township.schema import TownshipStore


def render_markdown(report: TownshipDay, text: Text) -> str:
    """The report as Chinese Markdown (the words from the catalogue through `text`)."""
    r = "township.report."
    lines = [f"# {text(r + 'title', township=report.township, day=report.day)}", "",
             text(r + "subtitle", cutoff=report.cutoff, at=report.generated_local), "",
             f"**{text(r + 'headline', stations=len(report.stations), reported=report.count(rules.REPORTED), zero=report.count(rules.ZERO), missing=report.count(rules.MISSING), waiting=report.count(rules.WAITING), late=report.late)}**",
             ""]
    missing = [s for s in report.stations if s.status == rules.MISSING]
    if missing:
        lines += [f"> ⚠ {text(r + 'missing_alarm', names='、'.join(f'{s.name}（{s.code}）' for s in missing))}", ""]
    lines += [f"## {text(r + 'stations')}", "",
              "| " + " | ".join(text(r + f"col.{c}") for c in STATION_COLUMNS) + " |",
              "|" + "---|" * len(STATION_COLUMNS)]
    for s in report.stations:
        lines.append("| " + " | ".join(str(v) for v in station_cells(s, text)) + " |")
    lines += ["", f"## {text(r + 'totals')}", ""]
    lines += [f"- {text(r + 'total.' + k)}：{v}" for k, v in report.totals.items()]
    lines += ["", f"## {text(r + 'follow_up')}", ""]
    if report.villages:
        lines.append(text(r + "follow_up_note", count=report.follow_up_people))
        lines.append("")
        for group in report.villages:
            lines.append(f"### {group.village or text(r + 'no_village')}（{len(group.people)}）")
            lines.append("")
            for p in group.people:
                lines.append(f"- {_person_line(p, text)}")
            lines.append("")
    else:
        lines += [f"- {text(r + 'none')}", ""]
    lines += [f"## {text(r + 'supplies')}", ""]
    lines += [f"- {_supply_line(a, text)}" for a in report.supplies] or [f"- {text(r + 'none')}"]
    lines += ["", f"## {text(r + 'matters')}", ""]
    lines += [f"- {text(r + 'matter_line', station=name, count=n)}" for name, n in report.matters] \
        or [f"- {text(r + 'none')}"]
    return "\n".join(lines) + "\n"


def _person_line(p, text: Text) -> str:
    fever = text("township.report.fever_mark") if p.fever else ""
    return text("township.report.person_line", name=p.name, doc=p.doc_no or "-", phone=p.phone or "-",
                disposition=p.disposition, fever=fever, stations="、".join(p.stations),
                times="、".join(x[5:16] if len(x) >= 16 else x for x in p.times))


def _supply_line(a: SupplyAlert, text: Text) -> str:
    return text("township.report.supply_line", station=a.station, item=tables.label("supply", a.item),
                count=a.count, days="-" if a.days_left is None else a.days_left)


@dataclass(frozen=True)
class Written:
    report: TownshipDay
    xlsx: Path
    markdown: Path
    files: list[Path] = field(default_factory=list)


def write_report(store: TownshipStore, day: str, out_dir: Path | str, now: dt.datetime | None = None) -> Written:
    """township-<day>.xlsx, .md and .docx into `out_dir` (made when missing). The words are
    Chinese whatever the UI language: the file goes up to the county as the township's report."""
    report = build_day(store, day, now)
    out = Path(out_dir).expanduser()
    md, xlsx = out / f"township-{report.day}.md", out / f"township-{report.day}.xlsx"
    docx = out / f"township-{report.day}.docx"   # the same report for Word/WPS (report_docx.py)
    tmp_md, tmp_xlsx = md.with_name("." + md.name + ".partial"), xlsx.with_name("." + xlsx.name + ".partial")
    tmp_docx = docx.with_name("." + docx.name + ".partial")
    try:
        out.mkdir(parents=True, exist_ok=True)
        tmp_md.write_text(render_markdown(report, tables.zh), encoding="utf-8")
        tables.write_xlsx(tmp_xlsx, tables_of(report, tables.zh))
        write_township_docx(tmp_docx, report, tables.zh)
        tmp_md.replace(md)
        tmp_xlsx.replace(xlsx)
        tmp_docx.replace(docx)
    except OSError as exc:
        raise InputError("export.out_unusable", path=str(out), detail=exc.strerror or str(exc)) from None
    finally:
        for tmp in (tmp_md, tmp_xlsx, tmp_docx):  # nothing half-written is left behind
            if tmp.exists():
                tmp.unlink()
    return Written(report, xlsx, md, [xlsx, md, docx])
