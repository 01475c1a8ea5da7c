"""Restore trusts nothing it is given (issue #16, hole 4): a backup is checked whole (integrity,
application id, the audit chain, a write) before anything changes; an admin asks for it; nobody
else may have the file open; the restore is in the restored chain; no live -wal/-shm is removed;
any character works in a path."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checkpoint.domain.registration import PersonForm
from checkpoint.errors import CheckpointError, DatabaseError, InputError, RefusedError
from checkpoint.services import accounts, backup, registration
from checkpoint.store import audit, open_store


def register_one(store, who, name: str) -> None:
    registration.register(store, who, [PersonForm(name=name, doc_no="110108198506123015", phone="13800001111",
                                                  origin="本地", temp="36.5", direction="in",
                                                  disposition="release")])


@pytest.fixture
def saved(station, leader, staff_member, tmp_path, db_path):
    """A station with an admin and three entries, its backup, and the store closed (no other
    connection open, as when the admin runs the restore)."""
    accounts.add_staff(station, "陈管理", "admin", "3333", leader)
    for name in ("张伟", "李芳", "王强"):
        register_one(station, staff_member, name)
    copy = backup.make_backup(station, tmp_path / "copy.db")
    register_one(station, staff_member, "赵六")       # after the backup
    station.close()
    return db_path, copy


def dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "restoring" in p.name or "before-restore" in p.name)


def test_a_checked_restore_brings_the_backup_back_and_is_audited(saved):
    db_path, copy = saved
    kept = backup.restore(db_path, copy, "陈管理", "3333")
    assert "赵六" in dump(kept) and kept.name in leftovers(db_path.parent)
    with open_store(db_path, create=False) as store:
        names = [r["name"] for r in store.read("SELECT name FROM entries ORDER BY id")]
        last = store.read_one("SELECT a.action, a.detail, s.name FROM audit a LEFT JOIN staff s ON s.id = a.staff_id "
                              "ORDER BY a.id DESC LIMIT 1")
        assert audit.verify(store).whole
    assert names == ["张伟", "李芳", "王强"]
    assert last["action"] == "db.restore" and last["name"] == "陈管理" and "copy.db" in last["detail"]
    assert leftovers(db_path.parent) == [kept.name]      # no temporary copy left behind


def flip_byte_in(path: Path, text: str) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(text.encode("utf-8"))
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_backup_with_one_byte_flipped_in_a_stored_name_is_refused_and_nothing_changes(saved):
    db_path, copy = saved
    flip_byte_in(copy, "李芳")
    before = dump(db_path)
    with pytest.raises(InputError) as caught:
        backup.restore(db_path, copy, "陈管理", "3333")
    assert caught.value.key == "restore.chain_broken" and "审计链" in caught.value.message
    assert "李芳" not in caught.value.message            # the sentence names no person
    assert dump(db_path) == before and leftovers(db_path.parent) == []


# Header bytes that decide how SQLite reads or writes the file: the magic text, the page size, the
# write and read versions (a write version of 3 opens the file read-only), reserved bytes, the
# payload fractions, the schema format, the text encoding, the application id.
HEADER_BYTES = [0, 5, 16, 17, 18, 19, 20, 21, 22, 23, 44, 56, 68, 71]


@pytest.mark.parametrize("offset", HEADER_BYTES)
def test_a_backup_with_a_damaged_header_byte_is_refused_and_nothing_changes(saved, offset):
    db_path, copy = saved
    data = bytearray(copy.read_bytes())
    data[offset] = 3 if offset in (18, 19) else data[offset] ^ 0x41
    copy.write_bytes(bytes(data))
    before = dump(db_path)
    with pytest.raises(InputError):
        backup.restore(db_path, copy, "陈管理", "3333")
    assert dump(db_path) == before and leftovers(db_path.parent) == []
    with open_store(db_path, create=False) as store:     # the station can still write
        with store.write():
            audit.append(store, "test.write", None)


def test_only_an_admin_of_the_station_restores(saved):
    db_path, copy = saved
    with pytest.raises(RefusedError):
        backup.restore(db_path, copy, "王队长", "1234")     # a leader
    with pytest.raises(RefusedError):
        backup.restore(db_path, copy, "陈管理", "0000")     # a wrong PIN (counted in the current file)
    assert "赵六" in dump(db_path) and leftovers(db_path.parent) == []


def test_restore_refuses_while_this_process_has_the_database_open(saved):
    db_path, copy = saved
    with open_store(db_path, create=False) as other_window:
        with pytest.raises(DatabaseError) as caught:
            backup.restore(db_path, copy, "陈管理", "3333")
        assert "关闭" in caught.value.message
        assert other_window.read_one("SELECT count(*) AS n FROM entries")["n"] == 4
    assert leftovers(db_path.parent) == []


HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA journal_mode").fetchone()
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    print("open", flush=True)
    sys.stdin.readline()
""")


