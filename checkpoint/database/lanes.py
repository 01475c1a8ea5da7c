"""A fair queue for writers, so no lane starves.

SQLite lets one connection write at a time; the others wait in its busy handler, which sleeps with
a growing back-off (up to 100 ms between tries). A lane that has waited a while therefore looks
rarely, and two lanes saving back to back hand the lock to each other in between: with three lanes
saving continuously one lane saved once in three seconds. Here a writer takes a ticket and waits
for the writer before it, first come first served, so a save waits at most for the saves queued
ahead of it (two, with three lanes).

The queue lives in a small file beside the database (`<name>-queue`), in byte-range locks the
operating system releases by itself when a process ends, however it ends (a lane killed mid-save
never blocks the others):

- byte 0 is the ticket desk, held for the few microseconds of taking a ticket;
- bytes 8-15 hold the next ticket number;
- each ticket locks its slot (one byte past SLOT_BASE) from taking the ticket until its transaction
  ends; the next ticket waits until that slot is free.

Open-file-description locks (Linux's F_OFD_SETLK) belong to one open file, so two connections in
one process (the desk and a worker thread) queue like two processes. Where they are missing
(macOS, Windows) writers fall back to SQLite's own waiting, as before.

SQLite's lock stays the guard of the data: the queue only decides who asks first. A writer that
gives up waiting (after the busy timeout) leaves the queue; the one behind it then asks SQLite
directly, which still lets only one write at a time.
"""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path

try:
    import fcntl

    _OFD = hasattr(fcntl, "F_OFD_SETLK")
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    _OFD = False

SLOT_BASE = 4096
SLOTS = 4096          # more lanes than this queued at once would wrap; two or three is the real case
POLL_S = 0.0005       # how often a waiting writer looks at the slot ahead of it
_COUNTER = 8


def available() -> bool:
    return _OFD


class WriterQueue:
    """One connection's place in the queue of the database at `db_path`."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(f"{db_path}-queue")
        self._fd: int | None = None
        self._slot: int | None = None
        self.ticket = -1

    def _open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        return self._fd

    def close(self) -> None:
        self.release()
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def acquire(self, timeout_s: float) -> bool:
        """Wait for this writer's turn; True when it came, False after `timeout_s` (or when the queue
        cannot be used: the caller then simply asks SQLite). Never raises."""
        if not _OFD:
            return False
        try:
            fd = self._open()
            _lock(fd, 0, wait=True)                       # the ticket desk
            try:
                raw = os.pread(fd, 8, _COUNTER)
                ticket = struct.unpack("<Q", raw)[0] if len(raw) == 8 else 0
                os.pwrite(fd, struct.pack("<Q", ticket + 1), _COUNTER)
                mine = SLOT_BASE + ticket % SLOTS
                _lock(fd, mine, wait=True)
            finally:
                _unlock(fd, 0)
        except OSError:
            return False
        self._slot, self.ticket = mine, ticket
        ahead = SLOT_BASE + (ticket - 1) % SLOTS
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if _lock(fd, ahead, wait=False):        # free: the writer ahead is done (or gone)
                    _unlock(fd, ahead)
                    return True
            except OSError:
                self.release()
                return False
            if time.monotonic() >= deadline:
                self.release()
                return False
            time.sleep(POLL_S)

    def release(self) -> None:
        if self._slot is not None and self._fd is not None:
            slot, self._slot = self._slot, None
            try:
                _unlock(self._fd, slot)
            except OSError:
                pass


def _flock(kind: int, start: int) -> bytes:
    # struct flock on Linux: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid
    # (l_pid must be 0 for open-file-description locks)
    return struct.pack("hhqqi4x", kind, os.SEEK_SET, start, 1, 0)


def _lock(fd: int, start: int, wait: bool) -> bool:
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLKW if wait else fcntl.F_OFD_SETLK, _flock(fcntl.F_WRLCK, start))
    except BlockingIOError:
        return False
    except PermissionError:   # EACCES: some systems say "held by another" this way
        if wait:
            raise
        return False
    return True


def _unlock(fd: int, start: int) -> None:
    fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _flock(fcntl.F_UNLCK, start))
