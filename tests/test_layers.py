"""The layers of DESIGN.md, checked: import-linter contracts and a clean-interpreter import test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold():
    result = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", [
    "checkpoint.domain.registration", "checkpoint.domain.policy", "checkpoint.store",
    "checkpoint.services.registration", "checkpoint.services.accounts", "checkpoint.services.ledger",
    "checkpoint.cli",
])
def test_headless_modules_do_not_load_textual(module):
    code = f"import sys, {module}; bad = [m for m in ('textual', 'checkpoint.app') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
