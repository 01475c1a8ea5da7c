"""The README's results tables, made from results files of whole runs — never assembled by hand.

`python -m bench.table bench/results.json bench/results-loaded.json` renders each file as a
markdown table headed by what the run was measured on (machine, date, load before and after,
loaded or not) and writes it into bench/README.md between the markers of that file's name:

    <!-- bench.table results.json -->
    ... (replaced) ...
    <!-- /bench.table results.json -->

`--readme PATH` writes another file; `--print` prints the tables instead of writing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from bench.stats import value_text, verdict_text

HERE = Path(__file__).resolve().parent


class TableError(Exception):
    """A results file or the README is not as the script needs it (the message says which)."""


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _loads(values: list[float] | None) -> str:
    return " / ".join(f"{v:.2f}" for v in values) if values else "unknown"


def heading(result: dict) -> str:
    """One paragraph: the command, the machine, the date, what else was running."""
    m = result.get("machine", {})
    command = result.get("command") or \
        "python -m bench" + (" --loaded" if result.get("loaded") else "") + (" --reuse" if result.get("reuse") else "")
    busy = m.get("cpu_busy_before_start")
    busy_text = f"{busy * 100:.0f} % of all CPUs busy in the 2 s before it started" if busy is not None else \
        "CPU use before it started unknown"
    loaded = ("yes: one CPU-bound process spun on one core for the whole run" if result.get("loaded")
              else "no (nothing of the bench's own spun beside it)")
    return (f"`{command}` of {m.get('started_utc', 'an unknown date')} (UTC), whole run "
            f"{result.get('total_seconds', 0):.0f} s. Machine: {m.get('cpus', '?')} CPUs, {m.get('cpu_model', '?')}, "
            f"Python {m.get('python', '?')}, {m.get('platform', '?')}. Other work: load average "
            f"(1, 5, 15 min) {_loads(m.get('load_average_start'))} at the start and "
            f"{_loads(m.get('load_average_end'))} at the end; {busy_text}. Loaded: {loaded}.")


def render(result: dict) -> str:
    """The heading and the markdown table of one results file."""
    if not isinstance(result, dict) or not isinstance(result.get("rows"), list) or not result["rows"]:
        raise TableError("the results file holds no rows")
    lines = [heading(result), ""]
    lines += [f"Note: {note}." for note in result.get("notes") or []] + ([""] if result.get("notes") else [])
    lines += ["| figure | median | p99 | n | baseline (what it is) | baseline median | ratio | target | met |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in result["rows"]:
        try:
            unit = r.get("unit")
            base_unit = unit if r.get("baseline") and unit else None
            ratio = f"{r['ratio']:.2f}×" if r.get("ratio") is not None else ""
            p99 = value_text(r.get("p99_ms"), unit) if r.get("p99_ms") is not None and r.get("n", 1) > 1 else ""
            base = value_text(r.get("baseline_median_ms"), base_unit) if r.get("baseline") else ""
            if r.get("baseline") and r.get("baseline_p99_ms") is not None and not unit:
                base += f" (p99 {value_text(r['baseline_p99_ms'], None)})"
            lines.append("| " + " | ".join(_cell(c) for c in (
                r["figure"].strip(), value_text(r["median_ms"], unit), p99, r.get("n", 1), r.get("baseline") or "",
                base, ratio, r.get("target", ""), verdict_text(r))) + " |")
        except (KeyError, TypeError, ValueError) as e:
            raise TableError(f"a row is not complete ({e}): {r!r:.120}") from None
    return "\n".join(lines)


def write_between(readme: str, name: str, table: str) -> str:
    """`readme` with the text between the markers of `name` replaced by `table`."""
    start, end = f"<!-- bench.table {name} -->", f"<!-- /bench.table {name} -->"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if len(pattern.findall(readme)) != 1:
        raise TableError(f"the README needs exactly one pair of markers {start} ... {end}")
    return pattern.sub(lambda _: f"{start}\n{table}\n{end}", readme)


def load_result(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise TableError(f"cannot read {path}: {e.strerror}") from None
    except ValueError:
        raise TableError(f"{path} is not a results file (not JSON)") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.table", description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path, help="results files of whole runs")
    parser.add_argument("--readme", type=Path, default=HERE / "README.md")
    parser.add_argument("--print", dest="show", action="store_true", help="print, do not write the README")
    args = parser.parse_args(argv)
    try:
        tables = [(path.name, render(load_result(path))) for path in args.results]
        if args.show:
            print("\n\n".join(t for _, t in tables))
            return 0
        text = args.readme.read_text(encoding="utf-8")
        for name, table in tables:
            text = write_between(text, name, table)
        args.readme.write_text(text, encoding="utf-8")
    except (TableError, OSError) as e:
        print(f"python -m bench.table: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
