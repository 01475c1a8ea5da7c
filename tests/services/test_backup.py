"""Backups and restore: a broken database file is brought back with every entry."""

from __future__ import annotations

import datetime as dt

import pytest

from checkpoint.domain.registration import PersonForm
from checkpoint.errors import InputError
from checkpoint.services import backup, registration
from checkpoint.store import open_store


def register_one(store, who, name):
    registration.register(store, who, [PersonForm(name=name, doc_no="110108198506123015", phone="13800001111",
                                                  origin="本地", temp="36.5", direction="in",
                                                  disposition="release")])


@pytest.fixture
def admin(station, leader):
    from checkpoint.services import accounts

    return accounts.add_staff(station, "陈管理", "admin", "3333", leader)


def test_backup_break_restore_finds_every_entry(tmp_path, station, staff_member, db_path, admin):
    for name in ("张伟", "李芳", "王强"):
        register_one(station, staff_member, name)
    copy = backup.make_backup(station, tmp_path / "copy.db")
    station.close()
    with open(db_path, "r+b") as f:           # break the file on purpose
        f.seek(4096)
        f.write(b"\xff" * 8192)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"station.db{suffix}").unlink(missing_ok=True)
    kept_aside = backup.restore(db_path, copy, "陈管理", "3333")
    assert kept_aside.exists() and kept_aside.read_bytes()[4096:4104] == b"\xff" * 8   # the broken file kept
    store = open_store(db_path)
    names = [r["name"] for r in store.read("SELECT name FROM entries ORDER BY id")]
    store.close()
    assert names == ["张伟", "李芳", "王强"]


def test_restore_refuses_a_damaged_or_foreign_file(tmp_path, station, db_path, admin):
    import sqlite3

    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    for path, key in ((foreign, "backup.not_ours"), (junk, "backup.not_a_database"),
                      (tmp_path / "missing.db", "restore.file_missing")):
        with pytest.raises(InputError) as caught:
            backup.restore(db_path, path, "陈管理", "3333")
        assert caught.value.key == key
    assert station.read("SELECT count(*) AS n FROM station")[0]["n"] == 1   # untouched


def test_daily_backup_once_a_day_keeps_the_newest(station):
    day = dt.datetime(2026, 11, 1, 9, 0)
    made = [backup.daily_backup(station, keep=3, now=day + dt.timedelta(days=i)) for i in range(5)]
    assert all(made)
    assert backup.daily_backup(station, keep=3, now=day + dt.timedelta(days=4, hours=2)) is None
    files = sorted(backup.backups_folder(station.path).glob("*-auto-*.db"))
    assert [f.name[-18:-10] for f in files] == ["20261103", "20261104", "20261105"]


def test_backup_refuses_to_overwrite(tmp_path, station):
    target = tmp_path / "b.db"
    backup.make_backup(station, target)
    with pytest.raises(InputError):
        backup.make_backup(station, target)
