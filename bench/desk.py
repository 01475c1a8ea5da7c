"""What a duty officer waits for at the desk, on a database of a year's registrations.

- save one registration (a car with 3 persons), durable, beside bare sqlite3 INSERTs + COMMIT with the
  same pragmas;
- a keystroke in the registration form until the screen is updated (Pilot), beside the same
  keystroke in an empty Textual app with one Input;
- open the app → desk ready (login typed), beside `python -c "import textual"`; and the peak memory
  of that process.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from bench.stats import row, summary, timings

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
    store.close()

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
    return [row("save car + 3 persons (durable, audited)", saved, baseline, "<= 1.5x baseline")]


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
    return [row("keystroke -> form updated (Pilot)", desk, empty, "p99 <= 16 ms over the empty app's")]


STARTUP = textwrap.dedent("""
    import asyncio, resource, sys, time
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
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(ready, peak)

    asyncio.run(main())
""")


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
    return [row("open app -> desk ready (process, login typed)", summary(ready), summary(base), "<= 1.0 s"),
            {"figure": "peak memory, UI open (MB)", "median_ms": peak, "p99_ms": peak, "n": repeat,
             "baseline_median_ms": None, "baseline_p99_ms": None, "ratio": None, "target": "<= 200 MB"}]


if __name__ == "__main__":
    from bench.stats import print_table

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    db = data / "year.db"
    seconds = build(db, n)
    print(json.dumps({"generated": n, "seconds": round(seconds, 1)}))
    print_table(save_figures(db) + keystroke_figures(db) + startup_figures(db))
