"""The layers of DESIGN.md, checked: import-linter's contracts hold, each of them fails when the
import it forbids is written, every top-level module is under one, and headless modules load no Textual."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """lint-imports on the package found at `root` (its own copy first on the path, not the installed one)."""
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True)


def contracts(pyproject: Path = ROOT / "pyproject.toml") -> list[dict]:
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def named_modules(contract: dict) -> set[str]:
    names = set(contract.get("source_modules", [])) | set(contract.get("forbidden_modules", []))
    for layer in contract.get("layers", []):
        names |= {part.strip().strip("()") for part in layer.split("|")}
    return names


def modules_under_no_contract(package_dir: Path, pyproject: Path) -> list[str]:
    """checkpoint's top-level modules and packages that no contract names, itself or a parent."""
    named = set().union(*(named_modules(c) for c in contracts(pyproject)))
    tops = [f"checkpoint.{info.name}" for info in pkgutil.iter_modules([str(package_dir)])]
    return sorted(m for m in tops if m not in named)


def test_import_linter_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_top_level_module_is_under_a_contract():
    assert modules_under_no_contract(ROOT / "checkpoint", ROOT / "pyproject.toml") == []


@pytest.fixture
def copy(tmp_path) -> Path:
    """The package and its pyproject in a folder of their own, to break on purpose."""
    shutil.copytree(ROOT / "checkpoint", tmp_path / "checkpoint",
                    ignore=shutil.ignore_patterns("__pycache__", "*.png", "*.ttf", "*.ttc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_a_new_top_level_module_must_be_put_under_a_contract(copy):
    (copy / "checkpoint" / "stray.py").write_text('"""A module nobody placed."""\n', encoding="utf-8")
    assert modules_under_no_contract(copy / "checkpoint", copy / "pyproject.toml") == ["checkpoint.stray"]


# (contract id, file that gets the import, the import a reader must never meet there)
BREAKS = [
    ("station-layers", "store/entries.py", "import checkpoint.services.settings"),
    ("township-layers", "township/office.py", "import checkpoint.cli"),
    ("township-apart", "township/office.py", "import checkpoint.services.settings"),
    ("station-apart", "services/export.py", "import checkpoint.township.office"),
    ("exchange-domain-only", "exchange/tables.py", "import checkpoint.store"),
    ("exchange-domain-only", "exchange/signature.py", "import sqlite3"),
    ("domain-pure", "domain/plates.py", "import sqlite3"),
    ("domain-pure", "domain/registration.py", "import checkpoint.exchange.signature"),
    ("no-ui-below", "store/entries.py", "import textual.app"),
    ("no-ui-below", "services/registration.py", "import checkpoint.widgets.form_row"),
    ("ui-no-store", "screens/desk.py", "import checkpoint.store.shifts"),
    ("ui-no-store", "app.py", "from checkpoint.store import open_store"),
    ("ui-no-store", "township/dashboard.py", "import checkpoint.township.store"),
]


def test_the_breaks_cover_every_contract():
    assert {c["id"] for c in contracts()} == {contract for contract, _, _ in BREAKS}


@pytest.mark.parametrize(("contract", "where", "line"), BREAKS, ids=[f"{c}:{w}" for c, w, _ in BREAKS])
def test_each_forbidden_import_fails_the_check(copy, contract, where, line):
    target = copy / "checkpoint" / where
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # broken on purpose\n", encoding="utf-8")
    result = lint_imports(copy)
    assert result.returncode != 0, result.stdout
    name = next(c["name"] for c in contracts() if c["id"] == contract)
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert " ".join(name.split()) in " ".join(broken.split()), result.stdout


def test_the_unbroken_copy_passes(copy):
    """The copy itself is clean: each failure above comes from the line written into it."""
    result = lint_imports(copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", [
    "checkpoint.domain.registration", "checkpoint.domain.policy", "checkpoint.store",
    "checkpoint.services.registration", "checkpoint.services.accounts", "checkpoint.services.ledger",
    "checkpoint.exchange.signature", "checkpoint.township.collect", "checkpoint.cli",
])
def test_headless_modules_do_not_load_textual(module):
    code = f"import sys, {module}; bad = [m for m in ('textual', 'checkpoint.app') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
