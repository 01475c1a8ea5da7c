"""The review's queries: a page of the log for a scope and filters, its counts and chart, one
entry's whole story, and the writes a leader makes (amendments, flags, the day's sign-off).

Paging is by position: the review asks for rows [offset, offset + n) of the newest-first list.
Far into a long list, the same position is read from the other end (oldest first), so no query
walks more than half of the scope; with no filter the walk is over the (local_day, id) index only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from checkpoint.store import audit
from checkpoint.database.file import now_utc
from checkpoint.store.connection import Store
from checkpoint.store.definitions import AMENDABLE
from checkpoint.store.review_search import MATCHED_IDS, SEARCH_CAP, amended_params, newest_matches, scope_bounds


@dataclass(frozen=True)
class LogQuery:
    """Which entries: a day range or one shift, filters, and an FTS match expression."""

    day_from: str = ""
    day_to: str = ""
    shift_id: int | None = None
    match: str | None = None
    direction: str = ""
    disposition: str = ""
    fever: bool = False
    staff_id: int | None = None
    key_area: bool = False
    vehicle_flags: bool = False
    amended: bool = False
    flagged: bool = False
    extra: tuple = field(default=())

    @property
    def plain(self) -> bool:
        """Scope only: no filter and no search (the fast index-only path)."""
        return not (self.match or self.direction or self.disposition or self.fever or self.staff_id
                    or self.key_area or self.vehicle_flags or self.amended or self.flagged)


_FLAGGED = ("e.id IN (SELECT f.entry_id FROM flags f WHERE f.action = 'raise' AND f.id = "
            "(SELECT max(g.id) FROM flags g WHERE g.entry_id = f.entry_id))")


def _where(store: Store, q: LogQuery, with_match: bool = True) -> tuple[str, list]:
    clauses: list[str] = []
    params: list = []
    if q.shift_id is not None:
        clauses.append("e.shift_id = ?")
        params.append(q.shift_id)
    else:
        clauses.append("e.local_day BETWEEN ? AND ?")
        params += [q.day_from, q.day_to]
    if q.match and with_match:
        lo, hi = scope_bounds(store, q)
        # the newest matches inside the scope's id range, and what amendments' words lead to
        clauses.append(f"e.id IN ({MATCHED_IDS})")
        params += [q.match, lo, hi, SEARCH_CAP, *amended_params(q.match)]
    for column in ("direction", "disposition"):
        value = getattr(q, column)
        if value:
            clauses.append(f"e.{column} = ?")
            params.append(value)
    if q.fever:
        clauses.append("e.fever = 1")
    if q.staff_id is not None:
        clauses.append("e.staff_id = ?")
        params.append(q.staff_id)
    if q.key_area:
        clauses.append("e.key_area_travel = 1")
    if q.vehicle_flags:
        # as corrected: flagged originals not corrected since, and vehicles whose newest correction
        # flags them (the scan of all vehicles stays as cheap as before the corrections existed)
        clauses.append("e.vehicle_id IN (SELECT v.id FROM vehicles v WHERE (v.live_poultry = 1 OR "
                       "v.illegal_passengers = 1) AND NOT EXISTS (SELECT 1 FROM vehicle_amendments x "
                       "WHERE x.vehicle_id = v.id) UNION SELECT a.vehicle_id FROM vehicle_amendments a WHERE "
                       "a.id IN (SELECT max(id) FROM vehicle_amendments GROUP BY vehicle_id) AND "
                       "(a.live_poultry = 1 OR a.illegal_passengers = 1))")
    if q.amended:
        clauses.append("e.amended")
    if q.flagged:
        clauses.append(_FLAGGED)
    return " AND ".join(clauses), params


def count(store: Store, q: LogQuery) -> int:
    if q.plain:
        if q.shift_id is not None:
            row = store.read_one("SELECT count(*) AS n FROM entries WHERE shift_id = ?", (q.shift_id,))
        else:
            row = store.read_one("SELECT count(*) AS n FROM entries WHERE local_day BETWEEN ? AND ?",
                                 (q.day_from, q.day_to))
        return int(row["n"]) if row else 0
    where, params = _where(store, q)
    row = store.read_one(f"SELECT count(*) AS n FROM entries_now e WHERE {where}", params)
    return int(row["n"]) if row else 0


def page_ids(store: Store, q: LogQuery, offset: int, limit: int, total: int) -> list[int]:
    """Ids of rows [offset, offset+limit) of the newest-first list of `total` rows."""
    if limit <= 0 or offset >= total:
        return []
    limit = min(limit, total - offset)
    from_end = offset > total // 2
    order = "ASC" if from_end else "DESC"
    skip = total - offset - limit if from_end else offset
    if q.plain and q.shift_id is None:
        sql = (f"SELECT id FROM entries e WHERE local_day BETWEEN ? AND ? "
               f"ORDER BY local_day {order}, id {order} LIMIT ? OFFSET ?")
        params: list = [q.day_from, q.day_to]
    elif q.plain:
        sql = f"SELECT id FROM entries e WHERE shift_id = ? ORDER BY id {order} LIMIT ? OFFSET ?"
        params = [q.shift_id]
    elif q.match and not from_end:
        rest, params = _where(store, q, with_match=False)
        return newest_matches(store, q.match, scope_bounds(store, q), rest, params, offset + limit)[offset:]
    else:
        where, params = _where(store, q)
        sql = f"SELECT e.id FROM entries_now e WHERE {where} ORDER BY e.id {order} LIMIT ? OFFSET ?"
    ids = [r["id"] for r in store.read(sql, params + [limit, skip])]
    return ids[::-1] if from_end else ids


LINE_COLUMNS = ("e.id, e.recorded_at, e.local_day, e.name, e.doc_type, e.doc_no, e.phone, e.origin, e.temp, "
                "e.recheck_temp, e.temp_method, e.fever, e.direction, e.disposition, e.key_area_travel, "
                "e.address, e.staff_id, e.vehicle_id, e.amended, e.amended_after_signoff, v.plate, "
                "s.name AS staff_name")


def lines(store: Store, ids: list[int]) -> list[dict]:
    """The rows for these ids, in the order given, with whether each is flagged now."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.read(f"SELECT {LINE_COLUMNS} FROM entries_now e LEFT JOIN vehicles_now v ON v.id = e.vehicle_id "
                      f"LEFT JOIN staff s ON s.id = e.staff_id WHERE e.id IN ({marks})", ids)
    flagged = {r["entry_id"] for r in store.read(
        f"SELECT f.entry_id FROM flags f WHERE f.entry_id IN ({marks}) AND f.action = 'raise' AND f.id = "
        f"(SELECT max(g.id) FROM flags g WHERE g.entry_id = f.entry_id)", ids)}
    by_id = {r["id"]: {**r, "flagged": r["id"] in flagged} for r in rows}
    return [by_id[i] for i in ids if i in by_id]


