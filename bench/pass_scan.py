"""Scan → verdict and crossing logged, at 100,000 passes and 1,000,000 crossings.

The passes are issued for real (signed tokens); the crossing log is filled in bulk, straight into
the tables (bench data, not the program's path: the chain of audit rows is not needed to measure
a scan). Baseline in the same run: one Ed25519 verify plus one INSERT + COMMIT with the same pragmas.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.stats import row, summary, timings
from checkpoint.domain import pass_token
from checkpoint.domain.masking import mask_name
from checkpoint.services import accounts, keys, passes
from checkpoint.services.setup import init_station
from checkpoint.store import open_store

DAY0 = dt.date(2026, 1, 1)


def build(path: Path, n_passes: int, n_crossings: int) -> dict:
    if path.exists():
        path.unlink()
    start = time.perf_counter()
    store = open_store(path)
    init_station(store, "B01", "基准卡点", "青山镇", "王队长", "1234")
    key = keys.ensure_station_key(store)
    sign = keys.signer(key)
    rng = random.Random(1)
    staff_id = store.read_one("SELECT id FROM staff")["id"]
    pass_rows, tokens = [], []
    for i in range(1, n_passes + 1):
        number = f"B01-{i:06d}"
        start_day = DAY0 + dt.timedelta(days=rng.randrange(300))
        claims = pass_token.PassClaims(number=number, kind="household", key_id=key["key_id"], valid_from=start_day,
                                       valid_to=DAY0 + dt.timedelta(days=400), exits=1, per_days=2, back_by=18 * 60,
                                       holder=mask_name("张三丰"), id_last4="002X")
        token = pass_token.encode(claims, sign)
        tokens.append(token)
        pass_rows.append((number, "household", "张三丰", "11010519491231002X", "红旗村", "[]", "", "", "", "", "",
                          claims.valid_from.isoformat(), claims.valid_to.isoformat(), 1, 2, 18 * 60, key["key_id"],
                          token, "2026-01-01T00:00:00+00:00", claims.valid_from.isoformat(), staff_id))
    conn = store.conn
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO passes (number, kind, holder_name, holder_doc_no, village, members, plate, route, "
                     "cargo, reason, employer, valid_from, valid_to, exits, per_days, back_by, key_id, token, "
                     "issued_at, local_day, staff_id) VALUES (" + ",".join("?" * 21) + ")", pass_rows)
    batch = []
    for i in range(n_crossings):
        number = f"B01-{rng.randrange(1, n_passes + 1):06d}"
        day = DAY0 + dt.timedelta(days=i * 300 // max(n_crossings, 1))
        at = dt.datetime.combine(day, dt.time(8, 0), dt.timezone.utc).isoformat()
        batch.append((at, day.isoformat(), key["key_id"], number, "in" if i % 2 else "out",
                      "valid", "verdict.why_out", staff_id))
        if len(batch) == 50_000:
            conn.executemany("INSERT INTO crossings (at, local_day, key_id, pass_number, direction, verdict, reason, "
                             "staff_id) VALUES (?,?,?,?,?,?,?,?)", batch)
            batch.clear()
    if batch:
        conn.executemany("INSERT INTO crossings (at, local_day, key_id, pass_number, direction, verdict, reason, "
                         "staff_id) VALUES (?,?,?,?,?,?,?,?)", batch)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    store.close()
    return {"seconds": time.perf_counter() - start, "tokens": tokens}


def tokens_of(path: Path) -> list[str]:
    """The tokens of the passes an earlier `build` made (`python -m bench --reuse`)."""
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT token FROM passes ORDER BY id")]
    finally:
        conn.close()


def measure(path: Path, tokens: list[str], repeat: int = 300) -> list[dict]:
    store = open_store(path)
    guard = accounts.authenticate(store, "王队长", "1234")
    now = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.timezone.utc)
    rng = random.Random(2)
    picks = [rng.choice(tokens) for _ in range(repeat + 10)]
    scan = summary(timings(lambda i: passes.verify_scan(store, guard, picks[i], "out", now=now), repeat))
    out_list = summary(timings(lambda i: passes.out_not_back(store, now=now), 50))
    store.close()

    # Baseline: the bare cost of the same work, on the same machine, in the same run.
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    message = b"x" * 90
    signature = key.sign(message)
    bare_path = path.with_name("bare.db")
    if bare_path.exists():
        bare_path.unlink()
    bare = sqlite3.connect(bare_path, isolation_level=None)
    bare.execute("PRAGMA journal_mode=WAL")
    bare.execute("PRAGMA synchronous=FULL")
    bare.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, at TEXT, number TEXT, verdict TEXT)")

    def bare_scan(i: int) -> None:
        public.verify(signature, message)
        bare.execute("BEGIN IMMEDIATE")
        bare.execute("INSERT INTO c (at, number, verdict) VALUES (?, ?, ?)", ("t", "n", "valid"))
        bare.execute("COMMIT")

    baseline = summary(timings(bare_scan, repeat))
    bare.close()
    return [row("scan -> verdict + crossing logged (service)", scan, baseline, "p99 <= 30 ms, well under 100",
                "one Ed25519 verify + 1 INSERT into an unindexed table + COMMIT (same pragmas)",
                limit=("p99_ms", 30)),
            row("out-and-not-back list after a scan", out_list, None, "instant")]


if __name__ == "__main__":
    import sys

    folder = Path(__file__).resolve().parent / "data"
    folder.mkdir(exist_ok=True)
    n_passes, n_crossings = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) > 2 else (100_000, 1_000_000)
    built = build(folder / "passes.db", n_passes, n_crossings)
    print(json.dumps({"built_seconds": round(built["seconds"], 1)}))
    from bench.stats import print_table

    print_table(measure(folder / "passes.db", built["tokens"]))
