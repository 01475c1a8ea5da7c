"""The benchmark suite's one entry point: `python -m bench` (see bench/README.md).

Builds its data under bench/data/, prints a table, writes bench/results.json. Not run by the tests.
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

from bench import desk, pass_scan
from bench.stats import print_table

HERE = Path(__file__).resolve().parent


def main() -> None:
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    started = time.perf_counter()
    rows: list[dict] = []
    built = pass_scan.build(data / "passes.db", 100_000, 1_000_000)
    rows.append({"figure": "generate 100,000 passes + 1,000,000 crossings", "median_ms": built["seconds"] * 1000,
                 "p99_ms": built["seconds"] * 1000, "n": 1, "baseline_median_ms": None, "baseline_p99_ms": None,
                 "ratio": None, "target": "reported"})
    rows += pass_scan.measure(data / "passes.db", built["tokens"])
    seconds = desk.build(data / "year.db", 1_000_000)
    rows.append({"figure": "generate 1,000,000 registrations (demo)", "median_ms": seconds * 1000,
                 "p99_ms": seconds * 1000, "n": 1, "baseline_median_ms": None, "baseline_p99_ms": None,
                 "ratio": None, "target": "minutes, not hours"})
    rows += desk.save_figures(data / "year.db")
    rows += desk.keystroke_figures(data / "year.db")
    rows += desk.startup_figures(data / "year.db")
    print_table(rows)
    result = {"machine": platform.platform(), "python": platform.python_version(),
              "total_seconds": round(time.perf_counter() - started, 1), "rows": rows}
    (HERE / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