_SUMS = {"persons_in": "direction = 'in'", "persons_out": "direction = 'out'", "fevers": "fever",
         "turned_back": "disposition = 'turn-back'", "held_or_referred": "disposition IN ('hold', 'refer')",
         "isolated": "disposition IN ('home-isolation', 'central-isolation')", "key_area": "key_area_travel",
         "amended": "amended"}


def stats(store: Store, q: LogQuery, by_hour: bool, utc_offset_hours: float) -> tuple[dict, list[dict]]:
    """Counts for the selection (`persons` is how many), and per-bucket totals (hour of the local
    day, or day)."""
    where, params = _where(store, q)
    if by_hour:
        bucket = f"CAST(strftime('%H', e.recorded_at, '{float(utc_offset_hours):+.2f} hours') AS INTEGER)"
    else:
        bucket = "e.local_day"
    sums = ", ".join(f"coalesce(sum({expr}), 0) AS {name}" for name, expr in _SUMS.items())
    buckets = store.read(f"SELECT {bucket} AS bucket, count(*) AS n, {sums} FROM entries_now e WHERE {where} "
                         f"GROUP BY bucket ORDER BY bucket", params)
    # the totals are the buckets' sums: the selection is read once, not once for each
    totals = {"persons": sum(b["n"] for b in buckets), **{name: sum(b[name] for b in buckets) for name in _SUMS}}
    return totals, buckets


# ---- one entry ---------------------------------------------------------------------------------
def entry_now(store: Store, entry_id: int) -> dict | None:
    return store.read_one("SELECT * FROM entries_now WHERE id = ?", (entry_id,))


def original(store: Store, entry_id: int) -> dict | None:
    return store.read_one("SELECT * FROM entries WHERE id = ?", (entry_id,))


def amendments(store: Store, entry_id: int) -> list[dict]:
    return store.read("SELECT a.*, s.name AS staff_name FROM amendments a LEFT JOIN staff s ON s.id = a.staff_id "
                      "WHERE a.entry_id = ? ORDER BY a.id", (entry_id,))


def flags(store: Store, entry_id: int) -> list[dict]:
    return store.read("SELECT f.*, s.name AS staff_name FROM flags f LEFT JOIN staff s ON s.id = f.staff_id "
                      "WHERE f.entry_id = ? ORDER BY f.id", (entry_id,))


def audit_rows(store: Store, targets: list[tuple[str, int]]) -> list[dict]:
    rows: list[dict] = []
    for table, target_id in targets:
        rows += store.read("SELECT a.id, a.at, a.action, a.detail, s.name AS staff_name FROM audit a "
                           "LEFT JOIN staff s ON s.id = a.staff_id WHERE a.target_table = ? AND a.target_id = ?",
                           (table, target_id))
    return sorted(rows, key=lambda r: r["id"])


