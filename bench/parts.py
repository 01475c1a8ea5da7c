"""Some parts of the bench, run alone into a results file of their own, with the machine and the
load as a whole run records them: `python -m bench.parts OUT.json terminal pass_photo`.

For a change measured before and after on the same machine state (the same parts, one run of each
right after the other); the README renders such a file as it renders a whole run's, with the
command that made it in its heading.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench import machine

HERE = Path(__file__).resolve().parent


def figures(part: str) -> list[dict]:
    if part == "terminal":
        from bench.terminal import login_figures

        return login_figures(HERE / "data" / "year.db")
    if part == "pass_photo":
        from bench.pass_photo import photo_figures

        return photo_figures(HERE / "data" / "photo")
    raise SystemExit(f"unknown part: {part} (terminal, pass_photo)")


def main(argv: list[str]) -> None:
    from bench.stats import print_table

    out, parts = Path(argv[0]), argv[1:]
    about = machine.describe()
    started = time.perf_counter()
    rows = [r for part in parts for r in figures(part)]
    about["load_average_end"] = machine.load_average()
    print_table(rows)
    result = {"command": "python -m bench.parts " + " ".join(parts), "loaded": False, "reuse": True,
              "machine": about, "total_seconds": round(time.perf_counter() - started, 1), "notes": [],
              "rows": rows}
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
