"""A shift and who stands it: open one with its roster, change the roster, and see the shift as
its screen shows it (figures computed from the records, never typed; staffing warnings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from checkpoint.domain import clock
from checkpoint.domain import shifts as rules
from checkpoint.errors import InputError, RefusedError
from checkpoint.i18n import t
from checkpoint.services import settings
from checkpoint.services.accounts import Account, require
from checkpoint.services.shifts.matters import Matter, open_matters
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import shifts as shift_store
from checkpoint.store import staff as staff_store
from checkpoint.store import station as station_store


@dataclass
class ShiftStatus:
    """A shift as its screen shows it: the row, who is on it, its figures, warnings and the open matters."""

    shift: dict
    roster: list[rules.RosterMember]
    counts: dict
    warnings: list[tuple[str, dict]]
    matters: list[Matter] = field(default_factory=list)

    started_local: str = ""

    @property
    def warning_texts(self) -> list[str]:
        return warning_texts(self.warnings)


def roster_people(store: Store, roster_text: list[tuple[str, str]]) -> list[tuple[dict, str]]:
    """The staff rows of a roster [(name, category)], each once. Raises InputError for an unknown
    person or category, RefusedError for a disabled account."""
    members = []
    for name, category in roster_text:
        row = staff_store.by_name(store, name.strip())
        if row is None:
            raise InputError("account.unknown", field="roster", name=name)
        if not row["active"]:
            raise RefusedError("dayclose.roster_disabled", field="roster", name=name)
        if category not in rules.CATEGORIES:
            raise InputError("shift.category_unknown", field="roster", value=category)
        if any(m[0]["id"] == row["id"] for m in members):
            continue
        members.append((row, category))
    return members


def parse_roster(text: str) -> list[tuple[str, str]]:
    """'王队长:township-cadre,李四:police' (category optional, default village-cadre)."""
    out = []
    for part in (text or "").replace("，", ",").split(","):
        if not part.strip():
            continue
        name, _, category = part.replace("：", ":").partition(":")
        out.append((name.strip(), category.strip() or "village-cadre"))
    return out


def kind_now(store: Store, now: dt.datetime | None = None) -> str:
    """The kind of shift that begins now, by the station's clock and its day/night times
    (settings day-shift-from, night-shift-from; 06:00 and 18:00 unless changed).
    Raises DatabaseError when the station is not set up."""
    station = require_station(store)
    local = clock.local(now or clock.utc_now(), station.tz)
    day_from, night_from = settings.shift_times(store)
    return rules.kind_at(local.hour * 60 + local.minute, day_from, night_from)


def start_shift(store: Store, by: Account, kind: str | None, roster: list[tuple[str, str]],
                now: dt.datetime | None = None) -> ShiftStatus:
    """Open a shift led by `by` with `roster` [(name, category)]; `kind` None follows the clock.
    Raises RefusedError when a shift is open or a person's account is disabled, InputError for an
    unknown kind, person or category."""
    require(by, "shift.lead")
    now = now or clock.utc_now()
    kind = kind or kind_now(store, now)
    if kind not in rules.KINDS:
        raise InputError("shift.kind_unknown", field="kind", value=kind)
    station = require_station(store)
    members = roster_people(store, roster)
    if not any(row["id"] == by.id for row, _ in members):
        members.insert(0, (staff_store.by_id(store, by.id), "township-cadre"))
    at = now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    with store.write():
        if shift_store.open_shift(store) is not None:
            raise RefusedError("shift.already_open")
        previous = shift_store.last_closed(store)
        shift_id = shift_store.start(store, kind, at, clock.local_day(now, station.tz), by.id,
                                     previous["id"] if previous else None, by.id)
        for row, category in members:
            shift_store.roster_event(store, shift_id, row["id"], category, "join", at, by.id)
    return shift_status(store, now)


def require_open(store: Store) -> dict:
    """The open shift's row. Raises RefusedError (shift.none_open) when no shift is open."""
    row = shift_store.open_shift(store)
    if row is None:
        raise RefusedError("shift.none_open")
    return row


def change_roster(store: Store, by: Account, name: str, action: str, category: str = "village-cadre",
                  now: dt.datetime | None = None) -> None:
    """Add (`action` "join") or remove ("leave") `name` on the open shift's roster, audited. Raises
    RefusedError when `by` may not lead a shift or no shift is open, InputError for another action
    or an unknown name."""
    require(by, "shift.lead")
    if action not in ("join", "leave"):
        raise InputError("shift.roster_action", field="action", value=action)
    now = now or clock.utc_now()
    with store.write():
        current = require_open(store)
        ((row, category),) = roster_people(store, [(name, category)]) if action == "join" else (
            (staff_store.by_name(store, name.strip()) or _unknown(name), category),)
        shift_store.roster_event(store, current["id"], row["id"], category, action,
                                 now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"), by.id)


def _unknown(name: str):
    raise InputError("account.unknown", field="roster", name=name)


def roster_members(store: Store, shift_id: int) -> list[rules.RosterMember]:
    """Who is on shift `shift_id`'s roster now."""
    return [rules.RosterMember(r["staff_id"], r["name"], r["role"], r["category"])
            for r in shift_store.roster(store, shift_id)]


def no_shift_text(store: Store) -> str:
    """What to say when no shift is open: that, and the last 收班 when there was one.
    Raises DatabaseError when the station is not set up."""
    text = t("dayclose.no_shift")
    last = shift_store.last_close(store)
    if last is not None:
        at = clock.local(last["signed_at"], require_station(store).tz).strftime("%m-%d %H:%M")
        text += "；" + t("dayclose.last_close", id=last["shift_id"], at=at, name=last.get("outgoing_name") or "")
    return text


def staffing_banner(store: Store) -> str | None:
    """One line for the desk when the open shift is under-staffed (003: at least 4 by day, 2 at
    night), crowded, or has no leader on its roster; None when it is fine or no shift is open."""
    row = shift_store.open_shift(store)
    if row is None:
        return None
    roster = roster_members(store, row["id"])
    warnings = rules.staffing_warnings(row["kind"], roster, _max_staff(store))
    if not warnings:
        return None
    return t("dayclose.staffing_banner", id=row["id"], text="；".join(warning_texts(warnings)))


def warning_texts(warnings: list[tuple[str, dict]]) -> list[str]:
    """Staffing warnings (domain.shifts.staffing_warnings) in words."""
    return [t(key, **({**params, "kind": t(f"shift.kind_{params['kind']}")} if "kind" in params else params))
            for key, params in warnings]


def _max_staff(store: Store) -> int:
    # not a setting a leader changes (services.settings): a station's own limit, kept by hand if ever
    return int(station_store.get_setting(store, "max_staff", rules.MAX_STAFF))


def shift_status(store: Store, now: dt.datetime | None = None, shift_id: int | None = None) -> ShiftStatus:
    """The open shift (or shift `shift_id`): its row, roster, figures, staffing warnings, the open
    matters and its start in station time. Raises RefusedError when no shift is open, InputError for
    an unknown `shift_id`."""
    row = shift_store.shift(store, shift_id) if shift_id else require_open(store)
    if row is None:
        raise InputError("shift.unknown", field="shift", value=shift_id)
    roster = roster_members(store, row["id"])
    started = clock.local(row["started_at"], require_station(store).tz).strftime("%Y-%m-%d %H:%M")
    return ShiftStatus(row, roster, shift_store.counts(store, row["id"]), rules.staffing_warnings(
        row["kind"], roster, _max_staff(store)), open_matters(store, now), started)
