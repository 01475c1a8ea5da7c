"""The benchmark suite's one entry point: `python -m bench` (see bench/README.md).

Builds its data under bench/data/ once and measures every figure on it, prints a table, writes
bench/results.json (`--loaded`: bench/results-loaded.json). `--reuse` measures on the data of an
earlier run (no generation figures then). `--loaded` measures the same figures while one
CPU-bound process spins on one core (bench/load.py). Every run records the machine, the date and
how busy the machine was before it started and when it ended (bench/machine.py); the README's
tables are made from these files by `python -m bench.table`. Not run by the tests.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

from bench import load, machine

HERE = Path(__file__).resolve().parent


def _generated(name: str, seconds: float, target: str) -> dict:
    return {"figure": name, "median_ms": round(seconds * 1000, 1), "p99_ms": None, "n": 1, "baseline": None,
            "baseline_median_ms": None, "baseline_p99_ms": None, "ratio": None, "target": target, "limit": None}


def _not_measured(name: str, error: BaseException) -> dict:
    return {"figure": name, "median_ms": None, "p99_ms": None, "n": 0, "baseline": None, "baseline_median_ms": None,
            "baseline_p99_ms": None, "ratio": None, "limit": None,
            "target": f"NOT MEASURED: {type(error).__name__}: {str(error)[:120]}"}


def _part(rows: list[dict], name: str, figures) -> None:
    """The rows of one part; a part that fails becomes a row saying so, and the run goes on."""
    try:
        rows += figures()
    except Exception as e:   # noqa: BLE001 - any failure of a part is reported in its row, not hidden
        import traceback

        traceback.print_exc()
        rows.append(_not_measured(name, e))


def measure(data: Path, reuse: bool, step) -> list[dict]:
    """Every row, in the order of the table."""
    from bench import audit_verify, desk, desk_keys, export, pass_photo, pass_scan, review, terminal, township

    rows: list[dict] = []
    step("passes")
    if reuse and (data / "passes.db").exists():
        tokens = pass_scan.tokens_of(data / "passes.db")
    else:
        built = pass_scan.build(data / "passes.db", 100_000, 1_000_000)
        tokens = built["tokens"]
        rows.append(_generated("generate 100,000 passes + 1,000,000 crossings", built["seconds"], "reported"))
    _part(rows, "scan", lambda: pass_scan.measure(data / "passes.db", tokens))

    year = data / "year.db"
    if not (reuse and year.exists()):
        step("year of registrations")
        seconds = desk.build(year, 1_000_000)
        rows.append(_generated("generate 1,000,000 registrations (demo)", seconds, "minutes, not hours"))
    day = export.busy_day(year)
    seconds = export.add_busy_day(year, day)
    if seconds > 1:
        rows.append(_generated(f"top {day} up to {export.BUSY_DAY:,} entries (demo)", seconds, "reported"))

    step("desk: save, keystroke, keys")
    _part(rows, "save", lambda: desk.save_figures(year))
    _part(rows, "keystroke (Pilot)", lambda: desk.keystroke_figures(year))
    step("real terminal: keystroke")
    _part(rows, "keystroke (real terminal)", lambda: terminal.keystroke_figures(year))
    _part(rows, "keys typed", lambda: desk_keys.key_figures(year))
    step("review")
    _part(rows, "review", lambda: review.search_figures(year))
    step("export")
    _part(rows, "export", lambda: export.export_figures(year, day))
    step("start-up and memory")
    _part(rows, "start-up (Pilot)", lambda: desk.startup_figures(year))
    step("real terminal: start-up and login")
    _part(rows, "start-up and login (real terminal)", lambda: terminal.login_figures(year))
    _part(rows, "memory, UI + review", lambda: desk.memory_figures(year))
    step("audit verify")
    _part(rows, "audit verify", lambda: audit_verify.verify_figures(year))
    step("pass verify --image, 50 MP photo")
    _part(rows, "pass verify --image", lambda: pass_photo.photo_figures(data / "photo"))

    town = data / "township"
    if not (reuse and (town / "template.db").exists()):
        step("township: 100 stations")
        seconds = township.build(town)
        rows.append(_generated("make 100 stations x 2,000 entries + export (2 processes)", seconds, "reported"))
    step("township collect")
    _part(rows, "township collect", lambda: township.collect_figures(town))
    return rows


def _terminated(signum, frame):
    raise SystemExit(128 + signum)   # so the spinner's `finally` runs on a plain `kill` too


def main(argv: list[str] | None = None) -> None:
    from bench.stats import print_table

    parser = argparse.ArgumentParser(prog="python -m bench", description="Measure what a duty officer waits for.")
    parser.add_argument("--reuse", action="store_true", help="measure on the data of an earlier run")
    parser.add_argument("--loaded", action="store_true", help="with one CPU-bound process spinning beside")
    parser.add_argument("--out", type=Path, default=None,
                        help="results file (bench/results.json, or bench/results-loaded.json with --loaded)")
    args = parser.parse_args(argv)
    out = args.out or HERE / ("results-loaded.json" if args.loaded else "results.json")
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    (data / ".gitignore").write_text("# made by `python -m bench`\n*\n")
    signal.signal(signal.SIGTERM, _terminated)

    about = machine.describe()   # before the spinner: how busy the machine was without the bench
    notes: list[str] = []
    started = time.perf_counter()

    def step(name: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {name}", file=sys.stderr, flush=True)

    with load.loaded(args.loaded):
        rows = measure(data, args.reuse, step)
        about["load_average_end"] = machine.load_average()   # the spinner still counted, as it ran
    total = time.perf_counter() - started
    step("done")
    rows.append(_generated("the whole run (python -m bench" + (" --loaded" if args.loaded else "")
                           + (" --reuse" if args.reuse else "") + ")", total, "<= 15 min"))
    rows[-1]["limit"] = {"of": "median_ms", "max": 15 * 60 * 1000}
    print_table(rows)
    result = {"loaded": args.loaded, "reuse": args.reuse, "machine": about, "total_seconds": round(total, 1),
              "notes": notes, "rows": rows}
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written: {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
