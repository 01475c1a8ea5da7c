"""Copies of the database file made with SQLite's backup API (consistent while lanes write)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from checkpoint.store.connection import APPLICATION_ID, Store


def copy_to(store: Store, target: Path) -> None:
    copy_connection(store.conn, target)


def copy_file(db_path: Path, target: Path) -> None:
    """Back up from a connection of its own: safe in a worker thread while the desk writes."""
    source = sqlite3.connect(str(db_path), timeout=10)
    try:
        copy_connection(source, target)
    finally:
        source.close()


def copy_connection(source: sqlite3.Connection, target: Path) -> None:
    dest = sqlite3.connect(str(target))
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    finally:
        dest.close()


def check_file(path: Path) -> str | None:
    """None when `path` is an intact checkpoint database; otherwise a catalogue key saying why not."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return "backup.not_a_database"
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return "backup.damaged"
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return "backup.not_ours"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"station", "entries", "audit"} <= tables:
            return "backup.not_ours"
    except sqlite3.DatabaseError:
        return "backup.not_a_database"
    finally:
        conn.close()
    return None
