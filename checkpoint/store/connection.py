"""The station's database file: a `DatabaseFile` (checkpoint.database) with the station's tables.
Opening it (and migrating, refusing a file that is not a station's) is store.opening."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from checkpoint.database.file import DatabaseFile, connect, translate


class Store(DatabaseFile):
    """An open station database. Cheap to pass around; one per thread."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False,
                 on_close: Callable[["Store"], object] | None = None) -> None:
        super().__init__(path, conn, read_only)
        # What closing finishes first: a purge's erasing that another connection held up (given
        # by store.opening, which knows the purge; this module does not).
        self.on_close = on_close

    def close(self) -> None:
        if not self.read_only and self.on_close is not None:
            with contextlib.suppress(Exception):
                if not self.conn.in_transaction:
                    self.on_close(self)
        super().close()

    def aside(self) -> "Store":
        """Another connection to the same file, for a thread that works while the screen goes on
        (WAL lets it read beside the writer; its writes queue with the other lanes' like any
        other). The caller closes it. Raises DatabaseError when the file cannot be opened."""
        return self._another(self.read_only, self.on_close)

    def reader(self) -> "Store":
        """`aside`, for reading only: SQLite refuses any write on it (query_only), and `write()`
        refuses up front. Raises DatabaseError when the file cannot be opened."""
        other = self._another(True, None)
        other.conn.execute("PRAGMA query_only = ON")
        return other

    def _another(self, read_only: bool, on_close: Callable[["Store"], object] | None) -> "Store":
        # a query-only connection is an ordinary one (an immutable one would miss the writer's
        # pages), so the file is opened as this store opened it
        try:
            return Store(self.path, connect(self.path, self.read_only), read_only, on_close)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
