"""One audited table compared with the audit chain's latest digest of each of its rows, streamed:
the table and the digests are read in id order and merged, so memory stays flat however many rows
(a year is a million entries). store/audit.py `verify` runs it for every audited table after the
chain itself is found whole.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from itertools import islice

from checkpoint.database.audit_chain import canonical_presorted


@dataclass(frozen=True)
class Mismatch:
    """Where a table and the chain disagree: the audit row to name (0: none holds it), why, about what."""

    audit_id: int
    why: str
    why_params: tuple[tuple[str, object], ...]


def table_mismatch(conn: sqlite3.Connection, table: str, volatile: set[str], later_added: set[str], batch: int,
                   progress, done: int, total: int) -> Mismatch | int:
    """Compare every row of `table` with the latest digest the chain holds for it, both read in id
    order and merged (nothing held but the current row of each). `volatile` columns are left out of
    a row's digest, and a NULL in a `later_added` one, as store/audit.py `row_digest` does.

    Returns the first row that differs or is unaudited, else the first audited row that is gone;
    else `done` plus the rows read, for the progress."""
    names = [d[0] for d in conn.execute(f"SELECT * FROM {table} LIMIT 0").description]
    kept = sorted(n for n in names if n not in volatile)   # the canonical text's key order
    later = [n for n in kept if n in later_added]
    at_id = kept.index("id")
    columns = ", ".join('"' + n.replace('"', '""') + '"' for n in kept)   # a column added by hand is digested too
    rows = conn.execute(f"SELECT {columns} FROM {table} ORDER BY id")
    # the newest digest per row id: with max(), SQLite takes `digest` from the row holding max(id);
    # the index on (target_table, target_id) gives them in id order, nothing sorted aside
    audited = iter(conn.execute("SELECT target_id, max(id), digest FROM audit WHERE target_table = ?"
                                " AND target_id IS NOT NULL AND digest != '' GROUP BY target_id"
                                " ORDER BY target_id", (table,)))
    pending = next(audited, None)
    missing: tuple[int, object] | None = None   # (audit id, row id) of the first audited row not found
    encode, sha256 = canonical_presorted, hashlib.sha256
    while True:
        before = done
        for values in islice(rows, batch):
            row_id = values[at_id]
            # an id the table cannot hold (not a number: sorted after all numbers) is gone too
            while pending is not None and (not isinstance(pending[0], (int, float)) or pending[0] < row_id):
                if missing is None:
                    missing = (pending[1], pending[0])
                if not isinstance(pending[0], (int, float)):
                    break
                pending = next(audited, None)
            if pending is None or pending[0] != row_id:
                return Mismatch(0, "audit.why_unaudited", (("table", table), ("id", row_id)))
            row = dict(zip(kept, values))
            for name in later:
                if row[name] is None:
                    del row[name]
            if pending[2] != sha256(encode(row).encode()).hexdigest():   # row_digest, inlined
                return Mismatch(pending[1], "audit.why_record", (("table", table), ("id", row_id)))
            pending = next(audited, None)
            done += 1
        if done == before:
            break
        if progress:
            progress(done, total)
    if missing is None and pending is not None:
        missing = (pending[1], pending[0])
    if missing is not None:
        return Mismatch(missing[0], "audit.why_missing", (("table", table), ("id", missing[1])))
    return done
