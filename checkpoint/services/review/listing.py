"""The review's list: which entries (a day range or a shift, filters, a search), a page of them as
lines, how many, and the figures and chart over them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from checkpoint.domain import clock, search
from checkpoint.domain.date_range import ALL_FROM   # the whole log starts there
from checkpoint.i18n import t
from checkpoint.services.accounts import Account
from checkpoint.services.entry_line import Line, line
from checkpoint.services.review.access import require_review
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import review as review_store
from checkpoint.store.review import SEARCH_CAP, LogQuery


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to, besides the day range and the search."""

    direction: str = ""
    disposition: str = ""
    fever: bool = False
    staff_id: int | None = None
    key_area: bool = False
    vehicle_flags: bool = False
    amended: bool = False
    flagged: bool = False

    def active(self) -> list[str]:
        """Labels of the filters that are on, for the top line."""
        out = []
        if self.direction:
            out.append(t(f"direction.{self.direction}"))
        if self.disposition:
            out.append(t(f"disposition.{self.disposition}"))
        for name in ("fever", "key_area", "vehicle_flags", "amended", "flagged"):
            if getattr(self, name):
                out.append(t(f"review.filter_{name}"))
        if self.staff_id is not None:
            out.append(t("review.filter_staff"))
        return out


@dataclass(frozen=True)
class Scope:
    """A day range (one day when both ends are equal) or one shift."""

    day_from: str
    day_to: str
    shift_id: int | None = None

    @property
    def one_day(self) -> bool:
        return self.shift_id is not None or self.day_from == self.day_to

    def label(self) -> str:
        """The scope in words for the top line: the shift, 全部, one day or a range."""
        if self.shift_id is not None:
            return t("review.scope_shift", id=self.shift_id)
        if self.day_from == ALL_FROM:
            return t("review.all")
        if self.day_from == self.day_to:
            return self.day_from
        return f"{self.day_from} ~ {self.day_to}"


@dataclass(frozen=True)
class Stats:
    """The figures over the listed entries, and the chart's bars (by hour for one day, else by day)."""

    counts: dict
    buckets: list[tuple[str, int, int, int]]   # (label, entries, fevers, turned back)
    by_hour: bool


def query(scope: Scope, filters: Filters = Filters(), text: str = "") -> LogQuery:
    """The store's query for a scope, filters and search text (the text's searchable words only)."""
    return LogQuery(day_from=scope.day_from, day_to=scope.day_to, shift_id=scope.shift_id,
                    match=search.match_expression(text), **dataclasses.asdict(filters))


def searched_nothing(text: str) -> bool:
    """Typed something, but nothing of it can be searched (only punctuation, emoji ...)."""
    return bool(text.strip()) and search.match_expression(text) is None


def count(store: Store, q: LogQuery, text: str = "") -> int:
    """How many entries `q` finds; 0 when `text` holds nothing searchable."""
    if searched_nothing(text):
        return 0
    return review_store.count(store, q)


@dataclass(frozen=True)
class Head:
    """The top of the list: its first lines, and whether they are all of it."""

    lines: list[Line]
    complete: bool

    @property
    def total(self) -> int | None:
        """How many entries the query finds, when the head holds them all; None when a count is
        still needed (`count`)."""
        return len(self.lines) if self.complete else None


def head(store: Store, q: LogQuery, limit: int, text: str = "") -> Head:
    """The first `limit` lines of what `q` finds (newest first, as `page` reads them), without
    counting the rest: what a keystroke in the search box needs before the list can be shown; the
    count (`count`) may come after. Nothing when `text` holds nothing searchable. Raises
    DatabaseError when the station is not set up."""
    if searched_nothing(text):
        return Head([], True)
    tz = require_station(store).tz
    ids = review_store.page_ids(store, q, 0, limit + 1, limit + 1)   # one more: is there a rest?
    return Head([line(r, tz) for r in review_store.lines(store, ids[:limit])], len(ids) <= limit)


def count_aside(store: Store, q: LogQuery, text: str = "") -> int:
    """`count` on a connection of its own, for a thread: a search over a year counts up to
    SEARCH_CAP matches, which may take longer than a keystroke should."""
    with store.reader() as reader:
        return count(reader, q, text)


def capped(q: LogQuery, total: int) -> bool:
    """A search matched more than the index hands back at once: ask for a narrower range."""
    return bool(q.match) and total >= SEARCH_CAP


def page(store: Store, q: LogQuery, offset: int, limit: int, total: int) -> list[Line]:
    """`limit` lines of what `q` finds from position `offset` (newest first), `total` being
    `count`'s answer. Raises DatabaseError when the station is not set up."""
    tz = require_station(store).tz
    ids = review_store.page_ids(store, q, offset, limit, total)
    return [line(r, tz) for r in review_store.lines(store, ids)]


def stats(store: Store, q: LogQuery, scope: Scope, text: str = "") -> Stats:
    """The figures over what `q` finds (`persons` is `count`'s answer), with the chart's bars: 24
    hours (station time) for one day or a shift, else one bar a day; all nought when `text` holds
    nothing searchable. Raises DatabaseError when the station is not set up."""
    station = require_station(store)
    day = scope.day_from if scope.shift_id is None else clock.utc_now().date().isoformat()
    try:
        noon = dt.datetime.fromisoformat(day + "T12:00").replace(tzinfo=clock.zone(station.tz))
        offset = noon.utcoffset().total_seconds() / 3600
    except ValueError:
        offset = 8.0
    # nothing searchable finds nothing (`query` leaves such a search out, which would count all)
    totals, rows = ({}, []) if searched_nothing(text) else review_store.stats(store, q, scope.one_day, offset)
    if scope.one_day:
        by = {int(r["bucket"]): r for r in rows if r["bucket"] is not None}
        buckets = [(f"{h:02d}", int(by[h]["n"]) if h in by else 0, int(by[h]["fevers"]) if h in by else 0,
                    int(by[h]["turned_back"]) if h in by else 0) for h in range(24)]
    else:
        buckets = [(r["bucket"], int(r["n"]), int(r["fevers"]), int(r["turned_back"])) for r in rows]
    return Stats({"persons": 0, **{k: int(v or 0) for k, v in totals.items()}}, buckets, scope.one_day)


def stats_aside(store: Store, q: LogQuery, scope: Scope, text: str = "") -> Stats:
    """`stats` on a connection of its own: a year's counts take a moment, and a thread may compute
    them while the screen keeps answering keys."""
    with store.reader() as reader:
        return stats(reader, q, scope, text)


def shift_ids_of(store: Store, day_from: str, day_to: str) -> list[int]:
    """The ids of the shifts started from `day_from` to `day_to` (YYYY-MM-DD), oldest first."""
    return review_store.shift_ids(store, day_from, day_to)


def search_lines(store: Store, account: Account, text: str, day_from: str, day_to: str,
                 limit: int = 200) -> tuple[list[Line], int]:
    """The command line's search: (the first `limit` lines matching `text` from `day_from` to
    `day_to`, how many match in all); nothing when `text` holds nothing searchable. Raises
    RefusedError when `account` may not review."""
    require_review(store, account)
    scope = Scope(day_from, day_to)
    q = query(scope, Filters(), text)
    if q.match is None:
        return [], 0
    total = count(store, q, text)
    return page(store, q, 0, limit, total), total
