"""Files that are not a station database (issue #16, hole 5): an empty (0-byte) file is refused by
every command but `init` (exit 2, a sentence, nothing written into it); a file this user cannot
write is read without leaving a -wal or -shm beside it, and a save says it is read-only.

The tests run as root, whom file modes do not stop: the read-only cases run the real CLI as the
user `nobody` on a root-owned file (mode 0444, in a folder anyone may write, where SQLite would
otherwise leave its -wal and -shm); run as another user they use that user."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.cli.test_cli import run

PERSON = ["--name", "张伟", "--id", "110108198506123015", "--phone", "13800001111", "--origin", "本地",
          "--temp", "36.5", "--direction", "in"]

# every command that opens the station database, with what it needs to get that far
COMMANDS = [
    ["log"], ["audit", "verify"], ["staff", "list"], ["staff", "add", "--name", "李四", "--role", "staff", "--pin", "2222"],
    ["register", "--as", "王队长", *PERSON], ["policy", "show"], ["config", "show"], ["config", "set", "bell", "off",
                                                                                        "--as", "王队长"],
    ["pass", "list"], ["pass", "overdue"], ["keys", "list"], ["keys", "export", "--out", "{tmp}/k.json"],
    ["revocations", "export", "--out", "{tmp}/r.json"], ["shift", "status"], ["backup"],
    ["export", "--as", "王队长"], ["search", "zs", "--as", "王队长"], ["purge", "--before", "2020-01-01", "--as", "王队长"],
    ["signoff", "--date", "2020-01-01", "--as", "王队长"], ["handover", "show"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_an_empty_file_is_not_a_station_database(tmp_path, command):
    empty = tmp_path / "station.db"
    empty.touch()
    args = [a.format(tmp=tmp_path) for a in command]
    result = run("--db", str(empty), *args, pin="1234")
    assert result.returncode == 2, (command, result.stdout, result.stderr)
    assert "空文件" in result.stderr and "checkpoint init" in result.stderr
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["station.db"]     # no -wal, -shm, backups, keys


def test_the_ui_refuses_an_empty_file_too(tmp_path):
    empty = tmp_path / "station.db"
    empty.touch()
    result = run("--db", str(empty), code=2)
    assert "空文件" in result.stderr and empty.stat().st_size == 0


def test_init_may_fill_an_empty_file(tmp_path):
    empty = tmp_path / "station.db"
    empty.touch()
    run("--db", str(empty), "init", "--station-code", "K01", "--station-name", "东口", "--township", "青山镇",
        "--leader", "王队长", "--pin", "1234", code=0)
    assert "完整" in run("--db", str(empty), "audit", "verify", code=0).stdout


NOBODY = 65534


def as_other_user(*args: str) -> subprocess.CompletedProcess:
    """The CLI run by a user who may not write the file (nobody, when the tests run as root)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    env.update(CHECKPOINT_PIN="1234", HOME="/tmp")
    # util-linux's setpriv drops root for the run (subprocess's own user= cannot reach the
    # interpreter under /root, which only root may enter)
    become = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] if os.geteuid() == 0 else []
    return subprocess.run([*become, sys.executable, "-m", "checkpoint", *args], capture_output=True, text=True,
                          env=env, timeout=120, cwd="/")


@pytest.fixture
def read_only_station(tmp_path):
    """A set-up station with one entry, folded into one file, read-only, in a folder anyone may
    write (so nothing but the program stops a -wal or -shm from appearing there)."""
    folder = Path(tempfile.mkdtemp(prefix="checkpoint-ro-"))
    os.chmod(folder, 0o777)
    db = folder / "station.db"
    run("--db", str(db), "init", "--station-code", "K01", "--station-name", "东口", "--township", "青山镇",
        "--leader", "王队长", "--pin", "1234", code=0)
    run("--db", str(db), "register", "--as", "王队长", *PERSON, pin="1234", code=0)
    os.chmod(db, 0o444)
    yield db
    shutil.rmtree(folder, ignore_errors=True)


def test_a_read_only_file_is_read_and_leaves_nothing_beside_it(read_only_station):
    db = read_only_station
    # (station.db-queue is the writers' queue of the saves made before the file was made read-only)
    assert sorted(p.name for p in db.parent.iterdir()) == ["station.db", "station.db-queue"]
    shown = as_other_user("--db", str(db), "log", "--date", "2000-01-01")
    assert shown.returncode == 0, shown.stderr
    verified = as_other_user("--db", str(db), "audit", "verify")
    assert verified.returncode == 0 and "完整" in verified.stdout, verified.stdout + verified.stderr
    refused = as_other_user("--db", str(db), "register", "--as", "王队长", *PERSON)
    assert refused.returncode == 2 and "只读" in refused.stderr and "Traceback" not in refused.stderr
    assert sorted(p.name for p in db.parent.iterdir()) == ["station.db", "station.db-queue"]   # no -wal, -shm
    os.chmod(db, 0o644)                                  # made writable again: it takes a save at once
    run("--db", str(db), "register", "--as", "王队长", *PERSON, pin="1234", code=0)


def test_a_read_only_file_with_unfolded_saves_shows_them(read_only_station):
    db = read_only_station
    os.chmod(db, 0o644)
    keeper = sqlite3.connect(db)      # holds the file open so the save stays in the -wal
    keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()
    run("--db", str(db), "register", "--as", "王队长", *PERSON, "--destination", "第二位", pin="1234", code=0)
    os.chmod(db, 0o444)
    before = sorted(p.name for p in db.parent.iterdir())
    assert Path(f"{db}-wal").stat().st_size > 0
    shown = as_other_user("--db", str(db), "search", "3015", "--as", "王队长")
    assert shown.returncode == 0 and len(shown.stdout.strip().splitlines()) == 2, shown.stdout + shown.stderr
    assert sorted(p.name for p in db.parent.iterdir()) == before      # nothing new beside it
    keeper.close()
