"""Shifts (班次) and the handover (交接班): staffing warnings and supply arithmetic.

003: 白天值守人员不少于4人, 夜间不少于2人; too many people crowding a checkpoint was criticised
too (000). These are warnings shown to the leader, never refusals.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("day", "night")
# 镇干部 民辅警 区直部门干部 村社区干部 医护 志愿者
CATEGORIES = ("township-cadre", "police", "district-cadre", "village-cadre", "medic", "volunteer")
MIN_STAFF = {"day": 4, "night": 2}
MAX_STAFF = 8
DEFAULT_ITEMS = ("masks", "disinfectant", "thermometers-working", "thermometers-total", "batteries", "forms")
LOW_STOCK_DAYS = 2.0
DAY_FROM, NIGHT_FROM = "06:00", "18:00"   # the station's defaults (settings day-shift-from, night-shift-from)
EARLY_MINUTES = 60   # a shift taken over up to an hour before its start is already that shift


@dataclass(frozen=True)
class RosterMember:
    staff_id: int
    name: str
    role: str
    category: str


def staffing_warnings(kind: str, roster: list[RosterMember], maximum: int = MAX_STAFF) -> list[tuple[str, dict]]:
    """(catalogue key, params) for each staffing problem of a roster; [] when it is fine."""
    warnings: list[tuple[str, dict]] = []
    minimum = MIN_STAFF.get(kind, 2)
    if len(roster) < minimum:
        warnings.append(("shift.warn_under", {"count": len(roster), "minimum": minimum,
                                              "kind": kind}))
    if len(roster) > maximum:
        warnings.append(("shift.warn_crowd", {"count": len(roster), "maximum": maximum}))
    if not any(m.role in ("leader", "admin") for m in roster):
        warnings.append(("shift.warn_no_leader", {}))
    return warnings


@dataclass(frozen=True)
class StockLine:
    item: str
    count: int
    previous: int | None
    used: int | None
    days_left: float | None
    low: bool


def stock_lines(current: dict[str, int], previous: dict[str, int] | None, hours: float,
                low_days: float = LOW_STOCK_DAYS) -> list[StockLine]:
    """Usage since the last handover and days of stock left at that rate."""
    lines = []
    for item, count in current.items():
        before = (previous or {}).get(item)
        used = before - count if before is not None and before >= count else None
        days_left = None
        if used and hours > 0:
            per_day = used / (hours / 24)
            days_left = round(count / per_day, 1) if per_day > 0 else None
        low = days_left is not None and days_left < low_days
        lines.append(StockLine(item, count, before, used, days_left, low))
    return lines


def parse_stock(text: str) -> dict[str, int]:
    """'masks=200, disinfectant=3' → {'masks': 200, ...}. Raises ValueError(part) for a bad part."""
    stock: dict[str, int] = {}
    for part in (text or "").replace("，", ",").split(","):
        if not part.strip():
            continue
        item, sep, value = part.replace("＝", "=").partition("=")
        value = value.strip()
        if not sep or not item.strip() or not value.isdigit() or len(value) > 7:
            raise ValueError(part.strip())
        stock[item.strip()] = int(value)
    return stock


def minutes_of(hhmm: str) -> int:
    """'08:00' -> 480 (the settings are checked HH:MM before they are kept)."""
    hours, _, minutes = hhmm.partition(":")
    return int(hours) * 60 + int(minutes)


def kind_at(minute_of_day: int, day_from: str = DAY_FROM, night_from: str = NIGHT_FROM) -> str:
    """The kind of shift that starts now: 'day' between day_from and night_from, else 'night'.

    A handover up to EARLY_MINUTES before a boundary names the shift about to begin (the night
    crew arriving at 19:40 takes the night shift). Day and night times that are equal mean a
    station that keeps one kind: day."""
    start, end = minutes_of(day_from), minutes_of(night_from)
    if start == end:
        return "day"
    at = (minute_of_day + EARLY_MINUTES) % (24 * 60)
    if start < end:
        return "day" if start <= at < end else "night"
    return "night" if end <= at < start else "day"
