"""Numbered migrations (sqlite-utils `Migrations`) applied to a database file: each runs once,
inside a transaction, after a backup copy of a file that already held data; a file written by a
newer version (a migration this one does not know) is refused before anything is written. Which
kind of file it is (the station's, the township's, somebody else's) is read from its
`application_id` before any of that.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from checkpoint.database.file import STATION_FILE, TOWNSHIP_FILE, DatabaseFile
from checkpoint.errors import DatabaseError


def run_script(db: Database, script: str) -> None:
    """Run the `;\\n`-separated statements of `script` one by one, inside the migration's transaction."""
    # executescript() would commit half-way; one statement at a time stays in the transaction
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


def inspect(conn: sqlite3.Connection, own: int) -> str:
    """What the open file is, for a program whose files are marked `own`: 'new' (empty), 'ours'
    (migrated before), 'station' or 'township' (the other side's file), 'foreign' (anything else)."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if not tables and app_id in (0, own):
        return "new"
    if app_id == own:
        return "ours" if "_sqlite_migrations" in tables else "foreign"
    return {STATION_FILE: "station", TOWNSHIP_FILE: "township"}.get(app_id, "foreign")


def backup_before_migration(store: DatabaseFile, names: list[str]) -> Path:
    """Copy the file into backups/ beside it (named after the first migration about to run); returns the copy."""
    folder = store.path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{store.path.stem}-before-{names[0]}-{stamp}.db"
    dest = sqlite3.connect(str(target))
    try:
        store.conn.backup(dest)
    finally:
        dest.close()
    return target


def pending(store: DatabaseFile, steps: Migrations) -> list[str]:
    """The names of the migrations of `steps` not applied yet (a read-only file can be used only with none)."""
    return [m.name for m in steps.pending(store.db)]


def migrate(store: DatabaseFile, backup: bool, steps: Migrations, application_id: int) -> list[str]:
    """Apply the pending migrations of `steps`, after a backup copy when `backup`, and mark the file
    with `application_id`. Returns the names applied. Raises DatabaseError("db.too_new") for a file
    a newer version wrote."""
    # A file written by a newer version has migrations this one does not know (and usually none
    # pending): refuse it before anything is written, pending or not.
    known = {m.name for m in steps._migrations}
    applied = {m.name for m in steps.applied(store.db)}
    if applied - known:
        raise DatabaseError("db.too_new")
    names = [m.name for m in steps.pending(store.db)]
    if not names:
        return []
    if backup:
        backup_before_migration(store, names)
    store.conn.execute(f"PRAGMA application_id = {application_id}")
    steps.apply(store.db)
    return names
