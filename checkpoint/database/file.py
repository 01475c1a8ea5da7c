"""Opening a database file, its pragmas, and the one way to write: `DatabaseFile.write()`.

Two or three lanes (terminals) share one file, so every write is `BEGIN IMMEDIATE` (the writer
lock is taken up front, never upgraded half-way), waits its turn in a first-come-first-served queue
of writers (database.lanes: SQLite's own waiting can starve a lane) and then out a busy file within the
timeout, and is `synchronous=FULL`: a registration the person saw saved survives a power cut.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

# What urllib.request.pathname2url is on each system, without importing urllib.request (http,
# email, socket, ssl: 0.03-0.05 s of every command's start, the desk's too, for one function)
if os.name == "nt":
    from nturl2path import pathname2url
else:
    from urllib.parse import quote as pathname2url

from checkpoint.errors import DatabaseError

if TYPE_CHECKING:
    import sqlite_utils

# `PRAGMA application_id` of each kind of file, so a stranger's database is refused and neither side
# opens the other's file: the station's and the township's migrations never meet.
STATION_FILE = 0x43484B50    # "CHKP"
TOWNSHIP_FILE = 0x43484B54   # "CHKT"
BUSY_TIMEOUT_S = 10.0


def translate(exc: sqlite3.Error, path: Path | str, waited: float = BUSY_TIMEOUT_S) -> DatabaseError:
    """One sentence for a person, from SQLite's error."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseError("db.locked", seconds=int(waited))
    if "readonly" in text or "read-only" in text:
        return DatabaseError("db.read_only", path=str(path))
    if "full" in text:
        return DatabaseError("db.full")
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return DatabaseError("db.not_ours", path=str(path))
    if "unable to open" in text:
        return DatabaseError("db.no_folder", path=str(Path(path).parent))
    return DatabaseError("db.failed", detail=str(exc))


def file_uri(path: Path | str, **params: str) -> str:
    """A `file:` URI for `path` that SQLite reads back as exactly that file: `#`, `?`, `%`, spaces and
    Chinese in a name are percent-escaped (an unescaped `#` or `?` would cut the name short, `%20`
    would become a space), a Windows drive letter kept. Use with `sqlite3.connect(..., uri=True)`."""
    url = pathname2url(str(Path(path).absolute()))   # on Windows "///C:/...", SQLite's own form
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{url}" + (f"?{query}" if query else "")


def read_only_file(path: Path) -> bool:
    """The file (or its folder, where the -wal and -shm would go) cannot be written by this user."""
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


class DatabaseFile:
    """An open database file. Cheap to pass around; one per thread. The station's `Store` and the
    township's `TownshipStore` are this with their own tables."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False) -> None:
        self.path = path
        self.conn = conn
        # Opened read-only (the file or its folder cannot be written): nothing may be written, and
        # nothing is left beside the file (see `_connect`).
        self.read_only = read_only
        # The audit chain's head (hash of the newest audit row) as this connection last wrote it,
        # valid only inside the `write()` transaction that wrote it: under BEGIN IMMEDIATE no other
        # lane can append until COMMIT, so a save's second..nth audit row need not read it back.
        # Cleared when the transaction ends, either way (see store.audit).
        self.audit_head: str | None = None
        self._writing = False
        self._queue = None   # this connection's place in the writers' queue (database.lanes), made on first write
        # when this connection last asked to write and when it got the lock (time.monotonic()): what a
        # save waited for the other lanes (the lanes test counts these)
        self.last_asked = self.last_granted = 0.0

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils' view of the connection, for the migrations (imported only when one runs)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        if self._queue is not None:
            self._queue.close()
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> "DatabaseFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def write(self) -> Iterator["DatabaseFile"]:
        """One transaction: all of it is written, or none of it (nested calls join the outer one)."""
        if self.conn.in_transaction:
            yield self
            return
        if self.read_only:
            raise DatabaseError("db.read_only", path=str(self.path))
        from checkpoint.database.lanes import WriterQueue

        started = time.monotonic()
        if self._queue is None:
            self._queue = WriterQueue(self.path)
        # First come, first served among the lanes (SQLite's own waiting lets one lane starve);
        # when the queue cannot be used, SQLite's busy timeout alone decides, as before.
        self._queue.acquire(BUSY_TIMEOUT_S)
        try:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise translate(exc, self.path, time.monotonic() - started) from None
            self.last_asked, self.last_granted = started, time.monotonic()
            self.audit_head, self._writing = None, True
            try:
                yield self
                self.conn.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise translate(exc, self.path) from None
                raise
            finally:
                self.audit_head, self._writing = None, False
        finally:
            self._queue.release()

    @property
    def writing(self) -> bool:
        """Inside this store's own `write()` transaction (not one begun by hand)."""
        return self._writing and self.conn.in_transaction

    def checkpoint(self) -> None:
        """Fold the WAL into the file (after a bulk load, so the next opener does not have to)."""
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def read(self, sql: str, params: tuple | list | dict = ()) -> list[dict]:
        try:
            cursor = self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def read_one(self, sql: str, params: tuple | list | dict = ()) -> dict | None:
        rows = self.read(sql, params)
        return rows[0] if rows else None

    def execute(self, sql: str, params: tuple | list | dict = ()) -> sqlite3.Cursor:
        """A write statement; call inside `write()`."""
        try:
            return self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def insert(self, table: str, row: dict) -> int:
        cursor = self.execute(_insert_sql(table, tuple(row)), tuple(row.values()))
        return int(cursor.lastrowid or 0)


@functools.lru_cache(maxsize=256)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    # the same text every time for the same table and columns: built once, and sqlite3's statement
    # cache (keyed by the text) then skips the parse as well
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def now_utc() -> str:
    """The time of a write, as stored: UTC ISO-8601 with microseconds."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection to `path` with the program's pragmas (busy timeout, foreign keys); read-only
    without leaving a -wal or -shm beside the file."""
    if read_only:
        # `mode=ro` still creates a -wal and a -shm (read-only ones, owned by this user, which keep
        # refusing writes after the file is made writable again); `immutable=1` creates nothing. A
        # WAL with frames in it must be read, so then the existing -wal (and -shm) are used.
        wal = Path(str(path) + "-wal")
        has_frames = wal.exists() and wal.stat().st_size > 0
        uri = file_uri(path, mode="ro") if has_frames else file_uri(path, mode="ro", immutable="1")
    else:
        uri = file_uri(path)
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn
