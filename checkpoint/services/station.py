"""Setting up a station (first run) and reading what it is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from checkpoint.domain.policy import Policy
from checkpoint.errors import DatabaseError, InputError
from checkpoint.services import accounts, clock
from checkpoint.store import Store
from checkpoint.store import policy as policy_store
from checkpoint.store import staff as staff_store
from checkpoint.store import station as station_store

_CODE = re.compile(r"^[A-Za-z0-9\-]{1,20}$")


@dataclass(frozen=True)
class Station:
    code: str
    name: str
    township: str
    tz: str


def get_station(store: Store) -> Station | None:
    row = station_store.get(store)
    if row is None:
        return None
    return Station(row["code"], row["name"], row["township"], row["tz"])


def require_station(store: Store) -> Station:
    station = get_station(store)
    if station is None:
        raise DatabaseError("station.not_set_up")
    return station


def check_setup(code: str, name: str, township: str, tz: str, leader: str, pin: str) -> None:
    """Raise InputError naming the first wrong value (in form order)."""
    if not _CODE.match((code or "").strip()):
        raise InputError("station.code_format", field="code")
    if not (name or "").strip() or len(name.strip()) > 40:
        raise InputError("station.name_required", field="station_name")
    if not (township or "").strip() or len(township.strip()) > 40:
        raise InputError("station.township_required", field="township")
    clock.zone(tz)
    accounts.check_name(leader)
    accounts.check_pin_format(pin)


def init_station(store: Store, code: str, name: str, township: str, leader: str, pin: str,
                 tz: str = clock.DEFAULT_TZ) -> Station:
    """Create the station, its first leader, and policy version 1, in one transaction."""
    check_setup(code, name, township, tz, leader, pin)
    existing = get_station(store)
    if existing is not None:
        raise InputError("station.already", name=existing.name)
    pin_hash = accounts.hash_pin(pin)
    with store.write():
        station_store.create(store, code.strip(), name.strip(), township.strip(), tz)
        staff_store.add(store, leader.strip(), "leader", pin_hash, None)
        policy_store.add_version(store, [], Policy().rules_json(), None, "initial")
    from checkpoint.services.keys import ensure_station_key  # keys needs a station first

    ensure_station_key(store)  # the station's own signing key, made at setup
    return require_station(store)
