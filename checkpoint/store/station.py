"""The station's own row and its settings (key/value)."""

from __future__ import annotations

import json

from checkpoint.store import audit
from checkpoint.database.file import now_utc
from checkpoint.store.connection import Store


def get(store: Store) -> dict | None:
    return store.read_one("SELECT * FROM station WHERE id = 1")


def create(store: Store, code: str, name: str, township: str, tz: str) -> dict:
    store.insert("station", {"id": 1, "code": code, "name": name, "township": township, "tz": tz,
                             "created_at": now_utc()})
    audit.append(store, "station.create", None, "station", 1)
    return get(store) or {}


def get_setting(store: Store, key: str, default: object = None) -> object:
    row = store.read_one("SELECT value FROM settings WHERE key = ?", (key,))
    return json.loads(row["value"]) if row else default


def set_setting(store: Store, key: str, value: object, staff_id: int | None) -> None:
    store.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                  (key, json.dumps(value, ensure_ascii=False)))
    audit.append(store, "settings.set", staff_id, detail={"key": key, "value": value})
