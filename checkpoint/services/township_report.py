"""The township's daily report (镇汇总日报) and the dashboard's figures: one row per registered
station (reported / zero report / late / MISSING), the township totals, the follow-up list merged
by village, supplies running low, open matters; written as XLSX and as Chinese Markdown.

Which stations are expected on a day: every registered station from the earlier of the day it was
registered and the first day it ever reported (so a station registered today that sends last
week's bundles is held to last week too, and a new one is not MISSING for days before it existed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from checkpoint.domain import township_report as rules
from checkpoint.domain.township_report import SupplyAlert, VillageGroup
from checkpoint.errors import InputError
from checkpoint.services import clock
from checkpoint.services import export_tables as tables
from checkpoint.services.township import require_township
from checkpoint.store import Store
from checkpoint.store import township as store_township

Text = Callable[..., str]


@dataclass(frozen=True)
class StationRow:
    code: str
    name: str
    status: str
    late: bool
    revision: int
    exported_local: str
    persons: int
    fevers: int
    follow_up: int
    open_matters: int


@dataclass(frozen=True)
class TownshipDay:
    township: str
    day: str
    cutoff: str
    stations: list[StationRow]
    totals: dict[str, int]
    villages: list[VillageGroup]
    supplies: list[SupplyAlert]
    matters: list[tuple[str, int]]   # (station, open matters)
    generated_local: str

    def count(self, status: str) -> int:
        return sum(s.status == status for s in self.stations)

    @property
    def late(self) -> int:
        return sum(s.late for s in self.stations)

    @property
    def follow_up_people(self) -> int:
        return sum(len(v.people) for v in self.villages)


@dataclass(frozen=True)
class DayBar:
    day: str
    expected: int
    reported: int
    zero: int
    missing: int
    persons: int
    fevers: int


def _expected(stations: list[dict], day: str, tz: str) -> list[dict]:
    result = []
    for s in stations:
        since = clock.local(s["registered_at"], tz).date().isoformat()
        if s["first_day"] and s["first_day"] < since:
            since = s["first_day"]
        if since <= day:
            result.append(s)
    return result


def build_day(store: Store, day: str | dt.date, now: dt.datetime | None = None) -> TownshipDay:
    town = require_township(store)
    now = now or clock.utc_now()
    the_day = day if isinstance(day, dt.date) else clock.parse_day(day)
    day_text = the_day.isoformat()
    tz = clock.zone(town.tz)
    cutoff = rules.parse_cutoff(town.cutoff) or rules.parse_cutoff(rules.DEFAULT_CUTOFF)
    due = rules.deadline(the_day, cutoff, tz)
    reports = {r["station_code"]: r for r in store_township.reports_between(store, day_text, day_text)}
    rows, counts, supplies, matters = [], [], [], []
    for s in _expected(store_township.stations(store), day_text, town.tz):
        r = reports.get(s["code"])
        status = rules.status_of(r is not None, bool(r and r["zero_report"]), due, now)
        if r is None:
            rows.append(StationRow(s["code"], s["name"], status, False, 0, "", 0, 0, 0, 0))
            continue
        c = r["counts"]
        first = dt.datetime.fromisoformat(r["first_exported_at"])
        counts.append(c)
        supplies += rules.low_supplies(s["name"], c)
        if c.get("open_matters"):
            matters.append((s["name"], int(c["open_matters"])))
        rows.append(StationRow(s["code"], s["name"], status, rules.is_late(first, due), r["revision"],
                               clock.local(r["exported_at"], town.tz).strftime("%m-%d %H:%M"),
                               int(c.get("persons", 0)), int(c.get("fevers", 0)), int(c.get("follow_up", 0)),
                               int(c.get("open_matters", 0))))
    villages = rules.merge_follow_up(store_township.follow_up_on(store, day_text))
    return TownshipDay(town.name, day_text, town.cutoff, rows, rules.totals(counts), villages, supplies, matters,
                       clock.local(now, town.tz).strftime("%Y-%m-%d %H:%M"))


def history(store: Store, last_day: str | dt.date, days: int = 14, now: dt.datetime | None = None) -> list[DayBar]:
    """One bar per day for the dashboard's chart, oldest first."""
    town = require_township(store)
    now = now or clock.utc_now()
    last = last_day if isinstance(last_day, dt.date) else clock.parse_day(last_day)
    first = last - dt.timedelta(days=days - 1)
    reports = store_township.reports_between(store, first.isoformat(), last.isoformat())
    stations = store_township.stations(store)
    tz = clock.zone(town.tz)
    cutoff = rules.parse_cutoff(town.cutoff) or rules.parse_cutoff(rules.DEFAULT_CUTOFF)
    bars = []
    for i in range(days):
        day = first + dt.timedelta(days=i)
        text = day.isoformat()
        expected = {s["code"] for s in _expected(stations, text, town.tz)}
        todays = [r for r in reports if r["day"] == text and r["station_code"] in expected]
        waiting = now < rules.deadline(day, cutoff, tz)
        bars.append(DayBar(text, len(expected), len(todays), sum(bool(r["zero_report"]) for r in todays),
                           0 if waiting else len(expected) - len(todays),
                           sum(int(r["counts"].get("persons", 0)) for r in todays),
                           sum(int(r["counts"].get("fevers", 0)) for r in todays)))
    return bars


