"""One `checkpoint` command in a process of its own: its wall time, its own peak memory, its output.

Peak memory is the process's own high-water mark (VmHWM, read at exit by a wrapper that runs the
real entry point, `checkpoint.console.run`, in the same process) — not getrusage's ru_maxrss, which
Linux carries over fork and exec from the (large) bench process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WRAPPER = """
import atexit, sys
def _peak():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    sys.stderr.write("PEAK_KB %s\\n" % line.split()[1])
    except OSError:
        pass
atexit.register(_peak)
sys.argv = ["checkpoint", *sys.argv[1:]]
from checkpoint.console import run
run()
"""


@dataclass(frozen=True)
class Ran:
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str
    returncode: int


def run_checkpoint(*args: str, env: dict | None = None, timeout: float = 600) -> Ran:
    """`checkpoint ARGS...` (Chinese messages) in a process of its own, from the repository's root."""
    full_env = {**os.environ, "CHECKPOINT_LANG": "zh", **(env or {})}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], capture_output=True, text=True, env=full_env,
                          cwd=ROOT, timeout=timeout)
    seconds = time.perf_counter() - started
    peak = next((int(line.split()[1]) / 1024 for line in done.stderr.splitlines() if line.startswith("PEAK_KB")),
                float("nan"))
    return Ran(seconds, peak, done.stdout, done.stderr, done.returncode)