def hold_open(path: Path) -> subprocess.Popen:
    """Another lane: a process that has the database open (idle, no transaction)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_restore_refuses_while_another_lane_has_it_open_and_leaves_its_wal_alone(saved):
    db_path, copy = saved
    lane = hold_open(db_path)
    try:
        wal, shm = Path(f"{db_path}-wal"), Path(f"{db_path}-shm")
        assert shm.exists()
        shm_inode = shm.stat().st_ino
        with pytest.raises(DatabaseError) as caught:
            backup.restore(db_path, copy, "陈管理", "3333")
        assert caught.value.key == "restore.others_open"
        assert shm.exists() and shm.stat().st_ino == shm_inode and wal.exists()
    finally:
        lane.communicate("\n", timeout=30)
    assert leftovers(db_path.parent) == []
    backup.restore(db_path, copy, "陈管理", "3333")     # once the lane has closed


def test_a_damaged_current_file_with_a_lane_still_holding_it_is_not_replaced(saved):
    db_path, copy = saved
    lane = hold_open(db_path)
    try:
        with open(db_path, "r+b") as f:              # the header is gone (a bad sector)
            f.write(b"\x00" * 100)
        with pytest.raises(DatabaseError) as caught:
            backup.restore(db_path, copy, "陈管理", "3333")
        assert caught.value.key == "restore.others_open"
        assert Path(f"{db_path}-shm").exists()
    finally:
        lane.communicate("\n", timeout=30)
    kept = backup.restore(db_path, copy, "陈管理", "3333")   # the backup's admin decides now
    assert kept.read_bytes()[:16] == b"\x00" * 16
    with open_store(db_path, create=False) as store:
        assert audit.verify(store).whole


ODD_NAMES = ["站 #1 ?a=b%20 东口.db", "100% 备份#2?.db"]


def test_paths_with_any_character_work_for_backup_restore_and_db(tmp_path):
    folder = tmp_path / "U盘 #1 ?%20"
    folder.mkdir()
    db = folder / ODD_NAMES[0]
    out = folder / ODD_NAMES[1]
    run = lambda *a, pin=None: subprocess.run(   # noqa: E731
        [sys.executable, "-m", "checkpoint", "--db", str(db), *a], capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, **({"CHECKPOINT_PIN": pin} if pin else {})})
    steps = [
        run("init", "--station-code", "K01", "--station-name", "东口", "--township", "青山镇", "--leader", "王队长",
            "--pin", "1234"),
        run("staff", "add", "--name", "陈管理", "--role", "admin", "--pin", "3333", "--as", "王队长", pin="1234"),
        run("register", "--as", "王队长", "--name", "张伟", "--id", "110108198506123015", "--phone", "13800001111",
            "--origin", "本地", "--temp", "36.5", "--direction", "in", pin="1234"),
        run("backup", "--out", str(out)),
        run("restore", str(out), "--yes", "--as", "陈管理", pin="3333"),
        run("audit", "verify"),
    ]
    for step in steps:
        assert step.returncode == 0, (step.args, step.stdout, step.stderr)
    expected = {db.name, out.name, f"{db.name}-queue"} | {p.name for p in folder.iterdir() if "before-restore" in p.name}
    assert {p.name for p in folder.iterdir()} == expected     # no stray file named after half a path
    assert not [p for p in tmp_path.iterdir() if p.name != folder.name]
    with open_store(db, create=False) as store:
        assert store.read_one("SELECT name FROM entries")["name"] == "张伟"


def test_restore_errors_are_the_programs_own(saved, tmp_path):
    db_path, copy = saved
    for source in (tmp_path / "nowhere.db", db_path):
        with pytest.raises(CheckpointError):
            backup.restore(db_path, source, "陈管理", "3333")


def test_a_backup_restored_where_there_is_no_database_yet(saved, tmp_path):
    _, copy = saved
    fresh = tmp_path / "new-laptop" / "station.db"
    fresh.parent.mkdir()
    assert backup.restore(fresh, copy, "陈管理", "3333") is None     # nothing to keep aside
    with open_store(fresh, create=False) as store:
        assert store.read_one("SELECT count(*) AS n FROM entries")["n"] == 3
        assert audit.verify(store).whole
