# Long on purpose (#17): the station's migrations in order, each a piece of history that is never edited.
"""The schema, as numbered migrations (applied by sqlite-utils `Migrations`): each runs once, inside a
transaction, and the file is backed up before any migration touches existing data.

Never edit a released migration; add the next one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from checkpoint.database import migrations as steps
from checkpoint.database.file import STATION_FILE
from checkpoint.database.migrations import Steps, run_script
from checkpoint.store.connection import Store
from checkpoint.store.definitions import AMENDABLE, AUDIT_GUARDS, VEHICLE_AMENDABLE

if TYPE_CHECKING:
    from sqlite_utils import Database

migrations = Steps("checkpoint")


@migrations()
def m001_foundation(db: Database) -> None:
    run_script(db, _FOUNDATION)


_FOUNDATION = """
CREATE TABLE station (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    code TEXT NOT NULL, name TEXT NOT NULL, township TEXT NOT NULL, tz TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE staff (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL
        CHECK (role IN ('staff', 'leader', 'admin')),
    pin_hash TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL,
    failed_pins INTEGER NOT NULL DEFAULT 0, locked_until TEXT
);
CREATE TABLE policy (
    id INTEGER PRIMARY KEY, version INTEGER NOT NULL UNIQUE, key_areas TEXT NOT NULL, rules TEXT NOT NULL,
    created_at TEXT NOT NULL, created_by INTEGER REFERENCES staff(id), note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE vehicles (
    id INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, local_day TEXT NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff(id), shift_id INTEGER,
    plate TEXT NOT NULL, vehicle_type TEXT NOT NULL, occupants INTEGER,
    disinfected INTEGER NOT NULL, live_poultry INTEGER NOT NULL, illegal_passengers INTEGER NOT NULL,
    direction TEXT NOT NULL
);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, local_day TEXT NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff(id), shift_id INTEGER,
    vehicle_id INTEGER REFERENCES vehicles(id),
    name TEXT NOT NULL, doc_type TEXT NOT NULL, doc_no TEXT NOT NULL, phone TEXT NOT NULL,
    address TEXT NOT NULL, resident INTEGER NOT NULL, origin TEXT NOT NULL,
    key_area_travel INTEGER NOT NULL, travel_where TEXT NOT NULL, purpose TEXT NOT NULL,
    destination TEXT NOT NULL, symptoms TEXT NOT NULL, health_code TEXT NOT NULL,
    temp REAL, temp_method TEXT NOT NULL, not_measured_reason TEXT NOT NULL, recheck_temp REAL,
    fever INTEGER NOT NULL, direction TEXT NOT NULL, disposition TEXT NOT NULL,
    suggested TEXT NOT NULL, suggestion_reason TEXT NOT NULL, disposition_source TEXT NOT NULL,
    policy_version INTEGER NOT NULL
);
CREATE INDEX entries_day ON entries (local_day, id);
CREATE INDEX entries_doc ON entries (doc_no, id);
CREATE INDEX entries_phone ON entries (phone);
CREATE INDEX entries_vehicle ON entries (vehicle_id);
CREATE INDEX vehicles_day ON vehicles (local_day, id);
CREATE INDEX vehicles_plate ON vehicles (plate);
CREATE TABLE amendments (
    id INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES entries(id),
    at TEXT NOT NULL, staff_id INTEGER NOT NULL REFERENCES staff(id),
    changes TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE INDEX amendments_entry ON amendments (entry_id);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, staff_id INTEGER, action TEXT NOT NULL,
    target_table TEXT NOT NULL DEFAULT '', target_id INTEGER, detail TEXT NOT NULL DEFAULT '{}',
    digest TEXT NOT NULL DEFAULT '', prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX audit_target ON audit (target_table, target_id)
"""


@migrations()
def m002_passes(db: Database) -> None:
    # open_exits is derived from crossings (a valid exit not yet closed by a return), kept in the
    # same transaction, so "who is out" never has to scan a year of crossings.
    run_script(db, _PASSES)


_PASSES = """
CREATE TABLE keys (
    id INTEGER PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, public_key BLOB NOT NULL, private_key BLOB,
    owner TEXT NOT NULL, own INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL, created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE passes (
    id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    holder_name TEXT NOT NULL, holder_doc_no TEXT NOT NULL, village TEXT NOT NULL,
    members TEXT NOT NULL, plate TEXT NOT NULL, route TEXT NOT NULL, cargo TEXT NOT NULL,
    reason TEXT NOT NULL, employer TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL,
    exits INTEGER NOT NULL, per_days INTEGER NOT NULL, back_by INTEGER, key_id TEXT NOT NULL,
    token TEXT NOT NULL, issued_at TEXT NOT NULL, local_day TEXT NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff(id), shift_id INTEGER
);
CREATE INDEX passes_holder ON passes (holder_doc_no);
CREATE INDEX passes_day ON passes (local_day, id);
CREATE TABLE revocations (
    id INTEGER PRIMARY KEY, key_id TEXT NOT NULL, pass_number TEXT NOT NULL, reason TEXT NOT NULL,
    revoked_at TEXT NOT NULL, staff_id INTEGER, source TEXT NOT NULL, UNIQUE (key_id, pass_number)
);
CREATE TABLE crossings (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, local_day TEXT NOT NULL, key_id TEXT NOT NULL,
    pass_number TEXT NOT NULL, direction TEXT NOT NULL, verdict TEXT NOT NULL, reason TEXT NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff(id), shift_id INTEGER,
    closes INTEGER REFERENCES crossings(id)
);
CREATE INDEX crossings_pass ON crossings (key_id, pass_number, id);
CREATE INDEX crossings_day ON crossings (local_day, id);
CREATE TABLE open_exits (
    key_id TEXT NOT NULL, pass_number TEXT NOT NULL, crossing_id INTEGER NOT NULL REFERENCES crossings(id),
    PRIMARY KEY (key_id, pass_number)
)
"""


@migrations()
def m003_shifts(db: Database) -> None:
    run_script(db, _SHIFTS)


# `open` is 1 for the open shift and NULL once closed: UNIQUE lets only one shift be open.
_SHIFTS = """
CREATE TABLE shifts (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('day', 'night')),
    started_at TEXT NOT NULL, local_day TEXT NOT NULL, leader_id INTEGER NOT NULL REFERENCES staff(id),
    previous_id INTEGER REFERENCES shifts(id), closed_at TEXT, open INTEGER UNIQUE CHECK (open = 1)
);
CREATE TABLE roster (
    id INTEGER PRIMARY KEY, shift_id INTEGER NOT NULL REFERENCES shifts(id),
    staff_id INTEGER NOT NULL REFERENCES staff(id), category TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('join', 'leave')), at TEXT NOT NULL
);
CREATE INDEX roster_shift ON roster (shift_id, id);
CREATE TABLE handovers (
    id INTEGER PRIMARY KEY, shift_id INTEGER NOT NULL UNIQUE REFERENCES shifts(id),
    next_shift_id INTEGER NOT NULL REFERENCES shifts(id), outgoing_id INTEGER NOT NULL REFERENCES staff(id),
    incoming_id INTEGER NOT NULL REFERENCES staff(id), signed_at TEXT NOT NULL, counts TEXT NOT NULL,
    open_matters TEXT NOT NULL, stock TEXT NOT NULL, incidents TEXT NOT NULL, instructions TEXT NOT NULL,
    equipment TEXT NOT NULL, notes TEXT NOT NULL
);
CREATE TABLE matters (
    id INTEGER PRIMARY KEY, shift_id INTEGER REFERENCES shifts(id), text TEXT NOT NULL,
    created_at TEXT NOT NULL, staff_id INTEGER NOT NULL REFERENCES staff(id)
);
CREATE TABLE closures (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('entry', 'matter')), ref_id INTEGER NOT NULL,
    closed_at TEXT NOT NULL, staff_id INTEGER NOT NULL REFERENCES staff(id), shift_id INTEGER, note TEXT NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE INDEX entries_shift ON entries (shift_id);
CREATE INDEX vehicles_shift ON vehicles (shift_id);
CREATE INDEX entries_open_matters ON entries (disposition) WHERE disposition IN ('hold', 'refer', 'escorted')
"""


_ENTRY_COLUMNS = ("id", "recorded_at", "local_day", "staff_id", "shift_id", "vehicle_id", "name", "doc_type",
                  "doc_no", "phone", "address", "resident", "origin", "key_area_travel", "travel_where",
                  "purpose", "destination", "symptoms", "health_code", "temp", "temp_method",
                  "not_measured_reason", "recheck_temp", "fever", "direction", "disposition", "suggested",
                  "suggestion_reason", "disposition_source", "policy_version")


def _entries_now_view(columns: tuple[str, ...] = _ENTRY_COLUMNS) -> str:
    cols = [f"CASE WHEN c.entry_id IS NULL THEN e.{c} ELSE c.{c} END AS {c}" if c in AMENDABLE else f"e.{c} AS {c}"
            for c in columns]
    cols += ["c.entry_id IS NOT NULL AS amended", "coalesce(c.after_signoff, 0) AS amended_after_signoff"]
    return ("CREATE VIEW entries_now AS SELECT " + ", ".join(cols) +
            " FROM entries e LEFT JOIN entry_current c ON c.entry_id = e.id")


@migrations()
def m004_review(db: Database) -> None:
    # The search index is contentless (rowid = entries.id): it holds only the words, so a year of
    # names and pinyin costs little; filling it for existing rows is done by the caller that opens
    # the store (services) because pinyin is a domain rule, not SQL.
    current = ", ".join(f"{c} {'TEXT' if c not in ('resident', 'key_area_travel', 'fever', 'temp', 'recheck_temp') else 'NUMERIC'}"
                        for c in AMENDABLE)
    run_script(db, _REVIEW.format(current=current) + ";\n" + _entries_now_view())


_REVIEW = """
CREATE TABLE entry_current (
    entry_id INTEGER PRIMARY KEY REFERENCES entries(id), {current},
    amended_at TEXT NOT NULL, after_signoff INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE flags (
    id INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES entries(id),
    action TEXT NOT NULL CHECK (action IN ('raise', 'clear')), note TEXT NOT NULL, at TEXT NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff(id)
);
CREATE INDEX flags_entry ON flags (entry_id, id);
CREATE TABLE signoffs (
    id INTEGER PRIMARY KEY, local_day TEXT NOT NULL UNIQUE, staff_id INTEGER NOT NULL REFERENCES staff(id),
    signed_at TEXT NOT NULL, counts TEXT NOT NULL
);
CREATE TABLE search_pending (id INTEGER PRIMARY KEY CHECK (id = 1), below INTEGER NOT NULL);
INSERT INTO search_pending (id, below) SELECT 1, coalesce(max(id), 0) + 1 FROM entries;
CREATE VIRTUAL TABLE entry_search USING fts5(terms, content='', prefix='1 2 3 4 5', tokenize='unicode61 remove_diacritics 0');
CREATE INDEX entries_staff ON entries (staff_id, id);
CREATE INDEX audit_action ON audit (action, id)"""


@migrations()
def m005_trust_exchange(db: Database) -> None:
    # Which township list (the serial of the township bundle applied) verified each pass check;
    # NULL for checks made before, or with no township bundle applied yet.
    run_script(db, "ALTER TABLE crossings ADD COLUMN list_serial INTEGER")




@migrations()
def m006_trust_db(db: Database) -> None:
    # The chain's head is kept beside the chain by a trigger, so a tail cut with the sqlite3 shell
    # (the newest audit rows deleted) leaves a head that names rows no longer there; the audit rows
    # themselves refuse UPDATE and DELETE (a shell user must drop the guards first, and `verify`
    # notices they are gone). `erase_pending` marks a purge whose erasing of the old bytes is not
    # finished (the file not yet rebuilt, or its WAL not yet folded in and emptied because another
    # connection kept old pages alive): the next purge, or the next open or close, finishes it.
    run_script(db, _TRUST_DB)


_TRUST_DB = f"""
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
INSERT INTO audit_head (id, seq, hash)
    SELECT 1, coalesce((SELECT max(id) FROM audit), 0),
           coalesce((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), '{"0" * 64}');
{AUDIT_GUARDS};
CREATE TABLE erase_pending (
    id INTEGER PRIMARY KEY CHECK (id = 1), since TEXT NOT NULL, compacted INTEGER NOT NULL DEFAULT 0
)"""


@migrations()
def m007_desk(db: Database) -> None:
    # The re-measure's own method and the age typed for a person without a document; the
    # station's villages (learnt from residents' addresses, edited by a leader).
    run_script(db, _DESK + ";\n" + _entries_now_view(_ENTRY_COLUMNS + DESK_COLUMNS))
    from checkpoint.domain.places import village_of
    from checkpoint.store import villages

    learnt = sorted({village_of(r[0]) for r in db.execute(
        "SELECT DISTINCT address FROM entries WHERE resident = 1 AND address != ''").fetchall()} - {""})
    store = Store(Path(""), db.conn)  # the migration's own connection, inside its transaction
    for name in learnt:
        villages.add(store, name, "learnt", None)


DESK_COLUMNS = ("recheck_method", "age")
_DESK = """
ALTER TABLE entries ADD COLUMN recheck_method TEXT;
ALTER TABLE entries ADD COLUMN age INTEGER;
CREATE TABLE villages (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, source TEXT NOT NULL CHECK (source IN ('learnt', 'manual')),
    added_at TEXT NOT NULL, removed INTEGER NOT NULL DEFAULT 0
);
DROP VIEW entries_now"""




@migrations()
def m008_dayclose(db: Database) -> None:
    """收班 and the day's close: a handover record may end a shift with no next one (incoming and
    next shift empty); an "out and not back" matter may be closed by hand (closures of kind
    'exit', ref = the exit's crossing); vehicles are corrected like persons (an amendment row with
    the vehicle's values after it, the original untouched; `vehicles_now` reads the newest)."""
    # SQLite cannot relax NOT NULL or a CHECK in place: each table is rebuilt with the same
    # columns and rows, so every audited row keeps its digest.
    run_script(db, _DAYCLOSE + ";\n" + _vehicles_now_view())


_DAYCLOSE = """
CREATE TABLE handovers_new (
    id INTEGER PRIMARY KEY, shift_id INTEGER NOT NULL UNIQUE REFERENCES shifts(id),
    next_shift_id INTEGER REFERENCES shifts(id), outgoing_id INTEGER NOT NULL REFERENCES staff(id),
    incoming_id INTEGER REFERENCES staff(id), signed_at TEXT NOT NULL, counts TEXT NOT NULL,
    open_matters TEXT NOT NULL, stock TEXT NOT NULL, incidents TEXT NOT NULL, instructions TEXT NOT NULL,
    equipment TEXT NOT NULL, notes TEXT NOT NULL
);
INSERT INTO handovers_new SELECT id, shift_id, next_shift_id, outgoing_id, incoming_id, signed_at, counts,
    open_matters, stock, incidents, instructions, equipment, notes FROM handovers;
DROP TABLE handovers;
ALTER TABLE handovers_new RENAME TO handovers;
CREATE TABLE closures_new (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('entry', 'matter', 'exit')), ref_id INTEGER NOT NULL,
    closed_at TEXT NOT NULL, staff_id INTEGER NOT NULL REFERENCES staff(id), shift_id INTEGER, note TEXT NOT NULL,
    UNIQUE (kind, ref_id)
);
INSERT INTO closures_new SELECT id, kind, ref_id, closed_at, staff_id, shift_id, note FROM closures;
DROP TABLE closures;
ALTER TABLE closures_new RENAME TO closures;
CREATE TABLE vehicle_amendments (
    id INTEGER PRIMARY KEY, vehicle_id INTEGER NOT NULL REFERENCES vehicles(id),
    at TEXT NOT NULL, staff_id INTEGER NOT NULL REFERENCES staff(id), changes TEXT NOT NULL, reason TEXT NOT NULL,
    after_signoff INTEGER NOT NULL DEFAULT 0,
    plate TEXT NOT NULL, vehicle_type TEXT NOT NULL, occupants INTEGER,
    disinfected INTEGER NOT NULL, live_poultry INTEGER NOT NULL, illegal_passengers INTEGER NOT NULL
);
CREATE INDEX vehicle_amendments_vehicle ON vehicle_amendments (vehicle_id, id)"""


def _vehicles_now_view() -> str:
    # One table with a scalar subquery per corrected column (not a join): SQLite flattens it into a
    # reader's LEFT JOIN, so a page of the log looks up only its own vehicles.
    latest = "(SELECT a.{c} FROM vehicle_amendments a WHERE a.vehicle_id = v.id ORDER BY a.id DESC LIMIT 1)"
    cols = ["v.id AS id", "v.recorded_at AS recorded_at", "v.local_day AS local_day", "v.staff_id AS staff_id",
            "v.shift_id AS shift_id", "v.direction AS direction"]
    cols += [f"CASE WHEN EXISTS (SELECT 1 FROM vehicle_amendments a WHERE a.vehicle_id = v.id) "
             f"THEN {latest.format(c=c)} ELSE v.{c} END AS {c}" for c in VEHICLE_AMENDABLE]
    cols.append("EXISTS (SELECT 1 FROM vehicle_amendments a WHERE a.vehicle_id = v.id) AS amended")
    return "CREATE VIEW vehicles_now AS SELECT " + ", ".join(cols) + " FROM vehicles v"


def inspect(store: Store) -> str:
    """'new' for an empty file, 'ours' for a station database, 'foreign' for anything else (a
    township's file included)."""
    kind = steps.inspect(store.conn, STATION_FILE)
    return kind if kind in ("new", "ours") else "foreign"


def pending(store: Store) -> list[str]:
    """The station's migrations not applied yet (a read-only file can be used only with none)."""
    return steps.pending(store, migrations)


def migrate(store: Store, backup: bool) -> list[str]:
    """Apply the station's pending migrations (after a backup copy when `backup`); returns their
    names. Raises DatabaseError("db.too_new") for a file a newer version wrote."""
    return steps.migrate(store, backup, migrations, STATION_FILE)
