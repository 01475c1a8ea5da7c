"""`checkpoint audit verify` shows a progress bar at a terminal (a year's chain takes seconds, #18),
ends it before the verdict, and prints none into a pipe or a file."""

from __future__ import annotations

import os
import pty
import re
import select
import sqlite3
import sys

import pytest

from tests.cli.test_cli import register, run

LABEL = "核对审计链"


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "station.db")
    run("init", "--station-code", "K01", "--station-name", "东口卡点", "--township", "青山镇", "--leader", "王队长",
        "--pin", "1234", "--db", path, code=0)
    run("--db", path, "staff", "add", "--name", "李四", "--role", "staff", "--pin", "2222", "--as", "王队长",
        pin="1234", code=0)
    register(path, "--temp", "36.5", code=0)
    return path


def at_terminal(*args: str) -> tuple[int, str]:
    """Exit code and everything a terminal shows while the command runs (stdout and stderr both the pty)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    env["CHECKPOINT_LANG"] = "zh"
    env["COLUMNS"] = "100"
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "checkpoint", *args], env)
    seen = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        assert ready, seen.decode(errors="replace")
        try:
            chunk = os.read(fd, 4096)
        except OSError:   # the terminal closed: the command has ended
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", errors="replace")


def last_bar_and_after(shown: str) -> tuple[str, str]:
    """The bar as last drawn, and what the terminal shows after it (click hides the cursor while it
    draws and shows it again when the bar ends)."""
    assert "\x1b[?25h" in shown, shown
    drawing, after = shown.split("\x1b[?25h", 1)
    bar = drawing.rsplit("\r", 1)[1]
    assert bar.removeprefix("\x1b[?25l").startswith(LABEL), shown
    assert after.startswith("\r\n"), shown   # the verdict on a line of its own
    return bar, after


def test_a_terminal_sees_the_bar_reach_the_end_then_the_verdict_on_its_own_line(db):
    code, shown = at_terminal("--db", db, "audit", "verify")
    assert code == 0, shown
    assert "Traceback" not in shown
    bar, after = last_bar_and_after(shown)
    assert re.search(r"\[#+\]\s+100%", bar), bar     # full
    assert shown.count(LABEL) >= 3                  # drawn more than at its start and its end
    assert "审计链完整" in after and LABEL not in after


def test_a_broken_chain_ends_the_bar_before_naming_the_row(db):
    conn = sqlite3.connect(db)
    conn.execute("UPDATE entries SET name = '王五'")
    conn.commit()
    conn.close()
    code, shown = at_terminal("--db", db, "audit", "verify")
    assert code == 1, shown
    bar, after = last_bar_and_after(shown)
    assert "entries" in after and LABEL not in after and "100%" not in bar


def test_a_pipe_gets_the_verdict_and_no_bar(db):
    done = run("--db", db, "audit", "verify", code=0)
    assert "审计链完整" in done.stdout
    assert LABEL not in done.stderr + done.stdout
    assert "\r" not in done.stderr + done.stdout and "\x1b" not in done.stderr + done.stdout
