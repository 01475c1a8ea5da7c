"""The time of the newest thing written: what the clock check compares the computer's clock with."""

from __future__ import annotations

from checkpoint.store.connection import Store

# The last rows by id, not MAX(at) over the table: a year of audit rows has no index on the time,
# and the newest writes are the last rows (a few are read in case two lanes' clocks disagreed).
_RECENT = 50


def recent_times(store: Store) -> list[str]:
    """UTC ISO-8601 times of the latest audit rows and entries (empty for a new station)."""
    rows = store.read(f"SELECT at AS t FROM (SELECT at FROM audit ORDER BY id DESC LIMIT {_RECENT}) "
                      f"UNION ALL SELECT recorded_at AS t FROM "
                      f"(SELECT recorded_at FROM entries ORDER BY id DESC LIMIT {_RECENT})")
    return [r["t"] for r in rows if r["t"]]
