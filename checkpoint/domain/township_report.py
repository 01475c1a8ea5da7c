"""The township's rules for a day's reports: who reported, who sent a zero report, who was late,
who is MISSING, and the follow-up list merged across stations by village.

"零报告不同于不报告" (003): a zero report is a report (nothing to follow up); a missing one is an
alarm. Before the day's cut-off a station that has not reported yet is only "waiting", so the
morning's dashboard is not a wall of alarms.

Late: the FIRST revision the township holds of a station day was exported after the cut-off
(default 17:00, township local time). A correction (r2) sent in the evening after an on-time r1
does not make the station late: the township had its figures in time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

REPORTED, ZERO, MISSING, WAITING = "reported", "zero", "missing", "waiting"
DEFAULT_CUTOFF = "17:00"
LOW_DAYS = 2.0  # supplies for fewer days than this are "running low" at the township too

# The numeric figures of summary.json that add up over stations.
TOTAL_KEYS = ("persons", "persons_in", "persons_out", "residents", "outsiders", "vehicles", "fevers",
              "not_measured", "key_area", "held_or_referred", "isolated", "follow_up", "passes_issued", "scans",
              "staff_on_duty", "open_matters")

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# 村 (village), 社区 / 居委会 (neighbourhood), 组 belongs to the village before it
_VILLAGE = re.compile(r"^(.*?(?:村|社区|居委会))")


def parse_cutoff(text: str) -> dt.time | None:
    match = _HHMM.match((text or "").strip())
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


def deadline(day: dt.date, cutoff: dt.time, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, cutoff, tzinfo=tz)


def status_of(has_report: bool, zero_report: bool, day_deadline: dt.datetime, now: dt.datetime) -> str:
    if has_report:
        return ZERO if zero_report else REPORTED
    return WAITING if now < day_deadline else MISSING


def is_late(first_exported: dt.datetime | None, day_deadline: dt.datetime) -> bool:
    return first_exported is not None and first_exported > day_deadline


def village_of(address: str) -> str:
    """The village an address belongs to: up to 村/社区/居委会 (青山镇红旗村3组 → 青山镇红旗村);
    an address without one stays whole, so nobody falls off the list."""
    text = "".join((address or "").split())
    match = _VILLAGE.match(text)
    return match.group(1) if match else text


@dataclass(frozen=True)
class FollowUpPerson:
    """One person to follow up; the same ID seen at two stations is one person with two sightings."""

    name: str
    doc_no: str
    phone: str
    address: str
    disposition: str
    fever: bool
    temp: str
    stations: tuple[str, ...]
    times: tuple[str, ...]


@dataclass(frozen=True)
class VillageGroup:
    village: str
    people: list[FollowUpPerson] = field(default_factory=list)


def merge_follow_up(rows: Iterable[dict]) -> list[VillageGroup]:
    """Rows (station_name, village, address, name, doc_no, phone, disposition, fever, temp, recorded)
    → villages in name order, each with its people in the order first seen; a person (same ID, or
    same name and phone when there is no ID) is listed once with every station that saw them."""
    villages: dict[str, dict[tuple, dict]] = {}
    for row in sorted(rows, key=lambda r: (r["village"], r["recorded"])):
        if row["doc_no"]:
            who: tuple = (row["doc_no"].upper(),)
        elif row["name"] or row["phone"]:
            who = (row["name"], row["phone"])
        else:   # purged: nobody to merge with, each row is its own person
            who = ("purged", row.get("id", id(row)))
        people = villages.setdefault(row["village"], {})
        seen = people.get(who)
        fever = row["fever"] in (True, 1, "1", "是", "yes")
        if seen is None:
            people[who] = {"row": row, "stations": [row["station_name"]], "times": [row["recorded"]], "fever": fever}
        else:
            if row["station_name"] not in seen["stations"]:
                seen["stations"].append(row["station_name"])
            seen["times"].append(row["recorded"])
            seen["fever"] = seen["fever"] or fever
            seen["row"] = row  # the latest sighting's disposition is the one that stands
    groups = []
    for village in sorted(villages):
        people = [FollowUpPerson(p["row"]["name"], p["row"]["doc_no"], p["row"]["phone"], p["row"]["address"],
                                 p["row"]["disposition"], p["fever"], p["row"]["temp"], tuple(p["stations"]),
                                 tuple(p["times"])) for p in villages[village].values()]
        groups.append(VillageGroup(village, people))
    return groups


def totals(counts: Iterable[dict]) -> dict[str, int]:
    """The township's figures: the stations' figures added up (a missing figure counts 0)."""
    result = {k: 0 for k in TOTAL_KEYS}
    for c in counts:
        for key in TOTAL_KEYS:
            value = c.get(key, 0)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                result[key] += int(value)
    return result


@dataclass(frozen=True)
class SupplyAlert:
    station: str
    item: str
    count: int
    days_left: float | None


def low_supplies(station: str, counts: dict, low_days: float = LOW_DAYS) -> list[SupplyAlert]:
    """Items the station itself marked low, or with nothing left, or fewer than `low_days` left."""
    alerts = []
    for line in counts.get("supplies") or []:
        if not isinstance(line, dict) or "item" not in line:
            continue
        count = line.get("count") if isinstance(line.get("count"), int) else 0
        days = line.get("days_left") if isinstance(line.get("days_left"), (int, float)) else None
        if line.get("low") or count <= 0 or (days is not None and days < low_days):
            alerts.append(SupplyAlert(station, str(line["item"]), count, days))
    return alerts
