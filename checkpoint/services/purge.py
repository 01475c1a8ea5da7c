"""Retention (PIPL: personal data no longer than needed): `purge` empties names, ID numbers, phones
and addresses of entries before a date, and the holders of passes that ran out before it. Counts,
dispositions, temperatures and the audit chain stay; the purge itself is audited.

Emptied means gone from the file's bytes too: what SQLite frees meanwhile is zeroed (secure_delete),
then the file is rebuilt (VACUUM: no freed page or stale fragment of an older row is left) and the
WAL folded in and emptied. When another connection still reads older pages the WAL cannot be
emptied yet: the purge says so, and the next open or close of the database finishes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from checkpoint.errors import InputError
from checkpoint.domain import clock
from checkpoint.services.accounts import Account, require
from checkpoint.services.review.search_index import index_some, unindexed
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import purge as purge_store
from checkpoint.store import review as review_store

BATCH = 2000


@dataclass(frozen=True)
class Plan:
    before: str
    entries: int
    passes: int
    # an earlier purge's erasing is not finished (interrupted, or the WAL still held by a reader)
    erase_owed: bool = False
    # after a purge: False when another connection kept old pages alive (finished on its close)
    erased: bool = True


def _check_date(store: Store, before: str, now: dt.datetime | None) -> str:
    day = clock.parse_day(before)
    station = require_station(store)
    today = clock.local(now or clock.utc_now(), station.tz).date()
    if day > today:
        raise InputError("purge.future", field="before", day=day.isoformat())
    return day.isoformat()


def plan(store: Store, before: str, now: dt.datetime | None = None, by: Account | None = None) -> Plan:
    """What a purge before `before` would empty (checked against `by`'s role when given).
    Raises RefusedError when `by` may not purge, InputError for a bad date or one too recent."""
    if by is not None:
        require(by, "data.purge")
    day = _check_date(store, before, now)
    return Plan(day, purge_store.entries_to_purge(store, day), purge_store.passes_to_purge(store, day),
                purge_store.erase_pending(store) is not None)


def purge(store: Store, by: Account, before: str, progress: Callable[[str, int, int], None] | None = None,
          now: dt.datetime | None = None) -> Plan:
    """Empty the personal fields of everything before `before` (a date; that day itself is kept)
    and erase them from the file's bytes; returns what was emptied and whether the erasing is done
    (`erased` False: another connection keeps old pages, finished when it closes).

    Raises RefusedError unless `by` is an admin, InputError for a bad or future date, DatabaseError
    when the file cannot be written."""
    require(by, "data.purge")
    todo = plan(store, before, now)
    if not (todo.entries or todo.passes or todo.erase_owed):
        return todo
    purge_store.mark_erase_pending(store)
    with purge_store.secure_delete(store):
        done = 0
        while True:
            n = purge_store.purge_entry_batch(store, todo.before, by.id, BATCH)
            if not n:
                break
            done += n
            if progress:
                progress("entries", done, todo.entries)
        passes = purge_store.purge_passes(store, todo.before, by.id)
        if done:
            # The search index held the emptied names and numbers: it is built again from what is left.
            with store.write():
                review_store.reindex_all(store)
            total = unindexed(store)
            left = total
            while left:
                left = index_some(store, 5000)
                if progress:
                    progress("index", total - left, total)
        if done or passes:
            purge_store.record_purge(store, todo.before, by.id, done, passes)
        if progress:
            progress("erase", 0, 1)
        purge_store.compact(store)
        # a reader of this program finishes in milliseconds: one still reading after 2 s holds on
        erased = purge_store.finish_erase(store, wait_ms=2000)
        if progress:
            progress("erase", 1, 1)
    return Plan(todo.before, done, passes, False, erased)
