"""A power cut mid-save loses nothing that was reported saved.

A subprocess registers people in a loop and prints each id only after `register` has returned
(the commit is durable: WAL + synchronous=FULL). The test kills it with SIGKILL at random moments,
20 times, and checks every printed id is in the database and the file is intact.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

WRITER = textwrap.dedent("""
    import sys
    from checkpoint.domain.registration import PersonForm, VehicleForm
    from checkpoint.services import accounts, registration
    from checkpoint.store import open_store

    store = open_store(sys.argv[1])
    who = accounts.authenticate(store, "李四", "2222")
    print("ready", flush=True)
    while True:
        saved = registration.register(store, who, [
            PersonForm(name="张伟", doc_no="110108198506123015", phone="13800001111", origin="本地", temp="36.5",
                       direction="in", disposition="release"),
            PersonForm(name="李芳", doc_no="11010519491231002X", phone="13900002222", origin="本地", temp="36.6",
                       direction="in", disposition="release")], VehicleForm(plate="粤B12345"))
        print(*saved.entry_ids, flush=True)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_twenty_kills_lose_no_reported_registration(tmp_path, station, db_path):
    station.close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(2026)
    reported: set[int] = set()
    for _ in range(20):
        proc = subprocess.Popen([sys.executable, str(script), str(db_path)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        # the first save loads the pinyin dictionaries (a third of a second, more on a busy machine):
        # the random kill starts after it, so every run kills a writer that is saving
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        out = first + out
        for line in out.splitlines():
            reported.update(int(x) for x in line.split() if x.isdigit())
    assert len(reported) > 20
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM entries")}
        orphans = conn.execute("SELECT count(*) FROM vehicles v WHERE NOT EXISTS "
                               "(SELECT 1 FROM entries e WHERE e.vehicle_id = v.id)").fetchone()[0]
    finally:
        conn.close()
    assert reported <= stored            # everything reported saved is there
    assert orphans == 0                  # no vehicle saved without its persons: all or nothing

    from checkpoint.services.audit import verify_chain
    from checkpoint.store import open_store

    reopened = open_store(db_path)
    try:
        assert verify_chain(reopened).whole
    finally:
        reopened.close()
