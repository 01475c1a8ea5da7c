"""What the station is (its code, name, township, time zone), and opening its database file.
Setting a station up is services/setup.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checkpoint.errors import DatabaseError
from checkpoint.store import Store, open_store
from checkpoint.store import station as station_store


@dataclass(frozen=True)
class Station:
    code: str
    name: str
    township: str
    tz: str


def get_station(store: Store) -> Station | None:
    """This station (code, name, township, time zone), or None before it is set up."""
    row = station_store.get(store)
    if row is None:
        return None
    return Station(row["code"], row["name"], row["township"], row["tz"])


def require_station(store: Store) -> Station:
    """This station. Raises DatabaseError (station.not_set_up) before it is set up."""
    station = get_station(store)
    if station is None:
        raise DatabaseError("station.not_set_up")
    return station


def open_station(path: Path | str, create: bool = True) -> Store:
    """The station's database at `path`, migrated, for the CLI and the UI (which never open a store
    themselves). `create=False` refuses a missing or empty file. Raises DatabaseError with one
    sentence (store.opening.open_store says which)."""
    return open_store(path, create=create)
