"""Copies of the database file made with SQLite's backup API (consistent while lanes write), the
checks a backup passes before it is restored, and the test that nobody else has the file open."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from checkpoint.errors import DatabaseError
from checkpoint.database.file import STATION_FILE, file_uri
from checkpoint.store.connection import Store


def copy_to(store: Store, target: Path) -> None:
    copy_connection(store.conn, target)


def copy_file(db_path: Path, target: Path) -> None:
    """Back up from a connection of its own: safe in a worker thread while the desk writes."""
    source = sqlite3.connect(str(db_path), timeout=10)
    try:
        copy_connection(source, target)
    finally:
        source.close()


def copy_connection(source: sqlite3.Connection, target: Path) -> None:
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    finally:
        dest.close()


def header_problem(path: Path) -> str | None:
    """The 100-byte header as this program writes it, read byte for byte (SQLite tolerates some
    damage there that later stops the file being written, or read the same way): the magic text,
    a page size SQLite allows, write and read versions 1 or 2, no reserved bytes, the fixed payload
    fractions, schema format 1-4, UTF-8 text, our application id."""
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError:
        return "backup.not_a_database"
    if len(head) < 100 or head[:16] != b"SQLite format 3\x00":
        return "backup.not_a_database"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1) or head[18] not in (1, 2) or head[19] not in (1, 2) or head[20] != 0 \
            or head[21:24] != bytes([64, 32, 32]) or not 1 <= int.from_bytes(head[44:48], "big") <= 4 \
            or int.from_bytes(head[56:60], "big") != 1:
        return "backup.damaged"
    if int.from_bytes(head[68:72], "big") != STATION_FILE:
        return "backup.not_ours"
    return None


def check_file(path: Path) -> str | None:
    """None when `path` is an intact checkpoint database; otherwise a catalogue key saying why not."""
    problem = header_problem(path)
    if problem:
        return problem
    try:
        # immutable: a file being checked is at rest, and nothing (no -wal, no -shm) is made beside it
        conn = sqlite3.connect(file_uri(path, mode="ro", immutable="1"), uri=True)
    except sqlite3.Error:
        return "backup.not_a_database"
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return "backup.damaged"
        if conn.execute("PRAGMA application_id").fetchone()[0] != STATION_FILE:
            return "backup.not_ours"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"station", "entries", "audit"} <= tables:
            return "backup.not_ours"
    except sqlite3.DatabaseError:
        return "backup.not_a_database"
    finally:
        conn.close()
    return None


# Where SQLite's unix VFS keeps its locks: every open connection of a WAL database holds a read lock
# on the database file's lock bytes (from PENDING_BYTE, 512 bytes) and on the -shm's "dead man
# switch" byte (128) for as long as it is open, not only during a transaction.
_DB_LOCK_BYTES = (0x40000000, 512)
_SHM_DMS_BYTE = (128, 1)


def others_hold(db_path: Path) -> bool:
    """True when another process holds SQLite's locks on the file or its -shm (it has it open).

    For a file SQLite can no longer read (a damaged header), where `exclusive` cannot ask SQLite.
    POSIX only (fcntl); elsewhere False, and Windows itself refuses to replace a file in use. Call
    with no connection to the file open in this process: closing the probe's descriptor drops this
    process's own POSIX locks on the file.
    """
    try:
        import fcntl
    except ImportError:
        return False
    for path, (start, length) in ((db_path, _DB_LOCK_BYTES), (Path(str(db_path) + "-shm"), _SHM_DMS_BYTE)):
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue
        try:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, length, start, 0)
            except OSError:
                return True
            fcntl.lockf(fd, fcntl.LOCK_UN, length, start, 0)
        finally:
            os.close(fd)
    return False


@contextlib.contextmanager
def exclusive(db_path: Path, wait_s: float = 2.0) -> Iterator[sqlite3.Connection | None]:
    """Hold the database for this process alone, its WAL folded in and removed by SQLite itself (a
    self-contained file that can be copied and replaced), until the block ends.

    Raises DatabaseError("restore.others_open") when another connection (another window, lane or
    process) has the file open. Yields None for a file SQLite cannot read at all (damaged): then
    only `others_hold` can tell, and the -wal/-shm are left to the caller.
    """
    conn = sqlite3.connect(file_uri(db_path), uri=True, timeout=wait_s, isolation_level=None)
    try:
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            # Leaving WAL needs every other connection closed; it then checkpoints and deletes the
            # -wal (the -shm goes when this connection closes), so no live -wal is ever removed by us.
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise DatabaseError("restore.others_open") from None
            yield None
            return
        except sqlite3.DatabaseError:
            yield None
            return
        if str(mode).lower() != "delete":
            raise DatabaseError("restore.others_open")
        yield conn
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
    finally:
        conn.close()
