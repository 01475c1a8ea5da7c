"""What a duty officer waits for at the desk, on a database of a year's registrations.

- save one registration (a car with 3 persons), durable, beside 4 bare INSERTs into 2 unindexed
  tables + COMMIT with the same pragmas, and beside the same rows written straight into the real
  schema's tables with their indexes (no audit, no service); the save's own SQL with its audit
  rows is reported too (the floor);
- a keystroke in the registration form until the screen is updated (Pilot), beside the same
  keystroke in an empty Textual app with one Input (bench/terminal.py times it in a real terminal);
- (the keys a person presses are counted, and what was saved checked, in bench/desk_keys.py);
- process start → desk ready (login typed by Pilot), beside `python -c "import textual.app"`;
- the peak memory of the UI open on the year's database, the review (F9) open too with its counts
  of the whole year computed.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bench.stats import row, summary, timings, value_row

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def build(path: Path, entries: int) -> float:
    from checkpoint.services import demo
    from checkpoint.store import open_store

    if path.exists():
        path.unlink()
    started = time.perf_counter()
    store = open_store(path)
    demo.create_demo(store, entries=entries, days=365)
    store.close()
    return time.perf_counter() - started


def save_figures(path: Path, repeat: int = 200) -> list[dict]:
    from checkpoint.domain.registration import PersonForm, VehicleForm
    from checkpoint.services import accounts, registration
    from checkpoint.store import open_store

    store = open_store(path)
    who = accounts.authenticate(store, "王建国", "1234")
    people = [PersonForm(name=n, doc_no=d, phone="13800001111", origin="湖北省宜昌市", temp="36.5", direction="in",
                         disposition="release")
              for n, d in (("张伟", "110108198506123015"), ("李芳", "11010519491231002X"), ("王强", "110101200001010037"))]
    car = VehicleForm(plate="鄂Q12345")
    saved = summary(timings(lambda i: registration.register(store, who, people, car), repeat))
    last = registration.register(store, who, people, car)
    store.checkpoint()
    store.close()
    # the floor and the same-schema baseline run on a copy: their audit rows carry dummy hashes (or
    # none), which would break the year's chain
    copy = path.with_name("floor-save.db")
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    floor = summary(timings(_sql_only(conn, last, audited=True), repeat))
    same_schema = summary(timings(_sql_only(conn, last, audited=False), repeat))
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)

    bare_path = path.with_name("bare-save.db")
    bare_path.unlink(missing_ok=True)
    bare = sqlite3.connect(bare_path, isolation_level=None)
    bare.execute("PRAGMA journal_mode=WAL")
    bare.execute("PRAGMA synchronous=FULL")
    bare.execute("CREATE TABLE v (id INTEGER PRIMARY KEY, plate TEXT, t TEXT)")
    bare.execute("CREATE TABLE e (id INTEGER PRIMARY KEY, v INTEGER, name TEXT, doc TEXT, temp REAL, t TEXT)")

    def bare_save(i: int) -> None:
        bare.execute("BEGIN IMMEDIATE")
        vid = bare.execute("INSERT INTO v (plate, t) VALUES (?, ?)", ("鄂Q12345", "t")).lastrowid
        for p in people:
            bare.execute("INSERT INTO e (v, name, doc, temp, t) VALUES (?, ?, ?, ?, ?)", (vid, p.name, p.doc_no, 36.5, "t"))
        bare.execute("COMMIT")

    baseline = summary(timings(bare_save, repeat))
    bare.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{bare_path}{suffix}").unlink(missing_ok=True)
    return [row("save car + 3 persons (service: durable, audited)", saved, baseline, "<= 1.5x the bare INSERTs",
                BARE_SAVE, limit=("ratio", 1.5)),
            row("  the same save, over the same rows in the real schema", saved, same_schema,
                "reported: what the service and audit add", SAME_SCHEMA_SAVE),
            row("  the save's SQL only, audit rows included (values in hand)", floor, baseline,
                "reported: the floor of the schema + audit", BARE_SAVE)]


BARE_SAVE = "4 bare INSERTs into 2 unindexed tables + COMMIT (same pragmas, synchronous=FULL)"
SAME_SCHEMA_SAVE = ("the same vehicle + 3 entries + their 3 search-index rows, straight SQL into the real tables "
                    "with all their indexes, on a copy of the year; no audit rows, no service")


def _sql_only(conn: sqlite3.Connection, saved, audited: bool):
    """The statements one save runs (vehicle, 3 entries, 3 search rows and, when `audited`, their
    4 audit rows) with every value already in hand: what the save costs with no Python work at all."""
    vehicle = conn.execute("SELECT * FROM vehicles WHERE id = ?", (saved.vehicle_id,)).fetchone()
    cursor = conn.execute("SELECT * FROM entries WHERE id = ?", (saved.entry_ids[0],))
    entry_cols = [d[0] for d in cursor.description][1:]
    entry = cursor.fetchone()[1:]
    vehicle_cols = [d[0] for d in conn.execute("SELECT * FROM vehicles LIMIT 0").description][1:]
    terms = conn.execute("SELECT terms FROM entry_search WHERE rowid = ?", (saved.entry_ids[0],)).fetchone()
    terms = terms[0] if terms and terms[0] else "zhangwei zw zhang wei 110108198506123015 13800001111 q12345"
    v_sql = f"INSERT INTO vehicles ({', '.join(vehicle_cols)}) VALUES ({', '.join('?' * len(vehicle_cols))})"
    e_sql = f"INSERT INTO entries ({', '.join(entry_cols)}) VALUES ({', '.join('?' * len(entry_cols))})"
    a_sql = ("INSERT INTO audit (at, staff_id, action, target_table, target_id, detail, digest, prev_hash, hash)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    vehicle_values = vehicle[1:]
    entry_vehicle = entry_cols.index("vehicle_id")

    def save(i: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        vid = conn.execute(v_sql, vehicle_values).lastrowid
        if audited:
            head = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0]
            conn.execute(a_sql, ("t", 1, "vehicle.register", "vehicles", vid, "{}", "d" * 64, head, "h" * 64))
        values = list(entry)
        values[entry_vehicle] = vid
        for _ in range(3):
            eid = conn.execute(e_sql, values).lastrowid
            if audited:
                conn.execute(a_sql, ("t", 1, "entry.register", "entries", eid, "{}", "d" * 64, "h" * 64, "h" * 64))
            conn.execute("INSERT INTO entry_search (rowid, terms) VALUES (?, ?)", (eid, terms))
        conn.execute("COMMIT")

    return save


async def _keystrokes(path: Path, repeat: int) -> tuple[dict, dict]:
    from textual.app import App
    from textual.widgets import Input

    from checkpoint.app import CheckpointApp
    from checkpoint.store import open_store

    store = open_store(path)
    app = CheckpointApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down", *"1234", "enter")
        await pilot.pause()
        await pilot.press("enter")  # to the ID field
        await pilot.press(*"110108", "enter", "enter")  # then the name field
        samples = []
        for i in range(repeat):
            start = time.perf_counter()
            await pilot.press("张" if i % 2 else "backspace")
            samples.append(time.perf_counter() - start)
    store.close()

    class Empty(App):
        def compose(self):
            yield Input()

    empty = Empty()
    base = []
    async with empty.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for i in range(repeat):
            start = time.perf_counter()
            await pilot.press("张" if i % 2 else "backspace")
            base.append(time.perf_counter() - start)
    return summary(samples[5:]), summary(base[5:])


def keystroke_figures(path: Path, repeat: int = 200) -> list[dict]:
    desk, empty = asyncio.run(_keystrokes(path, repeat))
    return [row("keystroke -> form updated, desk's name field (Pilot)", desk, empty,
                "p99 <= 16 ms over the empty app's p99",
                "the same key in an empty Textual app with one Input (Pilot, same size)",
                limit=("p99_over_baseline_ms", 16))]


# Peak memory of this process: VmHWM, the high-water mark of its own address space. Not
# getrusage's ru_maxrss: Linux carries that over fork and exec, so a child of the bench (which
# holds a year of generated data) would report the bench's own size, not its own.
PEAK = """
def peak_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

