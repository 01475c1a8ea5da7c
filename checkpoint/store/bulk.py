"""Bulk loading of registrations (vehicles, entries, the closing-out of held, referred and
escorted persons, and their audit rows) for demo data and benchmarks: `executemany` in large
transactions instead of one transaction per person.

Every row still gets the audit row `audit.append` would have written for it (the same action,
staff, target, detail and row digest, chained to the previous hash), so `audit verify` holds on
a generated database exactly as on a typed-in one. Ids are assigned here, from max(id) + 1, inside
the transaction, so nothing has to be read back.

Values must be given as SQLite returns them (ints for flags, floats with one decimal for
temperatures, None for NULL): the digest is computed from the values passed, and `verify` compares
it with the row read back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from checkpoint.store import audit
from checkpoint.database.file import now_utc
from checkpoint.store.connection import Store

# Column order of the tuples callers pass (the table's columns minus `id`, and for entries minus
# `vehicle_id`, which is filled in here from the vehicle of the same registration).
VEHICLE_COLUMNS = ("recorded_at", "local_day", "staff_id", "shift_id", "plate", "vehicle_type",
                   "occupants", "disinfected", "live_poultry", "illegal_passengers", "direction")
ENTRY_COLUMNS = ("recorded_at", "local_day", "staff_id", "shift_id", "name", "doc_type", "doc_no",
                 "phone", "address", "resident", "origin", "key_area_travel", "travel_where",
                 "purpose", "destination", "symptoms", "health_code", "temp", "temp_method",
                 "not_measured_reason", "recheck_temp", "fever", "direction", "disposition",
                 "suggested", "suggestion_reason", "disposition_source", "policy_version")
_STAFF = 2  # index of staff_id in both tuples
# A closure (matter closed out) of one of the registration's persons:
# (index of the person in the registration, closed_at, staff_id, note).
CLOSURE_COLUMNS = ("kind", "ref_id", "closed_at", "staff_id", "shift_id", "note")

VEHICLE_ACTION = "vehicle.register"
ENTRY_ACTION = "entry.register"
CLOSE_ACTION = "matter.close"
_DETAIL = audit.canonical({})

# audit.canonical, with the encoder built once instead of per call (same options, same output;
# checked against audit.row_digest on the first row of every batch).
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode
_sha256 = hashlib.sha256


class BulkMismatch(RuntimeError):
    """The bulk digest differs from audit.row_digest, or a table has columns this module does not
    know: a programming error (a migration or the audit format changed), never a person's."""


# (vehicle values or None, [entry values, ...]) or the same with a third item, [closure, ...]:
# one registration as `register()` saves it, and the later closing-out of some of its persons.
Registration = tuple


@dataclass
class Loaded:
    vehicles: int = 0
    entries: int = 0
    closures: int = 0
    audit_rows: int = 0


@contextlib.contextmanager
def bulk_mode(store: Store, cache_mib: int = 64) -> Iterator[Store]:
    """Looser durability and a bigger page cache for the length of a bulk load, then back to
    `synchronous=FULL`. In WAL mode NORMAL never corrupts the file; a power cut may only lose
    the last batches, which a generator can simply run again."""
    conn = store.conn
    old_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA cache_size = {-int(cache_mib) * 1024}")
    try:
        yield store
    finally:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA cache_size = {int(old_cache)}")
        with contextlib.suppress(Exception):
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _columns(store: Store, table: str) -> tuple[str, ...]:
    return tuple(r[1] for r in store.conn.execute(f"PRAGMA table_info({table})"))


def _check_columns(store: Store) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    vehicle_cols = ("id",) + VEHICLE_COLUMNS
    entry_cols = ("id",) + ENTRY_COLUMNS[:4] + ("vehicle_id",) + ENTRY_COLUMNS[4:]
    closure_cols = ("id",) + CLOSURE_COLUMNS
    for table, cols in (("vehicles", vehicle_cols), ("entries", entry_cols), ("closures", closure_cols)):
        # columns added later are NULL in generated rows, as they are left out of the digest
        if set(_columns(store, table)) - audit.ADDED_LATER.get(table, set()) != set(cols):
            raise BulkMismatch(f"{table} columns changed; update checkpoint/store/bulk.py")
    return vehicle_cols, entry_cols, closure_cols


def _next_id(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])


_NAME, _DOC, _PHONE = (ENTRY_COLUMNS.index(c) for c in ("name", "doc_no", "phone"))
_PLATE = VEHICLE_COLUMNS.index("plate")


