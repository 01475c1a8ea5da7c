"""Shifts, their rosters, handover records, open matters and their closures."""

from __future__ import annotations

from checkpoint.store import audit
from checkpoint.store.connection import Store


def open_shift(store: Store) -> dict | None:
    return store.read_one("SELECT * FROM shifts WHERE open = 1")


def shift(store: Store, shift_id: int) -> dict | None:
    return store.read_one("SELECT * FROM shifts WHERE id = ?", (shift_id,))


def last_closed(store: Store) -> dict | None:
    return store.read_one("SELECT * FROM shifts WHERE open IS NULL ORDER BY id DESC LIMIT 1")


def start(store: Store, kind: str, started_at: str, local_day: str, leader_id: int, previous_id: int | None,
          by: int) -> int:
    shift_id = store.insert("shifts", {"kind": kind, "started_at": started_at, "local_day": local_day,
                                       "leader_id": leader_id, "previous_id": previous_id, "open": 1})
    audit.append(store, "shift.start", by, "shifts", shift_id)
    return shift_id


def close(store: Store, shift_id: int, closed_at: str, by: int) -> None:
    store.execute("UPDATE shifts SET open = NULL, closed_at = ? WHERE id = ? AND open = 1", (closed_at, shift_id))
    audit.append(store, "shift.close", by, "shifts", shift_id)


def roster_event(store: Store, shift_id: int, staff_id: int, category: str, action: str, at: str, by: int) -> int:
    row_id = store.insert("roster", {"shift_id": shift_id, "staff_id": staff_id, "category": category,
                                     "action": action, "at": at})
    audit.append(store, f"roster.{action}", by, "roster", row_id)
    return row_id


def roster(store: Store, shift_id: int) -> list[dict]:
    """Who is on the roster now: each person's last event is a join."""
    return store.read(
        "SELECT r.staff_id, r.category, r.at, s.name, s.role, s.active FROM roster r JOIN staff s ON s.id = r.staff_id "
        "WHERE r.id IN (SELECT max(id) FROM roster WHERE shift_id = ? GROUP BY staff_id) AND r.action = 'join' "
        "ORDER BY r.id", (shift_id,))


def counts(store: Store, shift_id: int) -> dict:
    """The shift's figures, computed from the records written while it was open."""
    persons = store.read_one(
        "SELECT count(*) AS persons, coalesce(sum(direction = 'in'), 0) AS persons_in, "
        "coalesce(sum(direction = 'out'), 0) AS persons_out, coalesce(sum(fever), 0) AS fevers "
        "FROM entries WHERE shift_id = ?", (shift_id,)) or {}
    vehicles = store.read_one(
        "SELECT count(*) AS vehicles, coalesce(sum(direction = 'in'), 0) AS vehicles_in, "
        "coalesce(sum(direction = 'out'), 0) AS vehicles_out FROM vehicles WHERE shift_id = ?", (shift_id,)) or {}
    dispositions = {r["disposition"]: r["n"] for r in store.read(
        "SELECT disposition, count(*) AS n FROM entries WHERE shift_id = ? GROUP BY disposition", (shift_id,))}
    escorted_closed = store.read_one(
        "SELECT count(*) AS n FROM closures c JOIN entries e ON c.kind = 'entry' AND e.id = c.ref_id "
        "WHERE c.shift_id = ? AND e.disposition = 'escorted'", (shift_id,))
    passes = store.read_one("SELECT count(*) AS n FROM passes WHERE shift_id = ?", (shift_id,))
    scans = {r["verdict"]: r["n"] for r in store.read(
        "SELECT verdict, count(*) AS n FROM crossings WHERE shift_id = ? GROUP BY verdict", (shift_id,))}
    return {**persons, **vehicles, "dispositions": dispositions,
            "escorted_closed": int(escorted_closed["n"]) if escorted_closed else 0,
            "passes_issued": int(passes["n"]) if passes else 0, "scans": scans}


_MATTER_DISPOSITIONS = "('hold', 'refer', 'escorted')"


