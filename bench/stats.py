"""Median and p99 of repeated timings, the rows of results.json, and the table the suite prints.

A row: `figure` (what was timed), `median_ms`, `p99_ms`, `n` (repetitions), `unit` (absent for a
time; "keys", "MB" for a count or a size), `baseline` (what the baseline is, in words) with its
`baseline_median_ms`/`baseline_p99_ms`, `ratio` (median over the baseline's median), `target` (in
words) and `limit` — the target a machine can check: `{"of": <what>, "max": <number>}` where
<what> is "median_ms", "p99_ms", "ratio" or "p99_over_baseline_ms" (p99 minus the baseline's p99).
"""

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


def row(name: str, measured: dict, baseline: dict | None, target: str, baseline_name: str | None = None,
        limit: tuple[str, float] | None = None) -> dict:
    """One row of results.json; `baseline_name` says what the baseline is (required with a baseline)."""
    if baseline is not None and not baseline_name:
        raise ValueError(f"{name}: a baseline must say what it is")
    ratio = measured["median_ms"] / baseline["median_ms"] if baseline and baseline["median_ms"] else None
    return {"figure": name, **{k: round(v, 3) for k, v in measured.items() if k != "n"}, "n": measured["n"],
            "baseline": baseline_name if baseline else None,
            "baseline_median_ms": round(baseline["median_ms"], 3) if baseline else None,
            "baseline_p99_ms": round(baseline["p99_ms"], 3) if baseline else None,
            "ratio": round(ratio, 2) if ratio else None, "target": target,
            "limit": {"of": limit[0], "max": limit[1]} if limit else None}


def value_row(name: str, value: float, unit: str, target: str, n: int = 1, limit: tuple[str, float] | None = None,
              baseline: float | None = None, baseline_name: str | None = None) -> dict:
    """A row of one value that is not a time (a count of keys, megabytes)."""
    ratio = round(value / baseline, 2) if baseline else None
    return {"figure": name, "median_ms": value, "p99_ms": value, "n": n, "unit": unit,
            "baseline": baseline_name if baseline is not None else None,
            "baseline_median_ms": baseline, "baseline_p99_ms": baseline, "ratio": ratio, "target": target,
            "limit": {"of": limit[0], "max": limit[1]} if limit else None}


def checked(r: dict) -> float | None:
    """The number the row's limit is about, or None (no limit, or nothing to compute it from)."""
    limit = r.get("limit")
    if not limit:
        return None
    if limit["of"] == "p99_over_baseline_ms":
        if r.get("p99_ms") is None or r.get("baseline_p99_ms") is None:
            return None
        return round(r["p99_ms"] - r["baseline_p99_ms"], 3)
    return r.get(limit["of"])


def met(r: dict) -> bool | None:
    """Whether the row meets its limit; None when it has none (reported only) or it was not measured."""
    value = checked(r)
    return None if value is None else value <= r["limit"]["max"]


def value_text(ms: float | None, unit: str | None) -> str:
    if ms is None:
        return "-"
    if unit:  # a count or megabytes, not a time
        return f"{ms:g} {unit}" if float(ms).is_integer() else f"{ms:.1f} {unit}"
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    return f"{ms:.2f} ms" if ms >= 1 else f"{ms:.3f} ms"


def verdict_text(r: dict) -> str:
    ok = met(r)
    if ok is None:
        return ""
    extra = ""
    if r["limit"]["of"] == "p99_over_baseline_ms":
        extra = f" (+{checked(r):.2f} ms)"
    return ("✔" if ok else "✘") + extra


def print_table(rows: list[dict]) -> None:
    header = f"{'figure':62} {'median':>11} {'p99':>11} {'baseline':>11} {'ratio':>6}  target"
    print(header)
    print("-" * len(header))
    for r in rows:
        unit = r.get("unit")
        ratio = f"{r['ratio']:.2f}" if r.get("ratio") is not None else "-"
        print(f"{r['figure']:62} {value_text(r['median_ms'], unit):>11} {value_text(r['p99_ms'], unit):>11} "
              f"{value_text(r.get('baseline_median_ms'), unit if r.get('baseline') and unit else None):>11} "
              f"{ratio:>6}  {r['target']} {verdict_text(r)}")
        if r.get("baseline"):
            print(f"{'':66}baseline: {r['baseline']}")
