"""The search index for entries saved before it existed (or emptied by a purge), filled a batch
at a time so a screen or a purge can go on between batches."""

from __future__ import annotations

from checkpoint.domain import search
from checkpoint.store import Store
from checkpoint.store import review as review_store


def unindexed(store: Store) -> int:
    """About how many entries are not in the search index yet (the lowest id still to do)."""
    return max(0, review_store.unindexed_below(store) - 1)


def _terms_of(row: dict) -> str:
    plate = row["plate"] or ""
    words = search.entry_terms(row["name"], row["doc_no"], row["phone"], plate)
    if row.get("now_name") is not None:    # amended: found by the corrected values too
        extra = search.entry_terms(row["now_name"], row["now_doc_no"], row["now_phone"], plate)
        words = " ".join(dict.fromkeys((words + " " + extra).split()))
    return words


def index_some(store: Store, batch: int = 2000) -> int:
    """Index one batch of older entries (newest first); returns how many are left (approximately:
    the lowest id still to do)."""
    below = review_store.unindexed_below(store)
    if below <= 1:
        return 0
    rows = review_store.unindexed_batch(store, below, batch)
    if not rows:
        review_store.index_batch(store, [], 1)
        return 0
    terms = [(r["id"], _terms_of(r)) for r in rows]
    low = min(r["id"] for r in rows)
    review_store.index_batch(store, terms, low)
    return max(0, low - 1)