def insert_amendment(store: Store, entry_id: int, changes: dict, current: dict, reason: str, staff_id: int,
                     after_signoff: bool, search_terms: str) -> int:
    """Record an amendment and make its values the entry's current ones; call inside write()."""
    at = now_utc()
    row = {"entry_id": entry_id, "at": at, "staff_id": staff_id, "changes": audit.canonical(changes),
           "reason": reason}
    amendment_id = store.insert("amendments", row)
    audit.append(store, "entry.amend", staff_id, "amendments", amendment_id, row={"id": amendment_id, **row},
                 detail={"entry": entry_id, "fields": sorted(changes), "after_signoff": after_signoff})
    values = {c: current[c] for c in AMENDABLE}
    was_after = store.read_one("SELECT after_signoff FROM entry_current WHERE entry_id = ?", (entry_id,))
    after = int(after_signoff or bool(was_after and was_after["after_signoff"]))
    cols = ["entry_id", *AMENDABLE, "amended_at", "after_signoff"]
    store.execute(f"INSERT OR REPLACE INTO entry_current ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                  [entry_id, *values.values(), at, after])
    if search_terms:
        store.execute("INSERT INTO entry_search (rowid, terms) VALUES (?, ?)", (-amendment_id, search_terms))
    return amendment_id


def insert_flag(store: Store, entry_id: int, action: str, note: str, staff_id: int) -> int:
    row = {"entry_id": entry_id, "action": action, "note": note, "at": now_utc(), "staff_id": staff_id}
    flag_id = store.insert("flags", row)
    audit.append(store, f"entry.flag_{action}", staff_id, "flags", flag_id, row={"id": flag_id, **row})
    return flag_id


def is_flagged(store: Store, entry_id: int) -> bool:
    row = store.read_one("SELECT action FROM flags WHERE entry_id = ? ORDER BY id DESC LIMIT 1", (entry_id,))
    return bool(row and row["action"] == "raise")


# ---- the day's sign-off ------------------------------------------------------------------------
def signoff(store: Store, day: str) -> dict | None:
    return store.read_one("SELECT g.*, s.name AS staff_name FROM signoffs g LEFT JOIN staff s ON s.id = g.staff_id "
                          "WHERE g.local_day = ?", (day,))


def insert_signoff(store: Store, day: str, staff_id: int, counts: dict) -> int:
    row = {"local_day": day, "staff_id": staff_id, "signed_at": now_utc(), "counts": json.dumps(counts)}
    signoff_id = store.insert("signoffs", row)
    audit.append(store, "day.signoff", staff_id, "signoffs", signoff_id, row={"id": signoff_id, **row})
    return signoff_id


def shift_ids(store: Store, day_from: str, day_to: str) -> list[int]:
    return [r["id"] for r in store.read("SELECT id FROM shifts WHERE local_day BETWEEN ? AND ? ORDER BY id",
                                        (day_from, day_to))]


def has_entries(store: Store, day: str) -> bool:
    return store.read_one("SELECT 1 AS x FROM entries WHERE local_day = ? LIMIT 1", (day,)) is not None


# ---- the search index --------------------------------------------------------------------------
def unindexed_below(store: Store) -> int:
    row = store.read_one("SELECT below FROM search_pending WHERE id = 1")
    return int(row["below"]) if row else 0


def unindexed_batch(store: Store, below: int, limit: int) -> list[dict]:
    """Entries not in the search index yet (saved before it existed, or after a purge emptied it),
    newest first (the likeliest to be searched), with their corrected values when amended."""
    return store.read("SELECT e.id, e.name, e.doc_no, e.phone, v.plate, c.name AS now_name, "
                      "c.doc_no AS now_doc_no, c.phone AS now_phone FROM entries e "
                      "LEFT JOIN vehicles v ON v.id = e.vehicle_id LEFT JOIN entry_current c ON c.entry_id = e.id "
                      "WHERE e.id < ? ORDER BY e.id DESC LIMIT ?", (below, limit))


def reindex_all(store: Store) -> None:
    """Empty the search index and mark every entry as still to index (after a purge); call inside
    write()."""
    store.execute("INSERT INTO entry_search (entry_search) VALUES ('delete-all')")
    store.execute("UPDATE search_pending SET below = (SELECT coalesce(max(id), 0) + 1 FROM entries) WHERE id = 1")


def index_batch(store: Store, rows: list[tuple[int, str]], below: int) -> None:
    with store.write():
        store.conn.executemany("INSERT INTO entry_search (rowid, terms) VALUES (?, ?)",
                               [r for r in rows if r[1]])
        store.execute("UPDATE search_pending SET below = ? WHERE id = 1", (below,))
