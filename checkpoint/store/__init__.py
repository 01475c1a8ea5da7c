"""SQLite through sqlite-utils. The only layer that knows SQL."""

from checkpoint.store.connection import Store, open_store

__all__ = ["Store", "open_store"]
