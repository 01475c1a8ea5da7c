"""A purge erases (issue #16, hole 3): after `purge --before`, no purged name, ID number, phone or
address (nor the search index's reversed numbers, nor the values an amendment
replaced) is left anywhere in the database file's bytes or its WAL - with no other connection, with
another lane open and idle, and with another lane in the middle of reading (then the purge says
the erasing waits for it, and it is finished when that lane closes)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checkpoint.domain.passes import PassForm
from checkpoint.domain.registration import PersonForm
from checkpoint.services import accounts, passes, purge, registration, review
from checkpoint.store import audit, open_store

OLD = dt.datetime(2026, 10, 1, 2, 30, tzinfo=dt.timezone.utc)
NEW = dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.timezone.utc)
NOW = dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.timezone.utc)

# (name, pinyin, ID, phone, address): the purged people, none sharing a value with the kept ones
PURGED = [("欧阳春晓", "ouyangchunxiao", "110108198506123015", "13811112222", "青山镇红旗村十七组"),
          ("司马秋菊", "simaqiuju", "11010519491231002X", "13933334444", "青山镇白杨村三组"),
          ("诸葛冬梅", "zhugedongmei", "110101200001010037", "13755556666", "青山镇柳树湾九号")]
AMENDED_AWAY = ("东方夏荷", "15877778888")   # the first person's name and phone before a correction
KEPT = ("李四海", "110102198001010017", "13600001111", "青山镇东街一号")


def form(name: str, doc: str, phone: str, address: str, destination: str = "") -> PersonForm:
    return PersonForm(name=name, doc_no=doc, phone=phone, address=address, origin="本地", temp="36.5",
                      direction="in", disposition="release", destination=destination)


def secrets() -> list[bytes]:
    values = []
    # (the pinyin is in the search index too, but prefix-compressed: never whole in the bytes)
    for name, _pinyin, doc, phone, address in PURGED:
        values += [name, doc, doc[::-1].lower(), phone, phone[::-1], address]
    values += list(AMENDED_AWAY) + [AMENDED_AWAY[1][::-1]]
    return [v.encode("utf-8") for v in values]


def found_in_file(db_path: Path) -> list[str]:
    """Every purged value still readable in the database file or its WAL."""
    data = b"".join(p.read_bytes() for p in (db_path, Path(f"{db_path}-wal")) if p.exists())
    return [s.decode("utf-8") for s in secrets() if s in data]


@pytest.fixture
def days(station, leader, staff_member):
    admin = accounts.add_staff(station, "陈管理", "admin", "3333", leader)
    first = None
    for name, _, doc, phone, address in PURGED:
        saved = registration.register(station, staff_member, [form(name, doc, phone, address)], now=OLD)
        first = first or saved.entry_ids[0]
    # a correction: the old name and phone now live on only as the amendment's "before" values
    review.amend(station, leader, first, form(AMENDED_AWAY[0], PURGED[0][2], AMENDED_AWAY[1], PURGED[0][4]),
                 "姓名电话抄错")
    review.amend(station, leader, first, form(*[PURGED[0][i] for i in (0, 2, 3, 4)]), "改回")
    passes.issue_pass(station, leader, PassForm(kind="household", name=PURGED[1][0], doc_no=PURGED[1][2],
                                                village="白杨村", valid_days="3"), now=OLD)
    for _ in range(3):
        registration.register(station, staff_member, [form(*KEPT)], now=NEW)
    review.search_lines(station, leader, "oycx", "2026-10-01", "2026-10-01")   # the search index is built
    station.checkpoint()
    assert len(found_in_file(station.path)) == len(secrets())    # the test sees them before the purge
    return station, admin


def test_nothing_purged_is_left_in_the_file(days):
    store, admin = days
    done = purge.purge(store, admin, "2026-11-01", now=NOW)
    assert done.entries == 3 and done.passes == 1 and done.erased
    assert found_in_file(store.path) == []
    assert KEPT[0].encode() in store.path.read_bytes() + Path(f"{store.path}-wal").read_bytes()
    assert audit.verify(store).whole


def test_nothing_purged_is_left_while_another_lane_is_open_and_idle(days, db_path):
    store, admin = days
    with open_store(db_path, create=False) as other_lane:
        other_lane.read("SELECT count(*) FROM entries")
        done = purge.purge(store, admin, "2026-11-01", now=NOW)
        assert done.erased
        assert found_in_file(db_path) == []


def test_a_lane_in_the_middle_of_reading_delays_the_erasing_until_it_closes(days, db_path):
    store, admin = days
    reading = open_store(db_path, create=False)
    reading.conn.execute("BEGIN")
    reading.conn.execute("SELECT count(*) FROM entries").fetchone()    # holds a snapshot of old pages
    done = purge.purge(store, admin, "2026-11-01", now=NOW)
    assert done.entries == 3 and not done.erased
    assert purge.plan(store, "2026-11-01", now=NOW).erase_owed
    reading.conn.execute("COMMIT")
    reading.close()                                 # the lane closes: it finishes the erasing
    assert found_in_file(db_path) == []
    assert not purge.plan(store, "2026-11-01", now=NOW).erase_owed


def test_the_next_open_finishes_an_erasing_that_was_held_up(days, db_path):
    store, admin = days
    reading = open_store(db_path, create=False)
    reading.conn.execute("BEGIN")
    reading.conn.execute("SELECT count(*) FROM entries").fetchone()
    assert not purge.purge(store, admin, "2026-11-01", now=NOW).erased
    reading.conn.execute("COMMIT")                 # done reading, but still open all day
    with open_store(db_path, create=False):
        pass                                       # the next command's open (and close) finishes it
    assert found_in_file(db_path) == []
    reading.close()


HOLDER = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM entries").fetchone()
    print("reading", flush=True)
    sys.stdin.readline()
    conn.execute("COMMIT")
    conn.close()
""")


def test_the_command_line_says_when_the_erasing_waits_for_another_lane(days, db_path):
    store, _ = days
    store.close()
    lane = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert lane.stdout.readline().strip() == "reading"
    try:
        result = subprocess.run([sys.executable, "-m", "checkpoint", "--db", str(db_path), "purge", "--before",
                                 "2026-11-01", "--as", "陈管理", "--pin", "3333", "--yes"],
                                capture_output=True, text=True, timeout=300)
    finally:
        lane.communicate("\n", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "关闭" in result.stdout and "抹掉" in result.stdout      # says the erasing waits, and why
    assert found_in_file(db_path) == []            # the other lane closed: SQLite folded the WAL then
    again = subprocess.run([sys.executable, "-m", "checkpoint", "--db", str(db_path), "purge", "--before",
                            "2026-11-01", "--as", "陈管理", "--pin", "3333", "--yes"],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "没有" in again.stdout, again.stdout + again.stderr
