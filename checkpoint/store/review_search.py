"""A search's share of the review's list: the index matches and amendments a search stands for,
and the newest of them read a batch at a time, so the top of a year's list does not wait for all
its matches to be looked at."""

from __future__ import annotations

from checkpoint.domain.date_range import ALL_FROM, ALL_TO
from checkpoint.store.connection import Store
from checkpoint.store.vehicles import VEHICLE_TERMS

SEARCH_CAP = 5000   # matches taken from the index per query; more asks for a narrower scope
_BATCH = 1000       # ids bound to one statement (well under SQLite's limit on variables)

# The newest matches in an id range (parameters: the match, low id, high id, how many).
INDEXED_MATCH = ("SELECT rowid FROM entry_search WHERE entry_search MATCH ? AND rowid BETWEEN ? AND ?"
                 " ORDER BY rowid DESC LIMIT ?")
# The entries an amendment's words lead to: an amendment's are indexed under its negative id and
# lead to the entry it corrects; a vehicle's corrected plate (store.vehicles) to the persons in it.
# Parameters: amended_params.
AMENDED_IDS = ("SELECT a.entry_id FROM amendments a WHERE"
               " -a.id IN (SELECT rowid FROM entry_search WHERE entry_search MATCH ? AND rowid < 0)"
               " UNION SELECT x.id FROM entries x WHERE x.vehicle_id IN (SELECT va.vehicle_id FROM"
               " vehicle_amendments va WHERE -(va.id + ?) IN (SELECT rowid FROM entry_search WHERE"
               " entry_search MATCH ? AND rowid < ?))")
# Every entry id a search stands for, for `e.id IN (...)`: one list SQLite builds once and then
# reads in id order (a third faster for a year's count than an OR of the three, which it walks
# separately). Parameters: the match, low id, high id, SEARCH_CAP, then amended_params.
MATCHED_IDS = f"SELECT rowid FROM ({INDEXED_MATCH}) UNION {AMENDED_IDS}"


def amended_params(match: str) -> list:
    return [match, VEHICLE_TERMS, match, -VEHICLE_TERMS]


def newest_matches(store: Store, match: str, bounds: tuple[int, int], where: str, params: list,
                   want: int) -> list[int]:
    """The first `want` ids, newest first, of the entries (`e`, entries_now) a search selects: the
    newest SEARCH_CAP index matches with ids within `bounds`, and what an amendment's words lead
    to, each kept when `where` (the scope and filters, with `params`) holds — the rows and order of
    store.review's statement for the same query, without reading every match.

    That statement gathers all of the up to SEARCH_CAP matches (and, before, looked up every matched
    entry) ahead of its ORDER BY and LIMIT: most of a keystroke over a year. Here the index hands
    its matches over newest first, a growing batch at a time, each batch checked against `where`,
    until `want` are kept or the matches (or the cap) run out; the amendments' few are
    checked whole and merged in."""
    lo, hi = bounds
    amended = [r["id"] for r in store.read(f"SELECT e.id FROM entries_now e WHERE e.id IN ({AMENDED_IDS}) AND {where}",
                                           amended_params(match) + params)]
    kept: list[int] = []
    taken, batch, top = 0, min(max(want, 32), _BATCH), hi
    while len(kept) < want and taken < SEARCH_CAP and top >= lo:
        size = min(batch, SEARCH_CAP - taken)
        rowids = [r[0] for r in store.conn.execute(INDEXED_MATCH, (match, lo, top, size))]
        taken += len(rowids)
        if rowids:
            marks = ",".join("?" * len(rowids))
            kept += [r["id"] for r in store.read(f"SELECT e.id FROM entries_now e WHERE e.id IN ({marks}) "
                                                 f"AND {where} ORDER BY e.id DESC", rowids + params)]
        if len(rowids) < size:
            break
        top, batch = rowids[-1] - 1, min(batch * 2, _BATCH)
    # `kept` is the newest `want` of the index's share (or all of it); with every amended one
    # merged in, the newest `want` of the whole list are among them
    return sorted(set(kept).union(amended), reverse=True)[:want]


# The smallest and largest id of any day in a range of days, found day by day through the
# (local_day, id) index: a few seeks a day, not a scan of the range (a year: about 2 ms against 190).
# Ids follow the days only while the clock was right: a laptop whose wrong date was put back saved
# later ids under earlier days, and bounds read from the range's first and last day alone then left
# such entries out of every search over the range.
_DAY_BOUNDS = """
WITH RECURSIVE days(d) AS (
    SELECT (SELECT min(local_day) FROM entries WHERE local_day >= :first)
    UNION ALL
    SELECT (SELECT min(local_day) FROM entries WHERE local_day > d) FROM days WHERE d IS NOT NULL AND d < :last
)
SELECT min((SELECT min(id) FROM entries WHERE local_day = d)) AS lo,
       max((SELECT max(id) FROM entries WHERE local_day = d)) AS hi
FROM days WHERE d IS NOT NULL AND d <= :last"""


def scope_bounds(store: Store, q) -> tuple[int, int]:
    """The id range of a review query's scope (store.review.LogQuery): from the smallest to the
    largest id of the entries in it; (0, -1) when it holds none."""
    if q.shift_id is not None:
        row = store.read_one("SELECT min(id) AS lo, max(id) AS hi FROM entries WHERE shift_id = ?", (q.shift_id,))
    elif q.day_from <= ALL_FROM and q.day_to >= ALL_TO:   # the whole log: every id
        row = store.read_one("SELECT min(id) AS lo, max(id) AS hi FROM entries")
    else:
        row = store.read_one(_DAY_BOUNDS, {"first": q.day_from, "last": q.day_to})
    if not row or row["lo"] is None or row["hi"] is None:
        return (0, -1)
    return int(row["lo"]), int(row["hi"])
