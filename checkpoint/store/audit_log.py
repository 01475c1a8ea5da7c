"""The audit screen's queries: a page of the audit chain, newest first, filtered by action and by
who (the chain itself, appending and checking it, is store.audit)."""

from __future__ import annotations

from checkpoint.store.connection import Store


def audit_count(store: Store, action_prefix: str = "", staff_id: int | None = None) -> int:
    where, params = _audit_where(action_prefix, staff_id)
    row = store.read_one(f"SELECT count(*) AS n FROM audit a WHERE {where}", params)
    return int(row["n"]) if row else 0


def _audit_where(action_prefix: str, staff_id: int | None) -> tuple[str, list]:
    clauses, params = ["1"], []
    if action_prefix:
        clauses.append("a.action >= ? AND a.action < ?")
        params += [action_prefix, action_prefix + "\uffff"]
    if staff_id is not None:
        clauses.append("a.staff_id = ?")
        params.append(staff_id)
    return " AND ".join(clauses), params


def audit_page(store: Store, offset: int, limit: int, action_prefix: str = "", staff_id: int | None = None) -> list[dict]:
    where, params = _audit_where(action_prefix, staff_id)
    if not action_prefix and staff_id is None:
        # The chain is only appended to, so position n from the newest is id max - n: no walk.
        top = store.read_one("SELECT max(id) AS m FROM audit")
        where, params, offset = "a.id <= ?", [int((top and top["m"]) or 0) - offset], 0
    return store.read(f"SELECT a.id, a.at, a.action, a.target_table, a.target_id, a.detail, s.name AS staff_name "
                      f"FROM audit a LEFT JOIN staff s ON s.id = a.staff_id WHERE {where} "
                      f"ORDER BY a.id DESC LIMIT ? OFFSET ?", params + [limit, offset])
