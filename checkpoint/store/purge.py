"""Retention (PIPL): personal fields of old records are emptied in place. The rows stay, so every
count stays; each changed row gets an audit row with its new digest, so `audit verify` stays whole
and shows who purged what and when.

Batched: each batch is one transaction, and a batch only takes rows not yet emptied, so a purge cut
off half-way (a power cut) is finished by running it again.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator

from checkpoint.errors import DatabaseError
from checkpoint.store import audit
from checkpoint.database.file import now_utc, translate
from checkpoint.store.connection import Store

ENTRY_FIELDS = ("name", "doc_no", "phone", "address", "travel_where", "destination")
_NOT_EMPTY = " OR ".join(f"{f} != ''" for f in ENTRY_FIELDS)


def entries_to_purge(store: Store, before: str) -> int:
    row = store.read_one(f"SELECT count(*) AS n FROM entries WHERE local_day < ? AND ({_NOT_EMPTY})", (before,))
    return int(row["n"]) if row else 0


def passes_to_purge(store: Store, before: str) -> int:
    row = store.read_one("SELECT count(*) AS n FROM passes WHERE valid_to < ? AND (holder_name != '' OR "
                         "holder_doc_no != '' OR members NOT IN ('', '[]'))", (before,))
    return int(row["n"]) if row else 0


def purge_entry_batch(store: Store, before: str, staff_id: int, limit: int) -> int:
    """Empty the personal fields of up to `limit` entries of days before `before`; returns how many."""
    with store.write():
        ids = [r["id"] for r in store.read(
            f"SELECT id FROM entries WHERE local_day < ? AND ({_NOT_EMPTY}) ORDER BY id LIMIT ?", (before, limit))]
        if not ids:
            return 0
        marks = ",".join("?" * len(ids))
        blank = ", ".join(f"{f} = ''" for f in ENTRY_FIELDS)
        store.execute(f"UPDATE entries SET {blank} WHERE id IN ({marks})", ids)
        store.execute(f"UPDATE entry_current SET {blank} WHERE entry_id IN ({marks})", ids)
        for entry_id in ids:
            audit.append(store, "entry.purge", staff_id, "entries", entry_id)
        for row in store.read(f"SELECT id, changes FROM amendments WHERE entry_id IN ({marks})", ids):
            changes = json.loads(row["changes"])
            if not any(f in changes for f in ENTRY_FIELDS):
                continue
            scrubbed = {f: (["", ""] if f in ENTRY_FIELDS else v) for f, v in changes.items()}
            store.execute("UPDATE amendments SET changes = ? WHERE id = ?", (audit.canonical(scrubbed), row["id"]))
            audit.append(store, "amendment.purge", staff_id, "amendments", row["id"])
        return len(ids)


def purge_passes(store: Store, before: str, staff_id: int) -> int:
    """Empty the holder's name, ID and members of passes that ran out before `before`."""
    with store.write():
        ids = [r["id"] for r in store.read(
            "SELECT id FROM passes WHERE valid_to < ? AND (holder_name != '' OR holder_doc_no != '' OR "
            "members NOT IN ('', '[]'))", (before,))]
        for pass_id in ids:
            store.execute("UPDATE passes SET holder_name = '', holder_doc_no = '', members = '[]' WHERE id = ?",
                          (pass_id,))
            audit.append(store, "pass.purge", staff_id, "passes", pass_id)
        return len(ids)


def record_purge(store: Store, before: str, staff_id: int, entries: int, passes: int) -> None:
    with store.write():
        audit.append(store, "purge", staff_id, detail={"before": before, "entries": entries, "passes": passes})


# ---- erasing the bytes ------------------------------------------------------------------------------
# Emptying a field leaves the old text in the file: in the freed part of the page the row was on, in
# freed index and search-index pages, in pages freed by earlier edits, and in the WAL's older frames.
@contextlib.contextmanager
def secure_delete(store: Store) -> Iterator[None]:
    """While the block runs, whatever SQLite frees (cells, index entries, pages) is overwritten with
    zeros as it is freed."""
    before = store.conn.execute("PRAGMA secure_delete").fetchone()[0]
    store.conn.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):
            store.conn.execute(f"PRAGMA secure_delete = {int(before)}")


def mark_erase_pending(store: Store) -> None:
    """Before a purge changes anything: the erasing is owed until `finish_erase` says done."""
    with store.write():
        store.execute("INSERT INTO erase_pending (id, since, compacted) VALUES (1, ?, 0) "
                      "ON CONFLICT(id) DO UPDATE SET compacted = 0", (now_utc(),))


def erase_pending(store: Store) -> dict | None:
    try:
        return store.read_one("SELECT since, compacted FROM erase_pending WHERE id = 1")
    except DatabaseError:   # a file from before m006 (not migrated yet) has no such table
        return None


def compact(store: Store) -> None:
    """Rebuild the file (VACUUM): every page is written anew from the live rows, so no freed page or
    stale fragment of an old row is left; the new pages go through the WAL."""
    try:
        store.conn.execute("VACUUM")
        with store.write():
            store.execute("UPDATE erase_pending SET compacted = 1 WHERE id = 1")
    except sqlite3.Error as exc:
        raise translate(exc, store.path) from None


def fold_wal(store: Store, wait_ms: int | None = None) -> bool:
    """Copy the WAL into the file and empty it (TRUNCATE); False when a reader in another connection
    still uses older pages, so part of the WAL (old pages included) has to stay for now."""
    if wait_ms is not None:
        store.conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
    try:
        busy, log, done = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error:
        return False
    finally:
        if wait_ms is not None:
            from checkpoint.database.file import BUSY_TIMEOUT_S

            store.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return busy == 0 and log in (0, -1) and done in (0, -1)


def finish_erase(store: Store, wait_ms: int | None = None) -> bool:
    """Finish a purge's erasing if it is owed and the file has been rebuilt: fold and empty the WAL,
    then clear the mark. True when nothing is owed any more. Never raises."""
    pending = erase_pending(store)
    if pending is None:
        return True
    if not pending["compacted"]:
        return False   # the purge itself must run again to rebuild the file
    try:
        if not fold_wal(store, wait_ms):
            return False
        with store.write():
            store.execute("DELETE FROM erase_pending WHERE id = 1")
        fold_wal(store, wait_ms)   # the mark's own page: nothing personal, but leave the WAL empty
        return True
    except Exception:
        return False