def insert_registrations(store: Store, registrations: Sequence[Registration],
                         search_terms: Callable[[str, str, str, str], str] | None = None) -> Loaded:
    """Insert the registrations, in order, in one transaction, each row with its audit row.

    A vehicle's audit row comes before its persons', as `register()` writes them; the closures
    come after all of the batch's registrations (they happened later).
    """
    vehicle_cols, entry_cols, closure_cols = _check_columns(store)
    loaded = Loaded()
    with store.write():
        vehicle_id = _next_id(store, "vehicles")
        entry_id = _next_id(store, "entries")
        audit_id = _next_id(store, "audit")
        closure_id = _next_id(store, "closures")
        prev = audit.last_hash(store)
        at = now_utc()
        vehicle_rows: list[tuple] = []
        entry_rows: list[tuple] = []
        audit_rows: list[tuple] = []
        closure_rows: list[tuple] = []
        search_rows: list[tuple[int, str]] = []
        checked = {"vehicles": False, "entries": False, "closures": False}

        def digest_of(table: str, cols: tuple[str, ...], row: tuple) -> str:
            as_dict = dict(zip(cols, row))
            d = _sha256(_encode(as_dict).encode()).hexdigest()
            if not checked[table]:
                if d != audit.row_digest(table, as_dict):
                    raise BulkMismatch("bulk digest differs from audit.row_digest")
                checked[table] = True
            return d

        def chain(staff_id: int, action: str, table: str, target: int, digest: str) -> None:
            nonlocal prev, audit_id
            body = _encode([prev, at, staff_id, action, table, target, _DETAIL, digest])
            h = _sha256(body.encode()).hexdigest()
            audit_rows.append((audit_id, at, staff_id, action, table, target, _DETAIL, digest, prev, h))
            prev = h
            audit_id += 1

        for registration in registrations:
            vehicle, persons = registration[0], registration[1]
            vid = None
            if vehicle is not None:
                vid = vehicle_id
                vehicle_id += 1
                row = (vid,) + tuple(vehicle)
                vehicle_rows.append(row)
                chain(row[_STAFF + 1], VEHICLE_ACTION, "vehicles", vid,
                      digest_of("vehicles", vehicle_cols, row))
            first_entry = entry_id
            for person in persons:
                eid = entry_id
                entry_id += 1
                row = (eid,) + tuple(person[:4]) + (vid,) + tuple(person[4:])
                entry_rows.append(row)
                chain(row[_STAFF + 1], ENTRY_ACTION, "entries", eid, digest_of("entries", entry_cols, row))
                if search_terms is not None:
                    search_rows.append((eid, search_terms(person[_NAME], person[_DOC], person[_PHONE],
                                                          vehicle[_PLATE] if vehicle is not None else "")))
            if len(registration) > 2:
                for index, closed_at, staff_id, note in registration[2]:
                    if not 0 <= index < len(persons):
                        raise IndexError(f"closure of person {index} of {len(persons)}")
                    closure_rows.append((None, "entry", first_entry + index, closed_at, staff_id, None, note))
        for i, pending in enumerate(closure_rows):
            row = (closure_id,) + pending[1:]
            closure_rows[i] = row
            chain(row[4], CLOSE_ACTION, "closures", closure_id, digest_of("closures", closure_cols, row))
            closure_id += 1
        if audit_rows:
            first = audit_rows[0]
            if first[9] != audit.chain_hash(first[8], *first[1:8]):
                raise BulkMismatch("bulk chain hash differs from audit.chain_hash")
        conn = store.conn
        if vehicle_rows:
            conn.executemany(f"INSERT INTO vehicles ({', '.join(vehicle_cols)}) "
                             f"VALUES ({', '.join('?' * len(vehicle_cols))})", vehicle_rows)
        if entry_rows:
            conn.executemany(f"INSERT INTO entries ({', '.join(entry_cols)}) "
                             f"VALUES ({', '.join('?' * len(entry_cols))})", entry_rows)
        if closure_rows:
            conn.executemany(f"INSERT INTO closures ({', '.join(closure_cols)}) "
                             f"VALUES ({', '.join('?' * len(closure_cols))})", closure_rows)
        if search_rows:
            conn.executemany("INSERT INTO entry_search (rowid, terms) VALUES (?, ?)", search_rows)
        if audit_rows:
            conn.executemany("INSERT INTO audit (id, at, staff_id, action, target_table, target_id, detail,"
                             " digest, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", audit_rows)
        loaded.vehicles, loaded.entries = len(vehicle_rows), len(entry_rows)
        loaded.closures, loaded.audit_rows = len(closure_rows), len(audit_rows)
    return loaded
