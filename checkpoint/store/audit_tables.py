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

from checkpoint.database.audit_chain import canonical, canonical_parted


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
    at_id = 1 + kept.index("id")
    texts = row_texts(kept, later)
    # first the row's shape (which later columns are NULL, a bit each), then its columns; a column
    # added by hand is digested too
    shape = " | ".join(f"(({_quoted(n)} IS NULL) << {bit})" for bit, n in enumerate(later)) or "0"
    rows = conn.execute(f"SELECT {shape}, {', '.join(map(_quoted, kept))} FROM {table} ORDER BY id")
    # the newest digest per row id: with max(), SQLite takes `digest` from the row holding max(id);
    # the index on (target_table, target_id) gives them in id order, nothing sorted aside
    audited = iter(conn.execute("SELECT target_id, max(id), digest FROM audit WHERE target_table = ?"
                                " AND target_id IS NOT NULL AND digest != '' GROUP BY target_id"
                                " ORDER BY target_id", (table,)))
    pending = next(audited, None)
    missing: tuple[int, object] | None = None   # (audit id, row id) of the first audited row not found
    encode, sha256 = canonical_parted, hashlib.sha256
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
            # row_digest, without a dict: each column's own text set into the row's text
            text = texts[values[0]] % tuple(encode(values)[1:-1].split("\0"))
            if pending[2] != sha256(text.encode()).hexdigest():
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


def row_texts(kept: list[str], later: list[str]) -> list[str]:
    """For each shape of a row (bit k set: the k-th of `later` is NULL, so left out), the format
    that makes `canonical` of the row from its shape and its `kept` columns' texts in that order."""
    texts = []
    for shape in range(1 << len(later)):
        left_out = {n for bit, n in enumerate(later) if shape >> bit & 1}
        text, first = "%.0s{", True   # "%.0s" takes a text and shows nothing: the shape's, a left-out column's
        for name in kept:
            if name in left_out:
                text += "%.0s"
            else:
                text += ("" if first else ",") + canonical(name).replace("%", "%%") + ":%s"
                first = False
        texts.append(text + "}")
    return texts


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
