"""What a run was measured on and beside: the CPU, the date, and how busy the machine already was.

The figures of a run mean little without this: the station laptop and the machine the bench runs
on are both shared, and a median on an idle machine says nothing about a busy one.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import time


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo ("unknown" where there is none)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs since boot, or None without /proc/stat."""
    try:
        with open("/proc/stat", encoding="utf-8") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)   # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_share(seconds: float = 2.0) -> float | None:
    """The share of all CPUs (0..1) that was busy over `seconds`, before the bench starts its own work."""
    first = _cpu_ticks()
    time.sleep(seconds)
    second = _cpu_ticks()
    if first is None or second is None or second[1] == first[1]:
        return None
    return round((second[0] - first[0]) / (second[1] - first[1]), 2)


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def describe() -> dict:
    """The machine and the moment, for results.json: taken at the start of a run."""
    return {"cpus": os.cpu_count(), "cpu_model": cpu_model(), "platform": platform.platform(),
            "python": platform.python_version(),
            "started_utc": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "load_average_start": load_average(), "cpu_busy_before_start": busy_share()}
