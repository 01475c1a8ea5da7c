"""The station's own villages (本镇的村): what 住址/村 completes from and what makes an address local.

Learnt from the addresses of residents as they are saved, and edited by a leader; a village is
never deleted, only hidden, so the audit keeps what the desk offered and when.
"""

from __future__ import annotations

from checkpoint.store import audit
from checkpoint.database.file import now_utc
from checkpoint.store.connection import Store


def names(store: Store) -> tuple[str, ...]:
    return tuple(r["name"] for r in store.read("SELECT name FROM villages WHERE removed = 0 ORDER BY name"))


def listing(store: Store) -> list[dict]:
    return store.read("SELECT id, name, source, added_at, removed FROM villages ORDER BY name")


def find(store: Store, name: str) -> dict | None:
    return store.read_one("SELECT * FROM villages WHERE name = ?", (name,))


def add(store: Store, name: str, source: str, by: int | None) -> int:
    """Add (or show again) a village; call inside `store.write()`."""
    row = find(store, name)
    if row is not None:
        if row["removed"]:
            store.execute("UPDATE villages SET removed = 0 WHERE id = ?", (row["id"],))
            audit.append(store, "village.restore", by, "villages", row["id"])
        return int(row["id"])
    village_id = store.insert("villages", {"name": name, "source": source, "added_at": now_utc(), "removed": 0})
    audit.append(store, f"village.{source}", by, "villages", village_id)
    return village_id


def remove(store: Store, village_id: int, by: int | None) -> None:
    store.execute("UPDATE villages SET removed = 1 WHERE id = ?", (village_id,))
    audit.append(store, "village.remove", by, "villages", village_id)


def origins_seen(store: Store, recent: int = 5000) -> dict[str, int]:
    """How often each origin was registered among the newest `recent` entries (for ranking the
    completion; the newest rows only, so a year of data costs the same as a day)."""
    rows = store.read("SELECT origin, count(*) AS n FROM (SELECT origin FROM entries ORDER BY id DESC LIMIT ?) "
                      "GROUP BY origin", (recent,))
    return {r["origin"]: int(r["n"]) for r in rows if r["origin"]}
