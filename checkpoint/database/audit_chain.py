"""The hash-chained audit row both sides write after every change: its hash covers the previous
row's hash, when, who, the action, the table and row it names, a detail, and a digest of that row.
The station checks its chain (store/audit.py, `checkpoint audit verify`); the township keeps one the
same way. Each file's `audit` table has the same columns.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from checkpoint.database.file import DatabaseFile, now_utc

GENESIS = "0" * 64

# json.dumps builds a new encoder for every call with options; one encoder with the same options
# gives the same text (a save writes four audit rows, each canonicalised twice)
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)

_INSERT = ("INSERT INTO audit (at, staff_id, action, target_table, target_id, detail, digest, prev_hash, hash)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")

Digest = Callable[[str, dict], str]


def canonical(value: object) -> str:
    """The one text of a value that is hashed: sorted keys, no spaces, UTF-8 as it is."""
    return _CANONICAL.encode(value)


def _c_encoder(separator: str) -> Callable[[object], str] | None:
    """`canonical`'s text from the C encoder that `_CANONICAL` itself uses, called without the Python
    wrapper around it (a year's chain check canonicalises two million values), items parted by
    `separator`; None without the C module. No check for values that contain themselves: rows and
    lists of columns never do."""
    from json import encoder

    if encoder.c_make_encoder is None:
        return None
    make = encoder.c_make_encoder(None, _CANONICAL.default, encoder.encode_basestring, None, ":", separator,
                                  True, False, True)
    return lambda value: "".join(make(value, 0))


def _parted_slowly(values: tuple | list) -> str:
    return "[" + "\0".join(canonical(v) for v in values) + "]"


# `canonical` of a list (a chain row's fields)
canonical_list = _c_encoder(",") or canonical
# A list of plain values (columns) as `canonical` writes it but for NUL between the items: no item's
# text can hold a NUL (a string's control characters are escaped), so splitting at them gives each
# item's own canonical text (store/audit_tables.py sets them into a row's text without a dict).
canonical_parted = _c_encoder("\0") or _parted_slowly


def plain_digest(table: str, row: dict) -> str:
    """SHA-256 of the row's canonical text (every column)."""
    return hashlib.sha256(canonical(row).encode()).hexdigest()


def chain_hash(prev_hash: str, at: str, staff_id: int | None, action: str, table: str,
               target_id: int | None, detail: str, digest: str) -> str:
    """The hash of one audit row, over the previous row's hash and everything the row says."""
    body = canonical([prev_hash, at, staff_id, action, table, target_id, detail, digest])
    return hashlib.sha256(body.encode()).hexdigest()


def read_head(store: DatabaseFile) -> str:
    """The newest audit row's hash as it is in the file (GENESIS for an empty chain)."""
    row = store.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


def fetch_row(store: DatabaseFile, table: str, target_id: int) -> dict | None:
    """The row `target_id` of `table` with every column, or None."""
    return store.read_one(f"SELECT * FROM {table} WHERE id = ?", (target_id,))


def append(store: DatabaseFile, action: str, staff_id: int | None, table: str = "",
           target_id: int | None = None, detail: dict | None = None, row: dict | None = None,
           digest_of: Digest = plain_digest) -> int:
    """Append one audit row; call inside `store.write()` right after the write it records. Returns its id.

    `row` is the row just inserted with every column (as SELECT * returns it, id included): the hot
    paths pass it to save reading the row back; otherwise the row is read. `digest_of(table, row)`
    is the digest of the row written (the station leaves some columns out, store/audit.py).
    """
    at = now_utc()
    detail_text = canonical(detail or {})
    digest = ""
    if table and target_id is not None:
        row = row if row is not None else fetch_row(store, table, target_id)
        digest = digest_of(table, row) if row else ""
    # Inside its own write() transaction the store remembers the head this connection wrote last
    # (nobody else can append before COMMIT); otherwise, and for the first row, it is read.
    writing = store.writing
    prev = store.audit_head if writing and store.audit_head is not None else read_head(store)
    h = chain_hash(prev, at, staff_id, action, table, target_id, detail_text, digest)
    audit_id = int(store.execute(_INSERT, (at, staff_id, action, table, target_id, detail_text, digest, prev,
                                           h)).lastrowid or 0)
    store.audit_head = h if writing else None
    return audit_id
