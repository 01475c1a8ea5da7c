"""Opening the station's database file: migrations, pragmas, and files that are not ours."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from checkpoint.errors import DatabaseError
from checkpoint.store import open_store, schema
from checkpoint.database.file import STATION_FILE
from checkpoint.database.migrations import Steps

TABLES = {"station", "settings", "staff", "policy", "vehicles", "entries", "amendments", "audit", "keys",
          "passes", "revocations", "crossings", "open_exits", "shifts", "roster", "handovers", "matters",
          "closures"}


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path))


def applied(path: Path) -> list[str]:
    with raw(path) as conn:
        return [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'checkpoint' ORDER BY rowid")]


def test_a_new_file_gets_the_whole_schema_and_records_its_migrations(db_path):
    store = open_store(db_path)
    store.close()
    conn = raw(db_path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert TABLES <= tables
    assert conn.execute("PRAGMA application_id").fetchone()[0] == STATION_FILE
    conn.close()
    assert applied(db_path) == schema.migrations.names
    assert applied(db_path)[:3] == ["m001_foundation", "m002_passes", "m003_shifts"]
    assert not (db_path.parent / "backups").exists()   # nothing to back up in a new file


def test_reopening_runs_nothing_again(db_path):
    open_store(db_path).close()
    with raw(db_path) as conn:
        before = conn.execute("SELECT name, applied_at FROM _sqlite_migrations ORDER BY rowid").fetchall()
    store = open_store(db_path)
    assert schema.migrate(store, backup=True) == []
    store.close()
    with raw(db_path) as conn:
        assert conn.execute("SELECT name, applied_at FROM _sqlite_migrations ORDER BY rowid").fetchall() == before
    assert not (db_path.parent / "backups").exists()


def test_wal_and_foreign_keys_are_on(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2   # FULL
    with pytest.raises(DatabaseError), store.write():
        store.insert("entries", {"recorded_at": "x", "local_day": "x", "staff_id": 999, "name": "x"})


def test_a_stranger_sqlite_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "stranger.db"
    conn = raw(path)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO recipes (title) VALUES ('红烧肉')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as caught:
        open_store(path)
    assert caught.value.key == "db.not_ours"
    assert str(path) in caught.value.message
    assert path.read_bytes() == before   # not migrated, not switched to WAL
    with raw(path) as conn:
        assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master")} == {"recipes"}


def test_a_file_that_is_not_a_database_at_all_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库\n" * 200, encoding="utf-8")
    with pytest.raises(DatabaseError) as caught:
        open_store(path)
    assert caught.value.key == "db.not_ours"


def test_another_programs_application_id_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with raw(path) as conn:
        conn.execute("PRAGMA application_id = 12345")
    with pytest.raises(DatabaseError) as caught:
        open_store(path)
    assert caught.value.key == "db.not_ours"


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(DatabaseError) as caught:
        open_store(tmp_path / "no-such-folder" / "station.db")
    assert caught.value.key == "db.no_folder"
    assert "no-such-folder" in caught.value.message
    assert not (tmp_path / "no-such-folder").exists()


def test_a_folder_is_not_a_database_file(tmp_path):
    with pytest.raises(DatabaseError) as caught:
        open_store(tmp_path)
    assert caught.value.key == "db.is_dir"


def test_opening_without_create_does_not_make_a_file(tmp_path):
    path = tmp_path / "station.db"
    with pytest.raises(DatabaseError) as caught:
        open_store(path, create=False)
    assert caught.value.key == "station.not_set_up"
    assert not path.exists()


def test_an_existing_database_is_backed_up_before_a_new_migration(db_path, monkeypatch):
    from checkpoint.services.setup import init_station

    store = open_store(db_path)
    init_station(store, "K01", "东口卡点", "青山镇", "王队长", "1234")
    store.close()

    newer = Steps("checkpoint")
    newer.functions = list(schema.migrations.functions)

    @newer()
    def m999_test_column(db):
        db.execute("ALTER TABLE station ADD COLUMN motto TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(schema, "migrations", newer)
    store = open_store(db_path)
    store.close()
    backups = list((db_path.parent / "backups").glob("*.db"))
    assert len(backups) == 1 and "before-m999_test_column" in backups[0].name
    with raw(backups[0]) as old:   # the copy is the file as it was: the station, without the column
        assert old.execute("SELECT name FROM station").fetchone()[0] == "东口卡点"
        assert "motto" not in [r[1] for r in old.execute("PRAGMA table_info(station)")]
        assert "m999_test_column" not in [r[0] for r in old.execute("SELECT name FROM _sqlite_migrations")]
    assert applied(db_path)[-1] == "m999_test_column"
    with raw(db_path) as conn:
        assert "motto" in [r[1] for r in conn.execute("PRAGMA table_info(station)")]


def test_a_database_from_a_newer_program_is_refused(db_path):
    open_store(db_path).close()
    with raw(db_path) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('checkpoint', 'm900_from_the_future', '2030-01-01')")
    with pytest.raises(DatabaseError) as caught:
        open_store(db_path)
    assert caught.value.key == "db.too_new"


def test_write_is_all_or_nothing(store):
    with pytest.raises(RuntimeError), store.write():
        store.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        raise RuntimeError("power cut")
    assert store.read("SELECT * FROM settings WHERE key = 'a'") == []


def test_opening_a_station_that_needs_no_migration_does_not_load_sqlite_utils(db_path):
    # sqlite-utils is for applying migrations; every start of the desk opens a file that needs
    # none, and importing it was about a tenth of a second of that start (bench/measured-by-hand.md)
    open_store(db_path).close()
    script = ("import sys; from checkpoint.store import open_store; "
              f"open_store({str(db_path)!r}, create=False).close(); "
              "print('sqlite_utils' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
