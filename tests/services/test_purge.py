"""Retention: `purge` empties the personal fields of old records, keeps every count and the audit
chain whole, is audited, is admin-only, and can be run again to finish an interrupted purge."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys

import pytest

from checkpoint.domain.passes import PassForm
from checkpoint.domain.registration import PersonForm
from checkpoint.errors import CheckpointError, InputError
from checkpoint.services import accounts, ledger, passes, purge, registration, review
from checkpoint.store import audit

DAYS = [dt.datetime(2026, 11, d, 2, 30, tzinfo=dt.timezone.utc) for d in (20, 21, 22)]   # 10:30 local


def person(name, doc_no, **kw) -> PersonForm:
    values = dict(name=name, doc_no=doc_no, phone="13800001111", address="青山镇红旗村", origin="湖北省宜昌市",
                  temp="36.5", direction="in", disposition="release", destination="建始县城")
    values.update(kw)
    return PersonForm(**values)


@pytest.fixture
def history(station, leader, staff_member):
    admin = accounts.add_staff(station, "管理员", "admin", "9999", leader)
    admin = accounts.authenticate(station, "管理员", "9999")
    for i, when in enumerate(DAYS):
        registration.register(station, staff_member, [person("张三", "110108198506123015"),
                                                      person("李芳", "11010519491231002X", temp="37.8",
                                                             recheck_temp="37.6", disposition="hold")], now=when)
    old = station.read_one("SELECT id FROM entries WHERE name = '张三' ORDER BY id LIMIT 1")["id"]
    review.amend(station, leader, old, dataclasses.replace(review.amendment_form(station, old), name="张叁"), "错字")
    passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X",
                                                village="红旗村", valid_days="1"), now=DAYS[0])
    return admin


def test_purge_empties_old_persons_and_keeps_counts_and_the_chain(station, leader, history):
    counts = {d: ledger.day_counts(station, d) for d in ("2026-11-20", "2026-11-21", "2026-11-22")}
    todo = purge.plan(station, "2026-11-22", now=DAYS[2])
    assert (todo.entries, todo.passes) == (4, 1)
    done = purge.purge(station, history, "2026-11-22", now=DAYS[2])
    assert (done.entries, done.passes) == (4, 1)
    assert {d: ledger.day_counts(station, d) for d in counts} == counts          # every count stays
    old = station.read("SELECT name, doc_no, phone, address, destination, temp, disposition FROM entries_now "
                       "WHERE local_day < '2026-11-22'")
    assert {(r["name"], r["doc_no"], r["phone"], r["address"], r["destination"]) for r in old} == {("", "", "", "", "")}
    assert sorted(r["disposition"] for r in old) == ["hold", "hold", "release", "release"]
    kept = station.read("SELECT name FROM entries WHERE local_day = '2026-11-22' ORDER BY id")
    assert [r["name"] for r in kept] == ["张三", "李芳"]
    amendment = station.read_one("SELECT changes FROM amendments")["changes"]
    assert "张叁" not in amendment and "张三" not in amendment
    expired = station.read_one("SELECT holder_name, holder_doc_no, members FROM passes")
    assert (expired["holder_name"], expired["holder_doc_no"], expired["members"]) == ("", "", "[]")
    # the search index no longer knows the old names; today's are found again
    lines, _ = review.search_lines(station, leader, "张", review.ALL_FROM, review.ALL_TO)
    assert [line.day for line in lines] == ["2026-11-22"]
    assert review.search_lines(station, leader, "zj", review.ALL_FROM, review.ALL_TO)[1] == 0   # 张叁 gone
    assert audit.verify(station).whole
    row = station.read_one("SELECT * FROM audit WHERE action = 'purge'")
    assert row["staff_id"] == history.id and '"entries":4' in row["detail"]
    again = purge.purge(station, history, "2026-11-22", now=DAYS[2])      # nothing left to do
    assert (again.entries, again.passes) == (0, 0)


def test_only_an_admin_purges_and_never_the_future(station, leader, staff_member, history):
    for who in (staff_member, leader):
        with pytest.raises(CheckpointError):
            purge.purge(station, who, "2026-11-22", now=DAYS[2])
    with pytest.raises(InputError):
        purge.purge(station, history, "2026-11-30", now=DAYS[2])
    with pytest.raises(InputError):
        purge.plan(station, "22/11/2026", now=DAYS[2])
    assert station.read_one("SELECT count(*) AS n FROM entries WHERE name = ''")["n"] == 0


def test_the_command_asks_for_confirmation(station, history, db_path):
    station.close()
    env_cmd = [sys.executable, "-m", "checkpoint", "--db", str(db_path), "purge", "--before", "2026-11-21",
               "--as", "管理员", "--pin", "9999"]
    refused = subprocess.run(env_cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert refused.returncode == 2 and "--yes" in refused.stderr and "Traceback" not in refused.stderr
    import sqlite3
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM entries WHERE name = ''").fetchone()[0] == 0
    done = subprocess.run(env_cmd + ["--yes"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "已清除：登记2条" in done.stdout
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM entries WHERE name = ''").fetchone()[0] == 2


def test_the_township_purges_its_follow_up_lists(station, leader, staff_member, tmp_path, township_keys):
    from checkpoint.services import export, keys
    from checkpoint.township import office as township_service
    from checkpoint.township import collect as township_collect
    from checkpoint.township import report as township_report
    from checkpoint.township.schema import open_township_store

    registration.register(station, staff_member, [person("李芳", "11010519491231002X", temp="37.8",
                                                         recheck_temp="37.6", disposition="hold")], now=DAYS[0])
    township_keys.give(station, leader)
    export.export_day(station, "2026-11-20", tmp_path / "usb", by=leader, now=DAYS[0] + dt.timedelta(hours=2))
    keys.export_public_key(station, tmp_path / "k.json")
    with open_township_store(township_keys.copy_db(tmp_path / "town.db")) as town:
        township_service.add_station(town, tmp_path / "k.json")
        township_collect.collect(town, [tmp_path / "usb"], now=DAYS[1])
        before = township_report.build_day(town, "2026-11-20", now=DAYS[1])
        assert township_service.follow_ups_to_purge(town, "2026-11-21") == 1
        assert township_service.purge_follow_ups(town, "2026-11-21") == 1
        row = town.read_one("SELECT name, doc_no, phone, address, village, disposition FROM follow_up")
        assert (row["name"], row["doc_no"], row["phone"], row["address"]) == ("", "", "", "")
        assert row["village"] and row["disposition"]                          # what the counts need stays
        after = township_report.build_day(town, "2026-11-20", now=DAYS[1])
        assert after.follow_up_people == before.follow_up_people == 1
        assert after.totals == before.totals
        assert town.read_one("SELECT count(*) AS n FROM audit WHERE action = 'township.purge'")["n"] == 1
