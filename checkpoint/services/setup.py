"""Setting up a station (the first-run screen and `checkpoint init`): its code, name, township and
time zone, the first leader, policy version 1 and the station's signing key, in that order."""

from __future__ import annotations

import re

from checkpoint.domain import clock
from checkpoint.domain.policy import Policy
from checkpoint.errors import InputError
from checkpoint.services import accounts
from checkpoint.services.keys import ensure_station_key
from checkpoint.services.station import Station, get_station, require_station
from checkpoint.store import Store
from checkpoint.store import policy as policy_store
from checkpoint.store import staff as staff_store
from checkpoint.store import station as station_store

_CODE = re.compile(r"^[A-Za-z0-9\-]{1,20}$")


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
    """Create the station, its first leader, and policy version 1, in one transaction.
    Raises InputError when a station is set up already or a field is bad
    (code, name, township, leader's name or PIN)."""
    check_setup(code, name, township, tz, leader, pin)
    existing = get_station(store)
    if existing is not None:
        raise InputError("station.already", name=existing.name)
    pin_hash = accounts.hash_pin(pin)
    with store.write():
        station_store.create(store, code.strip(), name.strip(), township.strip(), tz)
        staff_store.add(store, leader.strip(), "leader", pin_hash, None)
        policy_store.add_version(store, [], Policy().rules_json(), None, "initial")
    ensure_station_key(store)  # the station's own signing key, made at setup
    return require_station(store)
