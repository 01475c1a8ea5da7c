"""Retention (PIPL): personal fields of old records are emptied in place. The rows stay, so every
count stays; each changed row gets an audit row with its new digest, so `audit verify` stays whole
and shows who purged what and when.

Batched: each batch is one transaction, and a batch only takes rows not yet emptied, so a purge cut
off half-way (a power cut) is finished by running it again.
"""

from __future__ import annotations

import json

from checkpoint.store import audit
from checkpoint.store.connection import Store

ENTRY_FIELDS = ("name", "doc_no", "phone", "address", "travel_where", "destination")
PASS_FIELDS = ("holder_name", "holder_doc_no", "members")
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
