"""The station's database: its tables (schema.py, migrations), the queries each part of the station
runs (one module per kind of record), the audit chain's check. The only layer of the station that
knows SQL; the file itself, its writes and migrations are checkpoint.database."""

from checkpoint.store.connection import Store
from checkpoint.store.opening import open_store

__all__ = ["Store", "open_store"]
