"""The review at a year's data: one search keystroke (what the screen does before the list is
shown: build the query, read the list's first page; for one day also the count and the figures),
the count arriving a moment later (over more than a day the screen counts in a thread, after the
list), scrolling to any place in a year, and the counts and chart of the whole year (in a thread).

`python -m bench.review PATH` on a demo database (`checkpoint demo --generate 1000000 --days 365`).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from bench.stats import print_table, row, summary, timings
from checkpoint.domain import search
from checkpoint.services import ledger, review
from checkpoint.services.review import ALL_FROM, ALL_TO, Filters, Scope
from checkpoint.store import open_store
from checkpoint.store.review_search import SEARCH_CAP
from checkpoint.widgets.paged_table import PAGE

SCREENFUL = 30
# What a leader types, key by key: initials, full pinyin, a surname, the last digits of an ID or a
# phone, a plate with its dot.
TYPED = ["z", "zs", "zh", "zha", "zhan", "zhang", "zhangs", "张", "张伟", "3", "30", "301", "3015", "5678",
         "鄂", "鄂Q", "鄂Q·", "鄂Q·7", "鄂Q·73", "wj", "lxy", "1", "13", "138"]


def keystroke(store, text: str, scope: Scope):
    """What screens/review_list.py `reload` does before the list is shown: the query and the list's
    first page (the table's page of PAGE lines); for one day also the figures and chart (the count
    among them). Returns the query and that page."""
    q = review.query(scope, Filters(), text)
    head = review.head(store, q, PAGE, text)
    if scope.one_day:
        review.stats(store, q, scope, text)
    return q, head


def counted(store, text: str, scope: Scope) -> int:
    """The keystroke, then the count the screen's thread makes when the first page is not all of
    the list (on a connection of its own, as there): until "共N条" can be shown."""
    q, head = keystroke(store, text, scope)
    return head.total if head.total is not None else review.count_aside(store, q, text)


def search_figures(path: Path) -> list[dict]:
    store = open_store(path, create=False)
    try:
        year = Scope(ALL_FROM, ALL_TO)
        texts = TYPED * 4
        typed = summary(timings(lambda i: keystroke(store, texts[i % len(texts)], year), len(texts)))
        # Baseline: the bare index lookup of the same prefixes, as many rowids as the first page.
        bare_sql = ("SELECT rowid FROM entry_search WHERE entry_search MATCH ? ORDER BY rowid DESC LIMIT ?")
        exprs = [search.match_expression(t) for t in texts]
        bare = summary(timings(lambda i: store.conn.execute(bare_sql, (exprs[i % len(exprs)], PAGE)).fetchall(),
                               len(texts)))
        # Same-schema baseline: the very statements one keystroke runs (the first page's, the FTS
        # match inside), recorded with their values and replayed straight in SQL: what the
        # service's Python (query building, masking, lines) adds over its own queries.
        recorded: list[list[str]] = []
        for text in TYPED:
            statements: list[str] = []
            store.conn.set_trace_callback(statements.append)
            try:
                keystroke(store, text, year)
            finally:
                store.conn.set_trace_callback(None)
            recorded.append([sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))])
        straight = summary(timings(lambda i: [store.conn.execute(sql).fetchall() for sql in recorded[i % len(recorded)]],
                                   len(texts)))
        # The count arriving; baseline: the bare index's count of the same prefix, up to the cap.
        arrived = summary(timings(lambda i: counted(store, texts[i % len(texts)], year), len(texts)))
        bare_count_sql = ("SELECT count(*) FROM (SELECT rowid FROM entry_search WHERE entry_search MATCH ? "
                          "ORDER BY rowid DESC LIMIT ?)")
        bare_count = summary(timings(lambda i: store.conn.execute(
            bare_count_sql, (exprs[i % len(exprs)], SEARCH_CAP)).fetchall(), len(texts)))
        day = ledger.today(store)
        today = Scope(day, day)
        day_search = summary(timings(lambda i: keystroke(store, texts[i % len(texts)], today), len(texts)))

        q = review.query(year)
        total = review.count(store, q)
        rng = random.Random(5)
        offsets = [0, total - SCREENFUL, total // 2] + [rng.randrange(total) for _ in range(60)]
        scroll = summary(timings(lambda i: review.page(store, q, offsets[i % len(offsets)], 100, total), len(offsets)))
        ids = [line.id for line in review.page(store, q, 0, 100, total)]
        bare_rows = summary(timings(lambda i: store.read(
            f"SELECT * FROM entries WHERE id IN ({','.join('?' * len(ids))})", ids), 60))
        end = summary(timings(lambda i: review.page(store, q, total - SCREENFUL, SCREENFUL, total), 20))
        whole = summary(timings(lambda i: review.stats(store, q, year), 3, warmup=1))
        one_day = summary(timings(lambda i: review.stats(store, review.query(today), today), 20))
        count_all = summary(timings(lambda i: store.read("SELECT count(*) FROM entries"), 3, warmup=1))
    finally:
        store.close()
    ms50 = ("p99_ms", 50)
    return [
        row(f"search keystroke, all dates ({total:,} entries)", typed, bare, "p99 <= 50 ms", BARE_FTS, limit=ms50),
        row("  the same keystroke, over its own SQL replayed", typed, straight, "reported: what the service adds",
            SAME_QUERIES),
        row("  the same keystroke until its count is shown (counted after the list)", arrived, bare_count,
            "reported: the top line says 正在统计… until then", BARE_COUNT),
        row("search keystroke, one day (list, count and figures at once)", day_search, bare, "p99 <= 50 ms",
            BARE_FTS, limit=ms50),
        row("scroll: 100 rows at any place in the year", scroll, bare_rows, "instant (p99 <= 50 ms)", BARE_ROWS,
            limit=ms50),
        row("scroll: End (the first day of the year)", end, bare_rows, "instant (p99 <= 50 ms)", BARE_ROWS,
            limit=ms50),
        row("counts + chart, one day", one_day, None, "instant"),
        row("counts + chart, the whole year (in a thread)", whole, count_all, "seconds, screen never waits",
            "SELECT count(*) FROM entries"),
    ]


BARE_FTS = f"the bare FTS5 lookup of the same prefix: first {PAGE} rowids (the list's first page), newest first"
SAME_QUERIES = ("the same keystroke's own SELECTs (the list's first page, FTS match inside), recorded with "
                "their values and run straight through sqlite3")
BARE_COUNT = (f"the bare FTS5 count of the same prefix: up to {SEARCH_CAP:,} rowids, no entry read "
              "(the count also checks each against the dates)")
BARE_ROWS = "SELECT * of 100 entries by id"


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/data/year.db")
    print_table(search_figures(path))


if __name__ == "__main__":
    main()
