"""Three lanes (three processes) register into one database file at the same time, continuously,
for 30 seconds: every saved entry is there once, no "database is locked" reaches anybody, the audit
chain stays whole, and no lane starves (issue #16, hole 10) - each lane makes at least a fifth of
the saves, and no save waits more than a second for the others.

The waits are counted, not timed against a budget: each save reports when its lane asked for the
write lock and when it got it (`Store.last_asked`, `Store.last_granted`, time.monotonic(), one
clock for every process on the machine), and the test takes the largest difference."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest

SECONDS = 30
LANE = textwrap.dedent("""
    import sys, time
    from checkpoint.domain.registration import PersonForm
    from checkpoint.errors import CheckpointError
    from checkpoint.services import accounts, registration
    from checkpoint.store import open_store

    store = open_store(sys.argv[1])
    who = accounts.authenticate(store, "李四", "2222")
    lane = sys.argv[2]
    # each save's line goes to a file of the lane's own (a pipe the test reads later would fill up
    # and stop the lane: that is the test starving it, not the database)
    out = open(sys.argv[4], "w", encoding="utf-8")
    print("ready", flush=True)
    sys.stdin.readline()                       # all lanes start together
    until = time.monotonic() + float(sys.argv[3])
    while time.monotonic() < until:
        try:
            saved = registration.register(store, who, [PersonForm(
                name="张伟", doc_no="110108198506123015", phone="13800001111", origin="本地", temp="36.5",
                direction="in", disposition="release", destination=lane)])
        except CheckpointError as exc:          # what a person would read
            print("ERROR", exc.message, file=out, flush=True)
            continue
        print(saved.entry_ids[0], store.last_asked, store.last_granted, file=out)
    out.close()
""")


@pytest.mark.slow
def test_three_lanes_save_continuously_lose_nothing_and_none_starves(tmp_path, station, db_path):
    station.close()
    script = tmp_path / "lane.py"
    script.write_text(LANE)
    lanes = [subprocess.Popen([sys.executable, str(script), str(db_path), f"lane{i}", str(SECONDS),
                               str(tmp_path / f"lane{i}.txt")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(3)]
    for proc in lanes:
        assert proc.stdout.readline().strip() == "ready"
    for proc in lanes:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reported: dict[str, list[int]] = {}
    waits: dict[str, list[float]] = {}
    for i, proc in enumerate(lanes):
        _, err = proc.communicate(timeout=SECONDS + 120)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        lines = (tmp_path / f"lane{i}.txt").read_text(encoding="utf-8").splitlines()
        assert not [line for line in lines if line.startswith("ERROR")], lines[:5]
        rows = [line.split() for line in lines]
        reported[f"lane{i}"] = [int(r[0]) for r in rows]
        waits[f"lane{i}"] = [float(r[2]) - float(r[1]) for r in rows]
    all_ids = [i for ids in reported.values() for i in ids]
    assert len(all_ids) == len(set(all_ids))                       # no id given twice
    shares = {lane: len(ids) / len(all_ids) for lane, ids in reported.items()}
    assert min(shares.values()) >= 0.20, shares                    # no lane starves
    longest = max(w for ws in waits.values() for w in ws)
    assert longest <= 1.0, (longest, {lane: max(ws) for lane, ws in waits.items()})
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT id, destination FROM entries").fetchall()
    finally:
        conn.close()
    assert len(rows) == len(all_ids)                               # nothing extra, nothing missing
    stored = {lane: sorted(i for i, dest in rows if dest == lane) for lane in reported}
    assert stored == {lane: sorted(ids) for lane, ids in reported.items()}

    from checkpoint.services.audit import verify_chain
    from checkpoint.store import open_store

    with open_store(db_path) as reopened:
        assert verify_chain(reopened).whole                        # one chain, interleaved correctly


def test_two_connections_in_one_process_queue_like_two_lanes(tmp_path, station, db_path):
    # The desk and a worker thread each have a connection: the queue's locks belong to each one's
    # own open file, so the second waits for the first instead of slipping past it.
    from checkpoint.database import lanes
    from checkpoint.store import open_store

    assert lanes.available()          # this machine has open-file-description locks (Linux)
    first, second = lanes.WriterQueue(db_path), lanes.WriterQueue(db_path)
    try:
        assert first.acquire(1.0)
        assert not second.acquire(0.05)       # its turn does not come while the first holds
        first.release()
        assert second.acquire(1.0)
        second.release()
    finally:
        first.close()
        second.close()
    with open_store(db_path) as other:
        with other.write():
            pass
        assert other.last_granted >= other.last_asked > 0
