"""Numbered migrations applied to a database file (sqlite-utils `Migrations` applies them): each
runs once, inside a transaction, after a backup copy of a file that already held data; a file
written by a newer version (a migration this one does not know) is refused before anything is
written. Which kind of file it is (the station's, the township's, somebody else's) is read from its
`application_id` before any of that.

Whether any migration is pending is read with plain sqlite3: sqlite-utils is imported only when one
is (importing it and making its `Database` took about a tenth of a second of every start, the
desk's included: bench/measured-by-hand.md).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from checkpoint.database.file import STATION_FILE, TOWNSHIP_FILE, DatabaseFile
from checkpoint.errors import DatabaseError

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

MIGRATIONS_TABLE = "_sqlite_migrations"   # sqlite-utils' own record of what was applied


class Steps:
    """The numbered migrations of one kind of file, in the order written (`@steps()` above each
    function, named by the function), under one migration-set name in `_sqlite_migrations`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.functions: list[Callable[[Database], None]] = []

    def __call__(self) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
        def add(function: Callable[[Database], None]) -> Callable[[Database], None]:
            self.functions.append(function)
            return function
        return add

    @property
    def names(self) -> list[str]:
        return [f.__name__ for f in self.functions]

    def for_sqlite_utils(self) -> Migrations:
        """The same steps as sqlite-utils' `Migrations`, which applies them."""
        from sqlite_utils.migrations import Migrations

        migrations = Migrations(self.name)
        for function in self.functions:
            migrations()(function)
        return migrations


def applied(conn: sqlite3.Connection, steps: Steps) -> list[str]:
    """The names of the migrations of `steps` recorded as applied in the file, in the order applied."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (MIGRATIONS_TABLE,)).fetchone():
        return []
    return [row[0] for row in conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", (steps.name,))]


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


def pending(store: DatabaseFile, steps: Steps) -> list[str]:
    """The names of the migrations of `steps` not applied yet (a read-only file can be used only with none)."""
    done = set(applied(store.conn, steps))
    return [name for name in steps.names if name not in done]


def migrate(store: DatabaseFile, backup: bool, steps: Steps, application_id: int) -> list[str]:
    """Apply the pending migrations of `steps`, after a backup copy when `backup`, and mark the file
    with `application_id`. Returns the names applied. Raises DatabaseError("db.too_new") for a file
    a newer version wrote."""
    # A file written by a newer version has migrations this one does not know (and usually none
    # pending): refuse it before anything is written, pending or not.
    if set(applied(store.conn, steps)) - set(steps.names):
        raise DatabaseError("db.too_new")
    names = pending(store, steps)
    if not names:
        return []
    if backup:
        backup_before_migration(store, names)
    store.conn.execute(f"PRAGMA application_id = {application_id}")
    steps.for_sqlite_utils().apply(store.db)
    return names
