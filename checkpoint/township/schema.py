"""The township office's own database file (镇防控办): its tables, as numbered migrations of their
own, and opening it. A different `PRAGMA application_id` from a station's database, and its own
migration set, so the two files can never be mistaken for each other: opening one as the other is
refused (the station's side refuses a township file the same way). The queries are township/store.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from checkpoint.database import migrations as steps
from checkpoint.database.file import TOWNSHIP_FILE, DatabaseFile, connect, translate
from checkpoint.database.migrations import Steps, run_script
from checkpoint.errors import DatabaseError

if TYPE_CHECKING:
    from sqlite_utils import Database


class TownshipStore(DatabaseFile):
    """An open township database (its own type: a station's `Store` is never passed where this is)."""


migrations = Steps("checkpoint-township")


@migrations()
def t001_township(db: Database) -> None:
    run_script(db, _TOWNSHIP)


@migrations()
def t002_trust_exchange(db: Database) -> None:
    run_script(db, _TRUST_EXCHANGE)


# The township's X25519 key (stations seal their personal files to it); the keys it replaced, kept
# to open bundles sealed or signed before a rotation reached every station; each rotation's
# announcement, signed by the key it replaces; and every collected bundle's audit head.
_TRUST_EXCHANGE = """
ALTER TABLE township ADD COLUMN enc_public_key BLOB;
ALTER TABLE township ADD COLUMN enc_private_key BLOB;
CREATE TABLE retired_keys (
    id INTEGER PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, public_key BLOB NOT NULL, private_key BLOB NOT NULL,
    enc_public_key BLOB, enc_private_key BLOB, retired_at TEXT NOT NULL
);
CREATE TABLE key_changes (
    id INTEGER PRIMARY KEY, old_key_id TEXT NOT NULL, new_key_id TEXT NOT NULL UNIQUE, body BLOB NOT NULL,
    signature BLOB NOT NULL, at TEXT NOT NULL
);
ALTER TABLE received ADD COLUMN audit_seq INTEGER;
ALTER TABLE received ADD COLUMN audit_hash TEXT
"""


# `received` remembers every revision ever collected (its manifest hash), so the same revision
# with different content -- the same station day exported on two laptops -- is caught even after
# a newer revision replaced it. `reports` holds the one current revision of each station day.
_TOWNSHIP = """
CREATE TABLE township (
    id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL, tz TEXT NOT NULL, cutoff TEXT NOT NULL,
    key_id TEXT NOT NULL, public_key BLOB NOT NULL, private_key BLOB NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE stations (
    id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, township TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE TABLE station_keys (
    id INTEGER PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, station_id INTEGER NOT NULL REFERENCES stations(id),
    public_key BLOB NOT NULL, owner TEXT NOT NULL, added_at TEXT NOT NULL, revoked_at TEXT,
    revoked_reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE received (
    id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL REFERENCES stations(id), day TEXT NOT NULL,
    revision INTEGER NOT NULL, manifest_sha256 TEXT NOT NULL, exported_at TEXT NOT NULL,
    collected_at TEXT NOT NULL, source TEXT NOT NULL, UNIQUE (station_id, day, revision)
);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY, station_id INTEGER NOT NULL REFERENCES stations(id), day TEXT NOT NULL,
    revision INTEGER NOT NULL, received_id INTEGER NOT NULL REFERENCES received(id),
    zero_report INTEGER NOT NULL, exported_at TEXT NOT NULL, first_exported_at TEXT NOT NULL,
    counts TEXT NOT NULL, collected_at TEXT NOT NULL, UNIQUE (station_id, day)
);
CREATE INDEX reports_day ON reports (day);
CREATE TABLE follow_up (
    id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    station_id INTEGER NOT NULL REFERENCES stations(id), day TEXT NOT NULL, village TEXT NOT NULL,
    address TEXT NOT NULL, name TEXT NOT NULL, doc_type TEXT NOT NULL, doc_no TEXT NOT NULL,
    phone TEXT NOT NULL, disposition TEXT NOT NULL, fever TEXT NOT NULL, temp TEXT NOT NULL,
    recheck_temp TEXT NOT NULL, recorded TEXT NOT NULL
);
CREATE INDEX follow_up_day ON follow_up (day, village);
CREATE INDEX follow_up_report ON follow_up (report_id);
CREATE TABLE revocations (
    id INTEGER PRIMARY KEY, key_id TEXT NOT NULL, pass_number TEXT NOT NULL, reason TEXT NOT NULL,
    revoked_at TEXT NOT NULL, station_id INTEGER REFERENCES stations(id), collected_at TEXT NOT NULL,
    UNIQUE (key_id, pass_number)
);
CREATE TABLE policy (
    id INTEGER PRIMARY KEY, version INTEGER NOT NULL UNIQUE, key_areas TEXT NOT NULL, rules TEXT NOT NULL,
    created_at TEXT NOT NULL, note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE bundles (
    id INTEGER PRIMARY KEY, serial INTEGER NOT NULL UNIQUE, issued_at TEXT NOT NULL, name TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, staff_id INTEGER, action TEXT NOT NULL,
    target_table TEXT NOT NULL DEFAULT '', target_id INTEGER, detail TEXT NOT NULL DEFAULT '{}',
    digest TEXT NOT NULL DEFAULT '', prev_hash TEXT NOT NULL, hash TEXT NOT NULL
)
"""


# ---- opening ---------------------------------------------------------------------------------------
def inspect(store: TownshipStore) -> str:
    """'new' (empty file), 'ours' (a township database), 'station' (a station's), 'foreign'."""
    kind = steps.inspect(store.conn, TOWNSHIP_FILE)
    return "foreign" if kind == "township" else kind


def open_township_store(path: Path | str, create: bool = True) -> TownshipStore:
    """Open (and if asked, create) the township database and migrate it. Raises DatabaseError: a
    station's file is refused by name, a missing one unless `create`, a foreign or locked one."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise DatabaseError("db.is_dir", path=str(path))
    if not path.parent.exists():
        raise DatabaseError("db.no_folder", path=str(path.parent))
    if not path.exists() and not create:
        raise DatabaseError("township.db_missing", path=str(path))
    try:
        conn = connect(path)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    store = TownshipStore(path, conn)
    try:
        kind = inspect(store)
        if kind == "station":
            raise DatabaseError("township.db_is_station", path=str(path))
        if kind == "foreign":
            raise DatabaseError("township.db_not_township", path=str(path))
        if kind == "new" and not create:
            raise DatabaseError("township.db_missing", path=str(path))
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        steps.migrate(store, backup=kind == "ours", steps=migrations, application_id=TOWNSHIP_FILE)
    except sqlite3.Error as exc:
        store.close()
        raise translate(exc, path) from None
    except BaseException:
        store.close()
        raise
    return store
