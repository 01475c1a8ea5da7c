"""bench/load.py: the spinner of `python -m bench --loaded` runs while asked and never outlives it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bench import load

ROOT = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"   # a zombie has ended
    except FileNotFoundError:
        return False


def _gone_within(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds   # a deadline to stop waiting, not a measured time
    while time.monotonic() < end:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_the_spinner_runs_inside_and_is_stopped_after():
    with load.loaded() as spinner:
        assert spinner.poll() is None and _alive(spinner.pid)
    assert spinner.returncode is not None and not _alive(spinner.pid)


def test_the_spinner_is_stopped_when_the_block_fails():
    with pytest.raises(KeyboardInterrupt):
        with load.loaded() as spinner:
            raise KeyboardInterrupt
    assert spinner.returncode is not None and not _alive(spinner.pid)


def test_not_loaded_starts_nothing():
    with load.loaded(False) as spinner:
        assert spinner is None


def test_the_spinner_ends_itself_when_the_bench_is_killed(tmp_path):
    # a bench process killed with SIGKILL runs no `finally`: the spinner must notice its parent is gone
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from bench import load
        spinner = load.start()
        print(spinner.pid, flush=True)
        time.sleep(60)
    """)
    bench = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(bench.stdout.readline())
        assert _alive(pid)
    finally:
        bench.kill()
        bench.wait()
    assert _gone_within(pid, 30), "the spinner outlived the bench"
