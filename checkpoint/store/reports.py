"""Reads for one station day, as the daily export (日报 bundle) needs them: every row of the day
with the names and plates a reader needs beside it. Read-only; nothing here writes."""

from __future__ import annotations

from checkpoint.store.connection import Store

# The person rows with corrections applied: the VIEW `entries_now` (migration m004) has every
# column of `entries`, corrected, plus `amended` and `amended_after_signoff`. The township gets the
# log as it stands, and the report says how many rows were corrected. One name, switched in one line.
_PERSONS = "entries_now"
# The vehicles likewise, corrected (VIEW `vehicles_now`, migration m008), with `amended`.
_VEHICLES = "vehicles_now"


def persons(store: Store, day: str) -> list[dict]:
    """Every person registered on `day` (local), oldest first, with vehicle plate/type and staff name."""
    return store.read(
        f"SELECT e.*, v.plate AS plate, v.vehicle_type AS vehicle_type, s.name AS staff_name "
        f"FROM {_PERSONS} e LEFT JOIN {_VEHICLES} v ON v.id = e.vehicle_id "
        f"LEFT JOIN staff s ON s.id = e.staff_id WHERE e.local_day = ? ORDER BY e.id", (day,))


def vehicles(store: Store, day: str) -> list[dict]:
    """The day's vehicles with how many persons were registered in each."""
    return store.read(
        "SELECT v.*, s.name AS staff_name, (SELECT count(*) FROM entries e WHERE e.vehicle_id = v.id) AS persons "
        f"FROM {_VEHICLES} v LEFT JOIN staff s ON s.id = v.staff_id WHERE v.local_day = ? ORDER BY v.id", (day,))


def passes_issued(store: Store, day: str) -> list[dict]:
    """Passes issued on `day`, with the issuer's name and whether the pass has since been revoked.
    The token is left out on purpose: it is the pass itself, and a copy of it is a copy of the card."""
    return store.read(
        "SELECT p.id, p.number, p.kind, p.holder_name, p.holder_doc_no, p.village, p.members, p.plate, p.route, "
        "p.cargo, p.reason, p.employer, p.valid_from, p.valid_to, p.exits, p.per_days, p.back_by, p.key_id, "
        "p.issued_at, p.local_day, p.shift_id, s.name AS staff_name, "
        "(r.id IS NOT NULL) AS revoked, r.reason AS revoked_reason "
        "FROM passes p LEFT JOIN staff s ON s.id = p.staff_id "
        "LEFT JOIN revocations r ON r.key_id = p.key_id AND r.pass_number = p.number "
        "WHERE p.local_day = ? ORDER BY p.id", (day,))


def pass_scans(store: Store, day: str) -> list[dict]:
    """Every pass check on `day` (any issuer), with the holder when the pass was issued here."""
    return store.read(
        "SELECT c.*, s.name AS staff_name, p.holder_name, p.village, p.kind "
        "FROM crossings c LEFT JOIN staff s ON s.id = c.staff_id "
        "LEFT JOIN passes p ON p.key_id = c.key_id AND p.number = c.pass_number "
        "WHERE c.local_day = ? ORDER BY c.id", (day,))


def shifts(store: Store, day: str) -> list[dict]:
    """Shifts started on `day`, and any earlier shift (a night shift) that registered people on it."""
    return store.read(
        "SELECT sh.*, st.name AS leader_name FROM shifts sh LEFT JOIN staff st ON st.id = sh.leader_id "
        "WHERE sh.local_day = ? OR sh.id IN (SELECT shift_id FROM entries WHERE local_day = ? AND shift_id IS NOT NULL) "
        "ORDER BY sh.id", (day, day))


def rosters(store: Store, shift_ids: list[int]) -> list[dict]:
    """Everyone who joined the roster of these shifts, with their category (the last one they had)."""
    if not shift_ids:
        return []
    marks = ", ".join("?" for _ in shift_ids)
    return store.read(
        f"SELECT r.shift_id, r.staff_id, r.category, s.name, s.role FROM roster r JOIN staff s ON s.id = r.staff_id "
        f"WHERE r.id IN (SELECT max(id) FROM roster WHERE shift_id IN ({marks}) AND action = 'join' "
        f"GROUP BY shift_id, staff_id) ORDER BY r.shift_id, r.id", list(shift_ids))


def handovers(store: Store, shift_ids: list[int]) -> list[dict]:
    """The signed handovers closing these shifts (counts, stock and open_matters are JSON text)."""
    if not shift_ids:
        return []
    marks = ", ".join("?" for _ in shift_ids)
    return store.read(
        f"SELECT h.*, sh.kind, sh.started_at, sh.local_day, o.name AS outgoing_name, i.name AS incoming_name "
        f"FROM handovers h JOIN shifts sh ON sh.id = h.shift_id "
        f"LEFT JOIN staff o ON o.id = h.outgoing_id LEFT JOIN staff i ON i.id = h.incoming_id "
        f"WHERE h.shift_id IN ({marks}) ORDER BY h.signed_at, h.id", list(shift_ids))


def export_revisions(store: Store, day: str) -> list[int]:
    """Revisions already exported for `day`, from the audit chain (export.day rows)."""
    rows = store.read("SELECT json_extract(detail, '$.revision') AS revision FROM audit "
                      "WHERE action = 'export.day' AND json_extract(detail, '$.day') = ?", (day,))
    return [int(r["revision"]) for r in rows if r["revision"] is not None]


def audit_head(store: Store) -> dict:
    """The newest audit row: {"seq": its id, "hash": its chain hash} (the head a bundle carries)."""
    row = store.read_one("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
    return {"seq": int(row["id"]), "hash": row["hash"]} if row else {"seq": 0, "hash": "0" * 64}
