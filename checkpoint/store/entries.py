"""Registrations: vehicles and the persons (entries) in them. Rows are only ever inserted;
a correction is an amendment row (see `amendments`)."""

from __future__ import annotations

from checkpoint.store import audit
from checkpoint.store.connection import Store

LIST_COLUMNS = ("e.id, e.recorded_at, e.local_day, e.name, e.doc_type, e.doc_no, e.phone, e.origin, "
                "e.temp, e.recheck_temp, e.temp_method, e.fever, e.direction, e.disposition, "
                "e.key_area_travel, e.address, e.staff_id, e.vehicle_id, v.plate, s.name AS staff_name")


def insert_vehicle(store: Store, row: dict) -> int:
    vehicle_id = store.insert("vehicles", row)
    audit.append(store, "vehicle.register", row["staff_id"], "vehicles", vehicle_id, row={"id": vehicle_id, **row})
    return vehicle_id


def insert_entry(store: Store, row: dict, search_terms: str = "") -> int:
    entry_id = store.insert("entries", row)
    audit.append(store, "entry.register", row["staff_id"], "entries", entry_id, row={"id": entry_id, **row})
    if search_terms:
        store.execute("INSERT INTO entry_search (rowid, terms) VALUES (?, ?)", (entry_id, search_terms))
    return entry_id


def get(store: Store, entry_id: int) -> dict | None:
    return store.read_one("SELECT * FROM entries WHERE id = ?", (entry_id,))


def get_vehicle(store: Store, vehicle_id: int) -> dict | None:
    return store.read_one("SELECT * FROM vehicles_now WHERE id = ?", (vehicle_id,))   # as corrected


def last_by_document(store: Store, doc_no: str) -> dict | None:
    """The newest entry of this document number, with its vehicle's plate and type."""
    return store.read_one(
        "SELECT e.*, v.plate AS vehicle_plate, v.vehicle_type AS vehicle_type FROM entries e "
        "LEFT JOIN vehicles_now v ON v.id = e.vehicle_id WHERE e.doc_no = ? ORDER BY e.id DESC LIMIT 1",
        (doc_no,))


def for_day(store: Store, day: str, limit: int | None = None, newest_first: bool = False) -> list[dict]:
    order = "DESC" if newest_first else "ASC"
    sql = (f"SELECT {LIST_COLUMNS} FROM entries_now e LEFT JOIN vehicles_now v ON v.id = e.vehicle_id "
           f"LEFT JOIN staff s ON s.id = e.staff_id WHERE e.local_day = ? ORDER BY e.id {order}")
    params: list = [day]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return store.read(sql, params)


def for_shift(store: Store, shift_id: int, limit: int, newest_first: bool = True) -> list[dict]:
    order = "DESC" if newest_first else "ASC"
    return store.read(f"SELECT {LIST_COLUMNS} FROM entries_now e LEFT JOIN vehicles_now v ON v.id = e.vehicle_id "
                      f"LEFT JOIN staff s ON s.id = e.staff_id WHERE e.shift_id = ? ORDER BY e.id {order} LIMIT ?",
                      (shift_id, limit))


_COUNTS = ("SELECT count(*) AS persons, "
           "coalesce(sum(direction = 'in'), 0) AS persons_in, coalesce(sum(direction = 'out'), 0) AS persons_out, "
           "coalesce(sum(fever), 0) AS fevers, coalesce(sum(disposition = 'turn-back'), 0) AS turned_back, "
           "coalesce(sum(disposition IN ('hold', 'refer')), 0) AS held_or_referred, "
           "coalesce(sum(disposition IN ('home-isolation', 'central-isolation')), 0) AS isolated, "
           "coalesce(sum(key_area_travel), 0) AS key_area FROM entries_now WHERE {column} = ?")


def _counts(store: Store, column: str, value: object) -> dict:
    row = store.read_one(_COUNTS.format(column=column), (value,)) or {}
    vehicles = store.read_one(f"SELECT count(*) AS n FROM vehicles WHERE {column} = ?", (value,))
    row["vehicles"] = int(vehicles["n"]) if vehicles else 0
    return row


def shift_counts(store: Store, shift_id: int) -> dict:
    return _counts(store, "shift_id", shift_id)


def day_counts(store: Store, day: str) -> dict:
    return _counts(store, "local_day", day)


def count_all(store: Store) -> int:
    row = store.read_one("SELECT count(*) AS n FROM entries")
    return int(row["n"]) if row else 0
