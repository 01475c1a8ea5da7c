"""Versioned policy rows: key areas and disposition rules (never edited, a new version is added)."""

from __future__ import annotations

import json

from checkpoint.store import audit
from checkpoint.database.file import now_utc
from checkpoint.store.connection import Store


def current(store: Store) -> dict | None:
    row = store.read_one("SELECT * FROM policy ORDER BY version DESC LIMIT 1")
    if row:
        row["key_areas"] = json.loads(row["key_areas"])
        row["rules"] = json.loads(row["rules"])
    return row


def add_version(store: Store, key_areas: list[str], rules_json: str, by: int | None, note: str = "") -> int:
    row = store.read_one("SELECT coalesce(max(version), 0) + 1 AS v FROM policy")
    version = int(row["v"]) if row else 1
    store.execute("INSERT INTO policy (id, version, key_areas, rules, created_at, created_by, note) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (version, version, json.dumps(key_areas, ensure_ascii=False), rules_json, now_utc(), by, note))
    audit.append(store, "policy.add", by, "policy", version)
    return version
