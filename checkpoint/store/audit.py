"""The audit table: every write appends a row whose hash covers the previous row's hash, the
action, and a digest of the row written. Editing, removing or inserting anything behind the
program's back breaks the chain or a digest, and `verify` names the first place it broke.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from itertools import islice

from checkpoint.database import audit_chain
from checkpoint.database.audit_chain import GENESIS, canonical, canonical_list, chain_hash, fetch_row, read_head
from checkpoint.store.audit_tables import table_mismatch
from checkpoint.store.connection import Store

__all__ = ["GENESIS", "canonical", "chain_hash", "fetch_row", "row_digest", "append", "last_hash", "head", "verify"]

# Fields that change on their own (login attempts) are not part of a row's audited content.
VOLATILE = {"staff": {"failed_pins", "locked_until"}}
# Columns a later migration added: rows written before it have NULL there and were digested without
# them, so a NULL in such a column is left out of the digest (a value put there later is not).
ADDED_LATER = {"entries": {"recheck_method", "age"}, "crossings": {"list_serial"}}


def row_digest(table: str, row: dict) -> str:
    """The digest of a station row as audited: its columns but the volatile ones, and a NULL in a
    column added later left out."""
    skip = VOLATILE.get(table, set())
    later = ADDED_LATER.get(table, set())
    return hashlib.sha256(canonical({k: v for k, v in row.items()
                                     if k not in skip and not (k in later and v is None)}).encode()).hexdigest()


def last_hash(store: Store) -> str:
    """The newest audit row's hash, read from the file.

    A caller that reads it chains rows by itself (store.bulk), so the head `append` remembers for
    this transaction is dropped: the next `append` reads the file again."""
    store.audit_head = None
    return read_head(store)


def append(store: Store, action: str, staff_id: int | None, table: str = "",
           target_id: int | None = None, detail: dict | None = None, row: dict | None = None) -> int:
    """Append one audit row (database.audit_chain) with the station's digest of the row written;
    call inside `store.write()` right after the write it records. Returns the row's id.

    `row` is the row just inserted with every column (as SELECT * returns it, id included): the hot
    paths pass it to save reading the row back; otherwise the row is read.
    """
    return audit_chain.append(store, action, staff_id, table, target_id, detail, row, row_digest)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    broken_at: int | None = None
    why: str = ""
    why_params: tuple[tuple[str, object], ...] = ()

    @property
    def whole(self) -> bool:
        return self.broken_at is None


AUDITED_TABLES = ("station", "staff", "policy", "vehicles", "entries", "amendments",
                  "keys", "passes", "revocations", "crossings", "shifts", "roster", "handovers",
                  "matters", "closures", "flags", "signoffs", "villages",
                  "vehicle_amendments")
# Tables whose content `verify` rebuilds from audited rows and compares: settings from the
# `settings.set` audit rows, open_exits from the crossings, entry_current from the amendments.
DERIVED_TABLES = ("settings", "open_exits", "entry_current")
# Tables `verify` does not cover, and why (tests/store/test_audit_coverage.py holds every table of the
# schema to one of the three lists, so a new table must be placed).
NOT_COVERED = {
    "audit": "the chain itself",
    "audit_head": "compared with the chain's last row",
    "_sqlite_migrations": "which schema steps ran; a wrong list makes opening fail, it decides nothing else",
    "search_pending": "search index bookkeeping: decides only which entries a search can find, rebuilt by a purge",
    "entry_search": "the search index: decides only which entries a search can find, never what is shown of them",
    "erase_pending": "a purge's unfinished erasing of old pages: housekeeping, no record",
}


@dataclass(frozen=True)
class Head:
    """The chain's newest row: its sequence number (audit id) and hash. An export carries it, so a
    tail cut later is caught against it (`verify(anchor=...)`)."""

    seq: int
    hash: str


def head(store: Store) -> Head:
    """The newest row of the chain as it is in the file (not the kept head)."""
    row = store.read_one("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
    return Head(int(row["id"]), row["hash"]) if row else Head(0, GENESIS)


def verify(store: Store, batch: int = 20_000, progress=None, anchor: Head | None = None) -> ChainReport:
    """Walk the chain in order, compare each audited row with its latest digest, rebuild the derived
    tables and compare them, and check the kept head (and `anchor`, a head saved elsewhere).

    All of it reads one snapshot of the file (a lane saving meanwhile changes nothing compared), and
    memory stays flat however long the chain: rows are streamed, never gathered, and each audited
    table is compared with its latest digests, both read in id order and merged.

    `progress(done, total)` is called after every `batch` rows read: the audit rows, then each
    audited table's (a year is a million of each); `done` rises to `total`."""
    conn = store.conn
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")   # deferred: the first SELECT takes the read snapshot, kept to the end
    try:
        return _verify(conn, store, batch, progress, anchor)
    finally:
        if own and conn.in_transaction:
            conn.execute("COMMIT")


