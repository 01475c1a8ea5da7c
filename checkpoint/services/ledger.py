"""Reading the ledger (登记台账) as people see it: masked, in local time, with labels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checkpoint.domain.masking import mask_id_number, mask_phone
from checkpoint.i18n import t
from checkpoint.services import clock
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import entries as entries_store


@dataclass(frozen=True)
class LedgerLine:
    id: int
    time: str
    name: str
    doc: str
    phone: str
    plate: str
    origin: str
    temp: str
    fever: bool
    direction: str
    disposition: str
    staff: str


@dataclass(frozen=True)
class DayCounts:
    persons: int = 0
    persons_in: int = 0
    persons_out: int = 0
    vehicles: int = 0
    fevers: int = 0
    turned_back: int = 0
    held_or_referred: int = 0
    isolated: int = 0
    key_area: int = 0


def temperature_text(row: dict) -> str:
    if row.get("temp") is None:
        return t("temp_method.none")
    text = f"{row['temp']:.1f}"
    if row.get("recheck_temp") is not None:
        text += f"→{row['recheck_temp']:.1f}"
    return text


def line(row: dict, tz: str) -> LedgerLine:
    return LedgerLine(
        id=row["id"], time=clock.local(row["recorded_at"], tz).strftime("%H:%M"), name=row["name"],
        doc=mask_id_number(row["doc_no"]), phone=mask_phone(row["phone"]), plate=row.get("plate") or "",
        origin=row["origin"], temp=temperature_text(row), fever=bool(row["fever"]),
        direction=t(f"direction.{row['direction']}"), disposition=t(f"disposition.{row['disposition']}"),
        staff=row.get("staff_name") or "")


def today(store: Store, now: dt.datetime | None = None) -> str:
    station = require_station(store)
    return clock.local_day(now or clock.utc_now(), station.tz)


def day_lines(store: Store, day: str, limit: int | None = None, newest_first: bool = False) -> list[LedgerLine]:
    station = require_station(store)
    return [line(r, station.tz) for r in entries_store.for_day(store, day, limit, newest_first)]


def day_counts(store: Store, day: str) -> DayCounts:
    row = entries_store.day_counts(store, day)
    return DayCounts(**{k: int(row.get(k) or 0) for k in DayCounts.__dataclass_fields__})


def shift_lines(store: Store, shift_id: int, limit: int) -> list[LedgerLine]:
    station = require_station(store)
    return [line(r, station.tz) for r in entries_store.for_shift(store, shift_id, limit)]


def shift_counts(store: Store, shift_id: int) -> DayCounts:
    row = entries_store.shift_counts(store, shift_id)
    return DayCounts(**{k: int(row.get(k) or 0) for k in DayCounts.__dataclass_fields__})
