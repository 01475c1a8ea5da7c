"""A database that cannot grow (a full disk) or cannot be written (a read-only file): saving says so in
one sentence, nothing partial is written, and the desk keeps what was typed. The same for the daily
export and the township's collect.

A full disk is made with `PRAGMA max_page_count` (the file may not grow past its pages now); a
read-only file with a read-only connection (`mode=ro`), since the tests run as root, whom file modes
do not stop.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from checkpoint.domain.registration import PersonForm, VehicleForm
from checkpoint.errors import DatabaseError
from checkpoint.services import export, registration
from checkpoint.store import Store
from tests.ui.conftest import FIXED_NOW, login

NOW = dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.timezone.utc)


def person(i: int = 0) -> PersonForm:
    return PersonForm(name="张伟", doc_no="110108198506123015", phone="13800001111", origin="本地",
                      temp="36.5", direction="in", disposition="release", destination=f"第{i}次")


def fill_up(store: Store) -> None:
    """No more pages: the next write that needs one fails as a full disk does."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")


def counts(store: Store) -> tuple[int, int, int]:
    return tuple(store.read_one(f"SELECT count(*) AS n FROM {t}")["n"] for t in ("entries", "vehicles", "audit"))


def test_a_full_disk_says_so_and_writes_nothing_partial(station, staff_member):
    fill_up(station)
    before = counts(station)
    with pytest.raises(DatabaseError) as caught:
        for i in range(200):   # the free space inside the last pages runs out within a few saves
            registration.register(station, staff_member, [person(i), person(i)], VehicleForm(plate="粤B12345"),
                                  now=NOW)
    assert "磁盘" in caught.value.message or "空间" in caught.value.message
    after = counts(station)
    saved_entries = after[0] - before[0]
    assert saved_entries % 2 == 0 and after[1] - before[1] == saved_entries // 2   # whole vehicles only
    assert station.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not station.conn.in_transaction


def test_a_read_only_file_says_so(station, staff_member, db_path):
    read_only = Store(db_path, sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None))
    try:
        with pytest.raises(DatabaseError) as caught:
            registration.register(read_only, staff_member, [person()], now=NOW)
        assert str(db_path) in caught.value.message and "只读" in caught.value.message
    finally:
        read_only.close()
    assert counts(station)[0] == 0


def test_export_on_a_full_database_leaves_no_bundle(station, staff_member, leader, tmp_path, township_keys):
    township_keys.give(station, leader)
    registration.register(station, staff_member, [person()], now=NOW)
    fill_up(station)
    # the audit row of the export needs room: fill the last free bytes first
    with pytest.raises(DatabaseError):
        for i in range(500):
            registration.register(station, staff_member, [person(i)], now=NOW)
    with pytest.raises(DatabaseError):
        export.export_day(station, "2026-11-24", tmp_path / "out", by=leader, now=NOW)
    leftovers = list((tmp_path / "out").iterdir()) if (tmp_path / "out").exists() else []
    assert leftovers == []


def test_township_collect_on_a_read_only_database_rejects_and_writes_nothing(station, staff_member, leader,
                                                                            tmp_path, township_keys):
    # (A full township file is not forced reliably: a bundle's few rows fit in the free room left
    # inside existing pages. The read-only file exercises the same path: the write fails inside
    # the bundle's transaction.)
    from checkpoint.services import keys
    from checkpoint.township import office as township_service
    from checkpoint.township import collect as township_collect
    from checkpoint.township.schema import open_township_store

    township_keys.give(station, leader)
    registration.register(station, staff_member, [person()], now=NOW)
    export.export_day(station, "2026-11-24", tmp_path / "usb", by=leader, now=NOW)
    key_file = tmp_path / "k01.json"
    keys.export_public_key(station, key_file)
    path = township_keys.copy_db(tmp_path / "town.db")
    with open_township_store(path) as town:
        township_service.add_station(town, key_file)
    dump_before = "\n".join(sqlite3.connect(path).iterdump())
    town = Store(path, sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None))
    try:
        [outcome] = township_collect.collect(town, [tmp_path / "usb"], now=NOW + dt.timedelta(hours=10))
    finally:
        town.close()
    assert not outcome.accepted and "只读" in outcome.reason
    assert "\n".join(sqlite3.connect(path).iterdump()) == dump_before


async def test_the_desk_keeps_the_form_when_the_disk_is_full(station):
    from checkpoint.app import CheckpointApp

    app = CheckpointApp(station, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        await login(pilot, "李四", "2222")
        fill_up(station)
        with pytest.raises(DatabaseError):
            for i in range(500):
                registration.register(station, app.account, [person(i)], now=NOW)
        before = counts(station)
        await pilot.press("enter", *"110101200001010037", "enter", "enter", *"王强", "enter", *"13700003333",
                          "enter", "enter", "enter", *"本地", "enter", "enter", "enter", "enter", "enter", "enter",
                          "enter", *"36.6", "enter", "enter", "ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
        assert app.screen.person.text("name") == "王强" and app.screen.person.text("temp") == "36.6"
        assert counts(station) == before
