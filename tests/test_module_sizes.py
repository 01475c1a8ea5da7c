"""No module over 300 lines without saying at its top why it is long (#17): a long file with
several jobs is split, one with one job says so where a reader starts."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "checkpoint"
LIMIT = 300
REASONS = ("long on purpose", "300 lines")


def long_modules_without_a_reason(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        comments = [line for line in lines[:5] if line.startswith("#")]
        top = "\n".join(comments + [ast.get_docstring(ast.parse(text)) or ""]).lower().replace("\n", " ")
        if len(lines) > LIMIT and not any(reason in top for reason in REASONS):
            found.append(f"{path.relative_to(root.parent)} ({len(lines)} lines)")
    return found


def test_every_long_module_says_why_at_its_top():
    assert long_modules_without_a_reason() == []


def test_the_check_finds_a_long_module_that_says_nothing(tmp_path):
    (tmp_path / "quiet.py").write_text('"""A module."""\n' + "x = 1\n" * LIMIT, encoding="utf-8")
    (tmp_path / "told.py").write_text("# Long on purpose: one table.\n" + "x = 1\n" * LIMIT, encoding="utf-8")
    assert long_modules_without_a_reason(tmp_path) == [f"{tmp_path.name}/quiet.py ({LIMIT + 1} lines)"]