STARTUP = PEAK + textwrap.dedent("""
    import asyncio, sys, time
    t0 = time.perf_counter()
    from checkpoint.app import CheckpointApp
    from checkpoint.store import open_store

    async def main():
        store = open_store(sys.argv[1])
        app = CheckpointApp(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("down", "down", "down", *"1234", "enter")
            while type(app.screen).__name__ != "DeskScreen":
                await pilot.pause(0.005)
            await pilot.pause()
            ready = time.perf_counter() - t0
        store.close()
        print(ready, peak_mb())

    asyncio.run(main())
""")


MEMORY = PEAK + textwrap.dedent("""
    import asyncio, sys, time
    from checkpoint.app import CheckpointApp
    from checkpoint.store import open_store

    async def main():
        store = open_store(sys.argv[1])
        app = CheckpointApp(store)
        shown = "-"
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("down", "down", "down", *"1234", "enter")
            while type(app.screen).__name__ != "DeskScreen":
                await pilot.pause(0.005)
            await pilot.pause()
            await pilot.press("f9")
            await pilot.pause(0.2)
            shown = type(app.screen).__name__
            await pilot.press("t", *"all", "enter")      # the whole year in the table and the counts
            end = time.monotonic() + 120
            await pilot.pause(0.5)
            while time.monotonic() < end and any(w.is_running for w in app.workers):
                await pilot.pause(0.1)
            await pilot.press("end")                     # scroll to the year's other end
            await pilot.pause(0.2)
        store.close()
        print(peak_mb(), shown)

    asyncio.run(main())
""")


def memory_figures(path: Path) -> list[dict]:
    """Peak resident memory of the UI on the year's database: desk, then the review (F9) over the
    whole year, its counts and chart computed, scrolled to the end."""
    script = path.with_name("memory.py")
    script.write_text(MEMORY)
    out = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout.split()
    peak, shown = float(out[0]), out[1]
    note = "" if shown == "ReviewScreen" else f" (review not shown: {shown})"
    return [value_row("peak memory, UI + review open on the whole year", round(peak, 1), "MB", "<= 200 MB" + note,
                      limit=("median_ms", 200))]


def startup_figures(path: Path, repeat: int = 5) -> list[dict]:
    script = path.with_name("startup.py")
    script.write_text(STARTUP)
    ready, peaks, base = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, text=True, cwd=ROOT,
                             check=True).stdout.split()
        total = time.perf_counter() - start
        ready.append(total)
        peaks.append(float(out[1]))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import textual.app"], check=True)
        base.append(time.perf_counter() - start)
    peak = max(peaks)
    return [row("process start -> desk ready (Pilot types the login)", summary(ready), summary(base), "<= 1.0 s",
                "python -c 'import textual.app' (a process)", limit=("median_ms", 1000)),
            value_row("peak memory, UI open at the desk", round(peak, 1), "MB", "<= 200 MB", n=repeat,
                      limit=("median_ms", 200))]


if __name__ == "__main__":
    from bench.stats import print_table

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    db = data / "year.db"
    seconds = build(db, n)
    print(json.dumps({"generated": n, "seconds": round(seconds, 1)}))
    from bench import desk_keys

    print_table(save_figures(db) + keystroke_figures(db) + desk_keys.key_figures(db) + startup_figures(db)
                + memory_figures(db))
