"""`python -m bench --loaded`: the figures measured while one CPU-bound process spins beside them,
as on a station laptop that runs something else too.

The spinner is a child process of the bench, started before the first figure and stopped after the
last; it is ended in a `finally` (an error, Ctrl+C) and it also ends itself when the bench is gone
(killed with SIGKILL, where no `finally` runs): it checks its parent's pid between short spins.
On Linux it is pinned to one CPU (the last), so it takes one core, not a share of each.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SPIN = """
import os, sys
parent = int(sys.argv[1])
while os.getppid() == parent:
    for _ in range(200000):
        pass
"""


def start() -> subprocess.Popen:
    """A process spinning on one CPU until `stop` (or until this process is gone)."""
    spinner = subprocess.Popen([sys.executable, "-c", SPIN, str(os.getpid())], stdin=subprocess.DEVNULL)
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        try:
            os.sched_setaffinity(spinner.pid, {os.cpu_count() - 1})
        except OSError:
            pass   # not allowed here: it still spins, on whichever CPU it is given
    return spinner


def stop(spinner: subprocess.Popen) -> None:
    if spinner.poll() is None:
        spinner.kill()
    spinner.wait()


@contextmanager
def loaded(on: bool = True) -> Iterator[subprocess.Popen | None]:
    """While inside, one CPU-bound process runs (when `on`); it is stopped however the block ends."""
    if not on:
        yield None
        return
    spinner = start()
    try:
        yield spinner
    finally:
        stop(spinner)
