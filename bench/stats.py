"""Median and p99 of repeated timings, and the table the suite prints."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timings(fn: Callable[[int], object], repeat: int, warmup: int = 5) -> list[float]:
    for i in range(warmup):
        fn(i)
    out = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - start)
    return out


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {"median_ms": statistics.median(ordered) * 1000, "p99_ms": p99 * 1000, "n": len(ordered)}


def row(name: str, measured: dict, baseline: dict | None, target: str) -> dict:
    ratio = measured["median_ms"] / baseline["median_ms"] if baseline and baseline["median_ms"] else None
    return {"figure": name, **{f"{k}": round(v, 3) for k, v in measured.items() if k != "n"}, "n": measured["n"],
            "baseline_median_ms": round(baseline["median_ms"], 3) if baseline else None,
            "baseline_p99_ms": round(baseline["p99_ms"], 3) if baseline else None,
            "ratio": round(ratio, 2) if ratio else None, "target": target}


def _value(ms: float | None, unit: str | None) -> str:
    if ms is None:
        return "-"
    if unit:  # a count or megabytes, not a time
        return f"{ms:g} {unit}" if float(ms).is_integer() else f"{ms:.1f} {unit}"
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.3f} ms"


def print_table(rows: list[dict]) -> None:
    header = f"{'figure':58} {'median':>12} {'p99':>12} {'baseline':>12} {'ratio':>6}  target"
    print(header)
    print("-" * len(header))
    for r in rows:
        unit = r.get("unit")
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        print(f"{r['figure']:58} {_value(r['median_ms'], unit):>12} {_value(r['p99_ms'], unit):>12} "
              f"{_value(r['baseline_median_ms'], None):>12} {ratio:>6}  {r['target']}")
