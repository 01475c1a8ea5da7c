"""The review at a year's data: one search keystroke (the screen's synchronous work: build the
query, count the matches, read the first screenful), scrolling to any place in a year, and the
counts and chart of the whole year (computed in a thread by the screen).

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

SCREENFUL = 30
# What a leader types, key by key: initials, full pinyin, a surname, the last digits of an ID or a
# phone, a plate with its dot.
TYPED = ["z", "zs", "zh", "zha", "zhan", "zhang", "zhangs", "张", "张伟", "3", "30", "301", "3015", "5678",
         "鄂", "鄂Q", "鄂Q·", "鄂Q·7", "鄂Q·73", "wj", "lxy", "1", "13", "138"]


def keystroke(store, text: str, scope: Scope) -> int:
    q = review.query(scope, Filters(), text)
    total = review.count(store, q, text)
    review.page(store, q, 0, SCREENFUL, total)
    return total


def search_figures(path: Path) -> list[dict]:
    store = open_store(path, create=False)
    try:
        year = Scope(ALL_FROM, ALL_TO)
        texts = TYPED * 4
        typed = summary(timings(lambda i: keystroke(store, texts[i % len(texts)], year), len(texts)))
        # Baseline: the bare index lookup of the same prefixes, first screenful only.
        bare_sql = ("SELECT rowid FROM entry_search WHERE entry_search MATCH ? ORDER BY rowid DESC LIMIT ?")
        exprs = [search.match_expression(t) for t in texts]
        bare = summary(timings(lambda i: store.conn.execute(bare_sql, (exprs[i % len(exprs)], SCREENFUL)).fetchall(),
                               len(texts)))
        # Same-schema baseline: the very statements one keystroke runs (count and first screenful,
        # the FTS match inside), recorded with their values and replayed straight in SQL: what the
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
        row("search keystroke, one day", day_search, bare, "p99 <= 50 ms", BARE_FTS, limit=ms50),
        row("scroll: 100 rows at any place in the year", scroll, bare_rows, "instant (p99 <= 50 ms)", BARE_ROWS,
            limit=ms50),
        row("scroll: End (the first day of the year)", end, bare_rows, "instant (p99 <= 50 ms)", BARE_ROWS,
            limit=ms50),
        row("counts + chart, one day", one_day, None, "instant"),
        row("counts + chart, the whole year (in a thread)", whole, count_all, "seconds, screen never waits",
            "SELECT count(*) FROM entries"),
    ]


BARE_FTS = "the bare FTS5 lookup of the same prefix: first 30 rowids, newest first"
SAME_QUERIES = ("the same keystroke's own SELECTs (count + first screenful, FTS match inside), recorded with "
                "their values and run straight through sqlite3")
BARE_ROWS = "SELECT * of 100 entries by id"


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/data/year.db")
    print_table(search_figures(path))


if __name__ == "__main__":
    main()
