"""Staff accounts (值守/带班/管理)."""

from __future__ import annotations

from checkpoint.store import audit
from checkpoint.database.file import now_utc
from checkpoint.store.connection import Store


def by_name(store: Store, name: str) -> dict | None:
    return store.read_one("SELECT * FROM staff WHERE name = ?", (name,))


def by_id(store: Store, staff_id: int) -> dict | None:
    return store.read_one("SELECT * FROM staff WHERE id = ?", (staff_id,))


def all_staff(store: Store, active_only: bool = False) -> list[dict]:
    where = "WHERE active = 1" if active_only else ""
    return store.read(f"SELECT * FROM staff {where} ORDER BY active DESC, role DESC, name")


def add(store: Store, name: str, role: str, pin_hash: str, by: int | None) -> int:
    staff_id = store.insert("staff", {"name": name, "role": role, "pin_hash": pin_hash,
                                      "active": 1, "created_at": now_utc()})
    audit.append(store, "staff.add", by, "staff", staff_id, {"name": name, "role": role})
    return staff_id


def set_active(store: Store, staff_id: int, active: bool, by: int | None) -> None:
    store.execute("UPDATE staff SET active = ? WHERE id = ?", (int(active), staff_id))
    audit.append(store, "staff.enable" if active else "staff.disable", by, "staff", staff_id)


def record_pin_attempt(store: Store, staff_id: int, failed_pins: int, locked_until: str | None) -> None:
    store.execute("UPDATE staff SET failed_pins = ?, locked_until = ? WHERE id = ?",
                  (failed_pins, locked_until, staff_id))


def count_active_leaders(store: Store) -> int:
    row = store.read_one("SELECT count(*) AS n FROM staff WHERE active = 1 AND role IN ('leader', 'admin')")
    return int(row["n"]) if row else 0
