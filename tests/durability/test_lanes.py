"""Three lanes (three processes) register into one database file at the same time: every saved
entry is there once, no "database is locked" reaches anybody, and the audit chain stays whole."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

LANE = textwrap.dedent("""
    import sys, time
    from checkpoint.domain.registration import PersonForm
    from checkpoint.errors import CheckpointError
    from checkpoint.services import accounts, registration
    from checkpoint.store import open_store

    store = open_store(sys.argv[1])
    who = accounts.authenticate(store, "李四", "2222")
    lane = sys.argv[2]
    print("ready", flush=True)
    sys.stdin.readline()                       # all lanes start together
    until = time.monotonic() + float(sys.argv[3])
    while time.monotonic() < until:
        try:
            saved = registration.register(store, who, [PersonForm(
                name="张伟", doc_no="110108198506123015", phone="13800001111", origin="本地", temp="36.5",
                direction="in", disposition="release", destination=lane)])
        except CheckpointError as exc:          # what a person would read
            print("ERROR", exc.message, flush=True)
            continue
        print(*saved.entry_ids, flush=True)
""")


def test_three_lanes_write_at_once_and_lose_nothing(tmp_path, station, db_path):
    station.close()
    script = tmp_path / "lane.py"
    script.write_text(LANE)
    lanes = [subprocess.Popen([sys.executable, str(script), str(db_path), f"lane{i}", "3"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(3)]
    for proc in lanes:
        assert proc.stdout.readline().strip() == "ready"
    for proc in lanes:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reported: dict[str, list[int]] = {}
    for i, proc in enumerate(lanes):
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        lines = out.splitlines()
        assert not [line for line in lines if line.startswith("ERROR")], lines[:5]
        reported[f"lane{i}"] = [int(line) for line in lines]
    all_ids = [i for ids in reported.values() for i in ids]
    assert all(len(ids) > 5 for ids in reported.values())          # each lane really wrote
    assert len(all_ids) == len(set(all_ids))                       # no id given twice
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
