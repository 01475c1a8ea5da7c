"""The benchmark suite's one entry point: `python -m bench` (see bench/README.md).

Builds its data under bench/data/ once and measures every figure on it, prints a table, writes
bench/results.json. `python -m bench --reuse` measures on the data of an earlier run (no
generation figures then). Not run by the tests.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

from bench import desk, desk_keys, export, pass_scan, review, township
from bench.stats import print_table

HERE = Path(__file__).resolve().parent


def _generated(name: str, seconds: float, target: str) -> dict:
    return {"figure": name, "median_ms": seconds * 1000, "p99_ms": seconds * 1000, "n": 1,
            "baseline_median_ms": None, "baseline_p99_ms": None, "ratio": None, "target": target}


def main() -> None:
    reuse = "--reuse" in sys.argv[1:]
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    (data / ".gitignore").write_text("# made by `python -m bench`\n*\n")
    started = time.perf_counter()
    rows: list[dict] = []

    def step(name: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {name}", file=sys.stderr, flush=True)

    step("passes")
    if reuse and (data / "passes.db").exists():
        tokens = pass_scan.tokens_of(data / "passes.db")
    else:
        built = pass_scan.build(data / "passes.db", 100_000, 1_000_000)
        tokens = built["tokens"]
        rows.append(_generated("generate 100,000 passes + 1,000,000 crossings", built["seconds"], "reported"))
    rows += pass_scan.measure(data / "passes.db", tokens)

    year = data / "year.db"
    if not (reuse and year.exists()):
        step("year of registrations")
        seconds = desk.build(year, 1_000_000)
        rows.append(_generated("generate 1,000,000 registrations (demo)", seconds, "minutes, not hours"))
    day = export.busy_day(year)
    seconds = export.add_busy_day(year, day)
    if seconds > 1:
        rows.append(_generated(f"top {day} up to {export.BUSY_DAY:,} entries (demo)", seconds, "reported"))

    step("desk")
    rows += desk.save_figures(year)
    rows += desk.keystroke_figures(year)
    rows += desk_keys.key_figures(year)
    step("review")
    rows += review.search_figures(year)
    step("export")
    rows += export.export_figures(year, day)
    step("start-up and memory")
    rows += desk.startup_figures(year)
    rows += desk.memory_figures(year)

    town = data / "township"
    if not (reuse and (town / "template.db").exists()):
        step("township: 100 stations")
        seconds = township.build(town)
        rows.append(_generated("make 100 stations x 2,000 entries + export (2 processes)", seconds, "reported"))
    step("township collect")
    rows += township.collect_figures(town)

    total = time.perf_counter() - started
    step("done")
    rows.append(_generated("the whole run (python -m bench)", total, "<= 15 min"))
    print_table(rows)
    result = {"machine": platform.platform(), "python": platform.python_version(), "reuse": reuse,
              "total_seconds": round(total, 1), "rows": rows}
    (HERE / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
