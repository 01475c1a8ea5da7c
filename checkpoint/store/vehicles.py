"""Vehicle corrections: the rows of `vehicle_amendments` and the vehicle as it stands now
(`vehicles_now`, migration m008). The original `vehicles` row is never updated."""

from __future__ import annotations

from checkpoint.store import audit
from checkpoint.database.file import now_utc
from checkpoint.store.connection import Store
from checkpoint.store.definitions import VEHICLE_AMENDABLE

# The search index keys a vehicle correction's words (its new plate) at -(VEHICLE_TERMS + id):
# below every entry amendment's -id, so the two kinds of correction never share a rowid.
VEHICLE_TERMS = 1_000_000_000_000


def now(store: Store, vehicle_id: int) -> dict | None:
    return store.read_one("SELECT * FROM vehicles_now WHERE id = ?", (vehicle_id,))


def amendments(store: Store, vehicle_id: int) -> list[dict]:
    return store.read("SELECT a.*, s.name AS staff_name FROM vehicle_amendments a LEFT JOIN staff s "
                      "ON s.id = a.staff_id WHERE a.vehicle_id = ? ORDER BY a.id", (vehicle_id,))


def person_count(store: Store, vehicle_id: int) -> int:
    row = store.read_one("SELECT count(*) AS n FROM entries WHERE vehicle_id = ?", (vehicle_id,))
    return int(row["n"]) if row else 0


def insert_amendment(store: Store, vehicle_id: int, changes: dict, values: dict, reason: str, staff_id: int,
                     after_signoff: bool, search_terms: str) -> int:
    """Record a vehicle correction with the vehicle's values after it; call inside write()."""
    row = {"vehicle_id": vehicle_id, "at": now_utc(), "staff_id": staff_id, "changes": audit.canonical(changes),
           "reason": reason, "after_signoff": int(after_signoff), **{c: values[c] for c in VEHICLE_AMENDABLE}}
    amendment_id = store.insert("vehicle_amendments", row)
    audit.append(store, "vehicle.amend", staff_id, "vehicle_amendments", amendment_id,
                 row={"id": amendment_id, **row},
                 detail={"vehicle": vehicle_id, "fields": sorted(changes), "after_signoff": after_signoff})
    if search_terms:
        store.execute("INSERT INTO entry_search (rowid, terms) VALUES (?, ?)",
                      (-(VEHICLE_TERMS + amendment_id), search_terms))
    return amendment_id
