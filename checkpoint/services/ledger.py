"""Reading the ledger (登记台账) as people see it: masked, in local time, with labels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checkpoint.domain import clock
from checkpoint.services.entry_line import Line, line
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import entries as entries_store


@dataclass(frozen=True)
class DayCounts:
    """A day's (or a shift's) figures, as the ledger's top line and the sign-off keep them."""

    persons: int = 0
    persons_in: int = 0
    persons_out: int = 0
    vehicles: int = 0
    fevers: int = 0
    turned_back: int = 0
    held_or_referred: int = 0
    isolated: int = 0
    key_area: int = 0


def today(store: Store, now: dt.datetime | None = None) -> str:
    """Today's date (YYYY-MM-DD) in the station's zone, at `now` (default: the clock). Raises
    DatabaseError when the station is not set up."""
    station = require_station(store)
    return clock.local_day(now or clock.utc_now(), station.tz)


def day_lines(store: Store, day: str, limit: int | None = None, newest_first: bool = False) -> list[Line]:
    """The entries of `day` (YYYY-MM-DD) as lines, oldest first unless `newest_first`, at most
    `limit`. Raises DatabaseError when the station is not set up."""
    station = require_station(store)
    return [line(r, station.tz) for r in entries_store.for_day(store, day, limit, newest_first)]


def day_counts(store: Store, day: str) -> DayCounts:
    """The figures of `day` (YYYY-MM-DD), as the entries stand now (amendments included)."""
    return _counts(entries_store.day_counts(store, day))


def shift_lines(store: Store, shift_id: int, limit: int) -> list[Line]:
    """The newest `limit` entries of shift `shift_id` as lines. Raises DatabaseError when the
    station is not set up."""
    station = require_station(store)
    return [line(r, station.tz) for r in entries_store.for_shift(store, shift_id, limit)]


def shift_counts(store: Store, shift_id: int) -> DayCounts:
    """The figures of shift `shift_id`, as its entries stand now."""
    return _counts(entries_store.shift_counts(store, shift_id))


def _counts(row: dict) -> DayCounts:
    return DayCounts(**{k: int(row.get(k) or 0) for k in DayCounts.__dataclass_fields__})
