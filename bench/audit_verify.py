"""`checkpoint audit verify` of the year's database (about 1.26 million audit rows): the real command
in a process of its own, its wall time and its peak memory.

Baselines in the same run: for the time, every audit row read through sqlite3 and one SHA-256 over
each row's fields (the least a chain check must do, with no other check); for the memory, the same
command on a fresh station of a handful of audit rows (memory that stays flat stays near it).

`python -m bench.audit_verify [PATH]` (bench/data/year.db by default).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from bench.process import ROOT, run_checkpoint
from bench.stats import row, summary, value_row

BARE = textwrap.dedent("""
    import hashlib, sqlite3, sys
    conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    n = 0
    for r in conn.execute("SELECT id, at, staff_id, action, target_table, target_id, detail, digest, prev_hash, hash"
                          " FROM audit ORDER BY id"):
        hashlib.sha256("|".join(map(str, r)).encode()).hexdigest()
        n += 1
    print(n)
""")


def _fresh_station(folder: Path) -> Path:
    from checkpoint.services.setup import init_station
    from checkpoint.store import open_store

    db = folder / "fresh.db"
    store = open_store(db)
    try:
        init_station(store, "A01", "审计卡点", "青山镇", "王队长", "1234")
    finally:
        store.close()
    return db


def verify_figures(path: Path, repeat: int = 2) -> list[dict]:
    rows_in_chain = None
    times, peaks, wrong = [], [], ""
    for _ in range(repeat):
        ran = run_checkpoint("--db", str(path), "audit", "verify", timeout=900)
        times.append(ran.seconds)
        peaks.append(ran.peak_mb)
        if ran.returncode != 0:
            wrong = f" (WRONG: exit {ran.returncode}: {(ran.stdout + ran.stderr).strip()[-80:]})"
    base = []
    for _ in range(repeat):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", BARE, str(path)], capture_output=True, text=True, cwd=ROOT,
                             check=True).stdout
        base.append(time.perf_counter() - started)
        rows_in_chain = int(out.strip())
    with tempfile.TemporaryDirectory() as tmp:
        fresh = _fresh_station(Path(tmp))
        small = max(run_checkpoint("--db", str(fresh), "audit", "verify").peak_mb for _ in range(repeat))
    peak = max(peaks)
    return [
        row(f"audit verify, {rows_in_chain:,} audit rows (a process)", summary(times), summary(base),
            "<= 10 s, a progress bar" + wrong,
            "every audit row read (sqlite3) and one SHA-256 over its fields, nothing checked (a process)",
            limit=("median_ms", 10_000)),
        value_row("  its peak memory", round(peak, 1), "MB", "flat: near the fresh station's" + wrong, n=repeat,
                  baseline=round(small, 1), baseline_name="the same command on a fresh station (a few audit rows)",
                  limit=("ratio", 1.5)),
    ]


if __name__ == "__main__":
    from bench.stats import print_table

    print_table(verify_figures(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "bench" / "data" / "year.db")))