def _verify(conn, store: Store, batch: int, progress, anchor: Head | None) -> ChainReport:
    total = 0
    if progress:
        total = sum(int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                    for table in ("audit", *AUDITED_TABLES))
    prev = GENESIS
    count = 0
    settings: dict[str, tuple[int, object]] = {}
    anchor_seen = False
    last_id = 0
    encode, sha256 = canonical_list, hashlib.sha256
    rows = conn.execute("SELECT id, at, staff_id, action, target_table, target_id, detail, digest, prev_hash, hash"
                        " FROM audit ORDER BY id")
    while True:
        before = count
        for (rid, at, staff_id, action, table, target_id, detail, digest, prev_hash, h) in islice(rows, batch):
            if prev_hash != prev:
                return ChainReport(count, rid, "audit.why_prev")
            # chain_hash, inlined: a year is a million rows
            if sha256(encode([prev_hash, at, staff_id, action, table, target_id, detail, digest]).encode()
                      ).hexdigest() != h:
                return ChainReport(count, rid, "audit.why_hash")
            if action == "settings.set" and not (table and target_id is not None and digest):
                value = json.loads(detail)
                settings[str(value.get("key"))] = (rid, value.get("value"))
            if anchor is not None and rid == anchor.seq:
                if h != anchor.hash:
                    return ChainReport(count, rid, "audit.why_anchor_differs", (("seq", anchor.seq),))
                anchor_seen = True
            prev = h
            count += 1
            last_id = rid
        if count == before:
            break
        if progress:
            progress(count, total)
    if anchor is not None and not anchor_seen and anchor.seq > 0:
        return ChainReport(count, last_id, "audit.why_anchor_short", (("seq", anchor.seq), ("last", last_id)))
    done = count
    for table in AUDITED_TABLES:
        found = table_mismatch(conn, table, VOLATILE.get(table, set()), ADDED_LATER.get(table, set()), batch,
                               progress, done, total)
        if not isinstance(found, int):
            return ChainReport(count, found.audit_id, found.why, found.why_params)
        done = found
    wrong_setting = settings_mismatch(store, settings)
    if wrong_setting is not None:
        return ChainReport(count, settings.get(wrong_setting, (0,))[0], "audit.why_setting",
                           (("key", wrong_setting),))
    wrong_exit = open_exits_mismatch(store)
    if wrong_exit is not None:
        return ChainReport(count, 0, "audit.why_open_exit", (("number", wrong_exit),))
    wrong = current_mismatch(store)
    if wrong is not None:
        return ChainReport(count, 0, "audit.why_current", (("id", wrong),))
    kept = head_mismatch(store, last_id, prev)
    if kept is not None:
        return ChainReport(count, last_id, kept[0], kept[1])
    return ChainReport(count)


def settings_mismatch(store: Store, audited: dict[str, tuple[int, object]]) -> str | None:
    """The first setting whose stored value is not the last one its audit rows set (or that has no
    audit row at all, or that was removed); None when all agree."""
    stored = {key: value for key, value in store.conn.execute("SELECT key, value FROM settings")}
    for key in sorted(set(stored) | set(audited)):
        if key not in stored or key not in audited:
            return key
        try:
            value = json.loads(stored[key])
        except ValueError:
            return key
        if value != audited[key][1] or type(value) is not type(audited[key][1]):
            return key
    return None


def open_exits_mismatch(store: Store) -> str | None:
    """The first pass whose "out, not back" mark differs from the one its crossings leave (a valid exit
    opens it, a valid return closes it); None when all agree."""
    expected: dict[tuple[str, str], int] = {}
    for key_id, number, direction, crossing_id in store.conn.execute(
            "SELECT key_id, pass_number, direction, id FROM crossings WHERE verdict = 'valid' ORDER BY id"):
        if direction == "out":
            expected[(key_id, number)] = crossing_id
        elif direction == "in":
            expected.pop((key_id, number), None)
    stored = {(k, n): c for k, n, c in store.conn.execute("SELECT key_id, pass_number, crossing_id FROM open_exits")}
    for key in sorted(set(expected) | set(stored)):
        if expected.get(key) != stored.get(key):
            return key[1]
    return None


def head_mismatch(store: Store, last_id: int, last_hash: str) -> tuple[str, tuple] | None:
    """Why the head kept beside the chain (and its guards) disagree with the chain's last row."""
    from checkpoint.store.definitions import AUDIT_GUARDS

    kept = store.conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    if kept is None:
        return "audit.why_head_missing", ()
    if kept[0] != last_id or kept[1] != last_hash:
        return "audit.why_head", (("seq", kept[0]), ("last", last_id))
    present = {sql for (sql,) in store.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")}
    if not all(guard in present for guard in AUDIT_GUARDS.split(";\n")):
        return "audit.why_guards", ()
    return None


def current_mismatch(store: Store) -> int | None:
    """The first entry whose corrected values (entry_current, derived, not audited itself) differ
    from its original with its audited amendments replayed; None when all agree."""
    from checkpoint.store.definitions import AMENDABLE

    replayed: dict[int, dict] = {}
    for a in store.conn.execute("SELECT entry_id, changes FROM amendments ORDER BY id"):
        values = replayed.setdefault(a[0], {})
        values.update({field: new for field, (_, new) in json.loads(a[1]).items()})
    cursor = store.conn.execute(f"SELECT e.id, {', '.join('c.' + c for c in AMENDABLE)}, "
                                f"{', '.join('e.' + c for c in AMENDABLE)}, c.entry_id IS NOT NULL "
                                f"FROM entry_current c LEFT JOIN entries e ON e.id = c.entry_id")
    seen = set()
    for row in cursor:
        entry_id, n = row[0], len(AMENDABLE)
        current, original = dict(zip(AMENDABLE, row[1:1 + n])), dict(zip(AMENDABLE, row[1 + n:1 + 2 * n]))
        if entry_id is None or entry_id not in replayed:
            return entry_id or 0
        if current != {**original, **replayed[entry_id]}:
            return entry_id
        seen.add(entry_id)
    missing = set(replayed) - seen
    return min(missing) if missing else None
