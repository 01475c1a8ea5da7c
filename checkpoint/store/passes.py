"""Signing keys, the trust list, passes, revocations and the crossing log."""

from __future__ import annotations

from checkpoint.store import audit
from checkpoint.database.file import now_utc
from checkpoint.store.connection import Store


# ---- keys -----------------------------------------------------------------------------------------
def own_key(store: Store) -> dict | None:
    return store.read_one("SELECT * FROM keys WHERE own = 1 AND revoked_at IS NULL ORDER BY id DESC LIMIT 1")


def key_by_id(store: Store, key_id: str) -> dict | None:
    return store.read_one("SELECT * FROM keys WHERE key_id = ?", (key_id,))


def all_keys(store: Store) -> list[dict]:
    return store.read("SELECT id, key_id, public_key, owner, own, source, created_at, revoked_at FROM keys ORDER BY id")


def add_key(store: Store, key_id: str, public_key: bytes, private_key: bytes | None, owner: str,
            source: str, by: int | None) -> int:
    key_row_id = store.insert("keys", {"key_id": key_id, "public_key": public_key, "private_key": private_key,
                                       "owner": owner, "own": int(private_key is not None), "source": source,
                                       "created_at": now_utc()})
    audit.append(store, "key.add", by, "keys", key_row_id, {"key_id": key_id, "owner": owner})
    return key_row_id


# ---- passes ---------------------------------------------------------------------------------------
def next_serial(store: Store) -> int:
    row = store.read_one("SELECT count(*) + 1 AS n FROM passes")
    return int(row["n"]) if row else 1


def insert_pass(store: Store, row: dict) -> int:
    pass_id = store.insert("passes", row)
    audit.append(store, "pass.issue", row["staff_id"], "passes", pass_id, {"number": row["number"]})
    return pass_id


def pass_by_number(store: Store, number: str) -> dict | None:
    """The pass with this number; a station code kept in lower case still matches one typed in
    upper case (the unique index finds the usual case, the scan of one table the rare one)."""
    return (store.read_one("SELECT * FROM passes WHERE number = ?", (number,))
            or store.read_one("SELECT * FROM passes WHERE number = ? COLLATE NOCASE", (number,)))


def list_passes(store: Store, limit: int = 200) -> list[dict]:
    return store.read("SELECT * FROM passes ORDER BY id DESC LIMIT ?", (limit,))


# ---- revocations ----------------------------------------------------------------------------------
def revocation(store: Store, key_id: str, number: str) -> dict | None:
    return store.read_one("SELECT * FROM revocations WHERE key_id = ? AND pass_number = ?", (key_id, number))


def add_revocation(store: Store, key_id: str, number: str, reason: str, revoked_at: str, by: int | None,
                   source: str) -> int | None:
    """Insert unless already revoked; returns the new row id or None."""
    if revocation(store, key_id, number):
        return None
    rev_id = store.insert("revocations", {"key_id": key_id, "pass_number": number, "reason": reason,
                                          "revoked_at": revoked_at, "staff_id": by, "source": source})
    audit.append(store, "pass.revoke", by, "revocations", rev_id, {"number": number})
    return rev_id


def all_revocations(store: Store) -> list[dict]:
    return store.read("SELECT key_id, pass_number, reason, revoked_at, source FROM revocations ORDER BY id")


# ---- crossings ------------------------------------------------------------------------------------
def count_valid_exits_since(store: Store, key_id: str, number: str, first_day: str) -> int:
    row = store.read_one("SELECT count(*) AS n FROM crossings WHERE key_id = ? AND pass_number = ? "
                         "AND verdict = 'valid' AND direction = 'out' AND local_day >= ?",
                         (key_id, number, first_day))
    return int(row["n"]) if row else 0


def insert_crossing(store: Store, row: dict) -> int:
    crossing_id = store.insert("crossings", row)
    if row["verdict"] == "valid" and row["direction"] == "out":
        store.execute("INSERT OR REPLACE INTO open_exits (key_id, pass_number, crossing_id) VALUES (?, ?, ?)",
                      (row["key_id"], row["pass_number"], crossing_id))
    elif row["verdict"] == "valid" and row["direction"] == "in":
        store.execute("DELETE FROM open_exits WHERE key_id = ? AND pass_number = ?",
                      (row["key_id"], row["pass_number"]))
    audit.append(store, "pass.scan", row["staff_id"], "crossings", crossing_id,
                 {"number": row["pass_number"], "verdict": row["verdict"]})
    return crossing_id


def open_exit(store: Store, key_id: str, number: str) -> dict | None:
    return store.read_one("SELECT c.* FROM open_exits o JOIN crossings c ON c.id = o.crossing_id "
                          "WHERE o.key_id = ? AND o.pass_number = ?", (key_id, number))


def open_exits(store: Store) -> list[dict]:
    """Every exit not yet closed by a return, with the pass it belongs to (if issued here)."""
    return store.read(
        "SELECT c.*, p.holder_name, p.holder_doc_no, p.village, p.back_by AS pass_back_by, p.kind "
        "FROM open_exits o JOIN crossings c ON c.id = o.crossing_id "
        "LEFT JOIN passes p ON p.number = o.pass_number AND p.key_id = o.key_id ORDER BY c.id")

