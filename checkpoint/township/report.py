"""The township's daily report (镇汇总日报) and the dashboard's figures: one row per registered
station (reported / zero report / late / MISSING), the township totals, the follow-up list merged
by village, supplies running low, open matters; and how it reads as tables (the XLSX sheets and the
Word document's tables). Writing the files is township/report_files.py.

Which stations are expected on a day: every registered station from the earlier of the day it was
registered and the first day it ever reported (so a station registered today that sends last
week's bundles is held to last week too, and a new one is not MISSING for days before it existed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from checkpoint.domain import clock
from checkpoint.domain import township_report as rules
from checkpoint.domain.township_report import SupplyAlert, VillageGroup
from checkpoint.exchange import tables
from checkpoint.township import store as store_township
from checkpoint.township.office import require_township
from checkpoint.township.schema import TownshipStore

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


def build_day(store: TownshipStore, day: str | dt.date, now: dt.datetime | None = None) -> TownshipDay:
    """The township's report of `day` (date or YYYY-MM-DD): each expected station's status (in, late,
    missing, zero report) at `now`, totals, follow-ups by village, supplies, open matters. Raises
    InputError for a bad date, DatabaseError before `township init`."""
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


def history(store: TownshipStore, last_day: str | dt.date, days: int = 14, now: dt.datetime | None = None) -> list[DayBar]:
    """One bar per day for the dashboard's chart, oldest first. Raises DatabaseError before `township init`."""
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


def latest_day(store: TownshipStore, now: dt.datetime | None = None) -> str:
    """Today in the township's time zone (the dashboard opens on it).
    Raises DatabaseError before `township init`."""
    town = require_township(store)
    return clock.local(now or clock.utc_now(), town.tz).date().isoformat()


# ---- how the report reads -------------------------------------------------------------------------------
def status_text(row: StationRow, text: Text) -> str:
    """A station row's status in words, with the late mark, through `text` (t or t_in)."""
    word = text(f"township.status.{row.status}")
    return word + (text("township.late_mark") if row.late else "")


STATION_COLUMNS = ("code", "name", "status", "revision", "exported", "persons", "fevers", "follow_up", "matters")


def station_cells(s: StationRow, text: Text) -> list:
    """A station row as the cells of the report's station table."""
    return [s.code, s.name, status_text(s, text), s.revision or "-", s.exported_local or "-",
            s.persons, s.fevers, s.follow_up, s.open_matters]


def tables_of(report: TownshipDay, text: Text) -> list[tables.Table]:
    """The report as tables (stations, totals, follow-ups, supplies, matters) for the xlsx and docx files."""
    r = "township.report."
    stations = tables.Table(text(r + "sheet.stations"), [text(r + f"col.{c}") for c in STATION_COLUMNS],
                            [station_cells(s, text) for s in report.stations])
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
