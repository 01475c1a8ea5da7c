"""The program's entry point: make the console safe to print to, then run the `checkpoint` command.

A Chinese Windows console, or a file it redirects to (`checkpoint search zs > list.txt`), encodes in
code page 936 (GBK), which has no ✎ (amended) or ⚑ (flagged). Python raises UnicodeEncodeError on
such a character and the command dies half-way through its output. Here every character the
console cannot show becomes "?" instead: the line is still printed and the command still finishes.
"""

from __future__ import annotations

import sys


def make_output_safe() -> None:
    """Switch stdout and stderr from raising on an unencodable character to replacing it."""
    for stream in (sys.stdout, sys.stderr):
        # pythonw has no streams; a stream someone replaced may have no reconfigure
        if stream is not None and getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def run() -> None:
    """`checkpoint` (the installed script and `python -m checkpoint`)."""
    make_output_safe()
    from checkpoint.cli import main

    main()