def latest_day(store: Store, now: dt.datetime | None = None) -> str:
    """Today in the township's time zone (the dashboard opens on it)."""
    town = require_township(store)
    return clock.local(now or clock.utc_now(), town.tz).date().isoformat()


# ---- writing the report ----------------------------------------------------------------------------------
def status_text(row: StationRow, text: Text) -> str:
    word = text(f"township.status.{row.status}")
    return word + (text("township.late_mark") if row.late else "")


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
              "| " + " | ".join(text(r + f"col.{c}") for c in _STATION_COLS) + " |",
              "|" + "---|" * len(_STATION_COLS)]
    for s in report.stations:
        lines.append("| " + " | ".join(str(v) for v in _station_cells(s, text)) + " |")
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


_STATION_COLS = ("code", "name", "status", "revision", "exported", "persons", "fevers", "follow_up", "matters")


def _station_cells(s: StationRow, text: Text) -> list:
    return [s.code, s.name, status_text(s, text), s.revision or "-", s.exported_local or "-",
            s.persons, s.fevers, s.follow_up, s.open_matters]


def _person_line(p, text: Text) -> str:
    fever = text("township.report.fever_mark") if p.fever else ""
    return text("township.report.person_line", name=p.name, doc=p.doc_no or "-", phone=p.phone or "-",
                disposition=p.disposition, fever=fever, stations="、".join(p.stations),
                times="、".join(x[5:16] if len(x) >= 16 else x for x in p.times))


def _supply_line(a: SupplyAlert, text: Text) -> str:
    return text("township.report.supply_line", station=a.station, item=tables.label("supply", a.item),
                count=a.count, days="-" if a.days_left is None else a.days_left)


def tables_of(report: TownshipDay, text: Text) -> list[tables.Table]:
    r = "township.report."
    stations = tables.Table(text(r + "sheet.stations"), [text(r + f"col.{c}") for c in _STATION_COLS],
                            [_station_cells(s, text) for s in report.stations])
    totals = tables.Table(text(r + "sheet.totals"), [text(r + "col.item"), text(r + "col.value")],
                          [[text(r + "total." + k), v] for k, v in report.totals.items()])
    follow = tables.Table(text(r + "sheet.follow_up"),
                          [text(r + f"col.{c}") for c in ("village", "person", "doc_no", "phone", "address",
                                                           "disposition", "fever", "temp", "seen_at", "times")],
                          [[g.village, p.name, p.doc_no, p.phone, p.address, p.disposition,
                            tables.yes_no(p.fever), p.temp, "、".join(p.stations), "、".join(p.times)]
                           for g in report.villages for p in g.people])
    supplies = tables.Table(text(r + "sheet.supplies"),
                            [text(r + f"col.{c}") for c in ("name", "item", "count", "days_left")],
                            [[a.station, tables.label("supply", a.item), a.count, a.days_left]
                             for a in report.supplies])
    matters = tables.Table(text(r + "sheet.matters"), [text(r + "col.name"), text(r + "col.matters")],
                           [[name, n] for name, n in report.matters])
    return [stations, totals, follow, supplies, matters]


@dataclass(frozen=True)
class Written:
    report: TownshipDay
    xlsx: Path
    markdown: Path
    files: list[Path] = field(default_factory=list)


def write_report(store: Store, day: str, out_dir: Path | str, now: dt.datetime | None = None) -> Written:
    """township-<day>.xlsx, .md and .docx into `out_dir` (made when missing). The words are
    Chinese whatever the UI language: the file goes up to the county as the township's report."""
    report = build_day(store, day, now)
    out = Path(out_dir).expanduser()
    from checkpoint.services.township_docx import write_township_docx

    md, xlsx = out / f"township-{report.day}.md", out / f"township-{report.day}.xlsx"
    docx = out / f"township-{report.day}.docx"   # the same report for Word/WPS (township_docx.py)
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