def open_entry_matters(store: Store) -> list[dict]:
    """Held or referred people awaiting transport, and escorted entries not closed out, as they
    stand after corrections (an entry corrected to 放行 is no matter). The candidates come from the
    partial index on the original disposition and from the few corrected entries."""
    return store.read(
        "SELECT e.id, e.recorded_at, coalesce(c.name, e.name) AS name, coalesce(c.doc_no, e.doc_no) AS doc_no, "
        "coalesce(c.disposition, e.disposition) AS disposition, e.shift_id FROM entries e "
        "LEFT JOIN entry_current c ON c.entry_id = e.id "
        f"WHERE (e.disposition IN {_MATTER_DISPOSITIONS} OR e.id IN (SELECT entry_id FROM entry_current "
        f"WHERE disposition IN {_MATTER_DISPOSITIONS})) "
        f"AND coalesce(c.disposition, e.disposition) IN {_MATTER_DISPOSITIONS} "
        "AND NOT EXISTS (SELECT 1 FROM closures x WHERE x.kind = 'entry' AND x.ref_id = e.id) ORDER BY e.id")


def closure(store: Store, kind: str, ref_id: int) -> dict | None:
    return store.read_one("SELECT * FROM closures WHERE kind = ? AND ref_id = ?", (kind, ref_id))


def is_open_matter(store: Store, kind: str, ref_id: int) -> bool:
    """Whether `kind:ref_id` names a matter that is open now (closures aside)."""
    if kind == "entry":
        return store.read_one(
            f"SELECT 1 AS x FROM entries_now WHERE id = ? AND disposition IN {_MATTER_DISPOSITIONS}",
            (ref_id,)) is not None
    if kind == "matter":
        return store.read_one("SELECT 1 AS x FROM matters WHERE id = ?", (ref_id,)) is not None
    if kind == "exit":
        return store.read_one("SELECT 1 AS x FROM open_exits WHERE crossing_id = ?", (ref_id,)) is not None
    return False


def open_exit_of_pass(store: Store, number: str) -> dict | None:
    """The open exit (its crossing) of a pass of any issuer with this number."""
    return store.read_one("SELECT c.* FROM open_exits o JOIN crossings c ON c.id = o.crossing_id "
                          "WHERE o.pass_number = ? ORDER BY c.id DESC LIMIT 1", (number,))


def open_note_matters(store: Store) -> list[dict]:
    return store.read("SELECT m.* FROM matters m WHERE NOT EXISTS "
                      "(SELECT 1 FROM closures c WHERE c.kind = 'matter' AND c.ref_id = m.id) ORDER BY m.id")


def add_matter(store: Store, shift_id: int | None, text: str, at: str, by: int) -> int:
    row_id = store.insert("matters", {"shift_id": shift_id, "text": text, "created_at": at, "staff_id": by})
    audit.append(store, "matter.add", by, "matters", row_id)
    return row_id


def close_matter(store: Store, kind: str, ref_id: int, at: str, by: int, shift_id: int | None, note: str) -> int | None:
    if store.read_one("SELECT id FROM closures WHERE kind = ? AND ref_id = ?", (kind, ref_id)):
        return None
    row_id = store.insert("closures", {"kind": kind, "ref_id": ref_id, "closed_at": at, "staff_id": by,
                                       "shift_id": shift_id, "note": note})
    audit.append(store, "matter.close", by, "closures", row_id)
    if kind == "exit":   # the holder is back (another road): no longer out, as a return scan would do
        store.execute("DELETE FROM open_exits WHERE crossing_id = ?", (ref_id,))
    return row_id


def insert_handover(store: Store, row: dict, by: int) -> int:
    row_id = store.insert("handovers", row)
    audit.append(store, "shift.handover", by, "handovers", row_id)
    return row_id


def handover_for(store: Store, shift_id: int) -> dict | None:
    return store.read_one("SELECT * FROM handovers WHERE shift_id = ?", (shift_id,))


def last_handover(store: Store) -> dict | None:
    return store.read_one("SELECT * FROM handovers ORDER BY id DESC LIMIT 1")


def started_on(store: Store, day: str) -> list[dict]:
    """The shifts that started on `day` (local), oldest first, each with whether it ended by 收班
    (a handover record with nobody incoming)."""
    return store.read(
        "SELECT s.*, (h.id IS NOT NULL AND h.incoming_id IS NULL) AS closed_by_close FROM shifts s "
        "LEFT JOIN handovers h ON h.shift_id = s.id WHERE s.local_day = ? ORDER BY s.id", (day,))


def last_close(store: Store) -> dict | None:
    """The newest record of a shift closed by 收班, with who signed it."""
    return store.read_one("SELECT h.*, s.name AS outgoing_name FROM handovers h LEFT JOIN staff s "
                          "ON s.id = h.outgoing_id WHERE h.incoming_id IS NULL ORDER BY h.id DESC LIMIT 1")
