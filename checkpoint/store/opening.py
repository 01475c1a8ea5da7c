"""Opening the station's database file: refusing a missing, empty or foreign file (a township's
included) with one sentence, migrating it, finishing a purge's erasing another lane held up, and
opening a backup's copy to check it before a restore."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from checkpoint.database.file import connect, read_only_file, translate
from checkpoint.errors import DatabaseError
from checkpoint.store import schema
from checkpoint.store.connection import Store
from checkpoint.store.purge import finish_erase


def _finish_erase(store: Store) -> None:
    # a purge's erasing that another connection held up is finished when one closes
    finish_erase(store, wait_ms=200)


@contextlib.contextmanager
def open_checked_copy(path: Path) -> Iterator[Store]:
    """A copy of a database (a backup about to be restored) opened and migrated in place, without
    the backup a migration of a live file gets; left in rollback-journal mode, one self-contained
    file, when the block ends."""
    try:
        store = Store(path, connect(path), on_close=_finish_erase)
        if schema.inspect(store) != "ours":
            raise DatabaseError("db.not_ours", path=str(path))
        schema.migrate(store, backup=False)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    try:
        yield store
        store.conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    finally:
        store.close()


def open_store(path: Path | str, create: bool = True) -> Store:
    """Open (and if needed create and migrate) the station database at `path`.

    `create=False` (every command but `init`) refuses a missing file and an empty (0-byte) one: an
    empty file is not a station database, and nothing is written into it. A file this user cannot
    write is opened read-only and leaves nothing beside it.

    Raises DatabaseError with one clear sentence when the folder is missing, the path is a folder,
    the file is empty, read-only (and needs a migration) or locked, or it is somebody else's database.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise DatabaseError("db.is_dir", path=str(path))
    if not path.parent.exists():
        raise DatabaseError("db.no_folder", path=str(path.parent))
    if not path.exists() and not create:
        raise DatabaseError("station.not_set_up")
    if path.exists() and not create and path.stat().st_size == 0:
        raise DatabaseError("db.empty_file", path=str(path))
    read_only = path.exists() and read_only_file(path)
    if read_only and path.stat().st_size == 0:
        raise DatabaseError("db.read_only", path=str(path))
    try:
        conn = connect(path, read_only)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    store = Store(path, conn, read_only, on_close=_finish_erase)
    try:
        existing = schema.inspect(store)
        if existing == "foreign":
            raise DatabaseError("db.not_ours", path=str(path))
        if read_only:
            if existing != "ours" or schema.pending(store):
                raise DatabaseError("db.read_only", path=str(path))
            return store
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        schema.migrate(store, backup=existing == "ours")
        finish_erase(store, wait_ms=200)   # a purge's erasing held up by a reader then: finish it now
    except sqlite3.Error as exc:
        store.close()  # a refused file is not kept open
        raise translate(exc, path) from None
    except BaseException:
        store.close()
        raise
    return store
