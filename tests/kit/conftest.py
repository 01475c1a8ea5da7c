"""The kits, built once per test session by the real builder in a subprocess (`python -m kit`), from
PyPI, into the session's temporary folder; the downloads are cached there only, never in the home
folder. Every kit test is in the xdist group "kit", so one worker builds and uses them.

Wine tests (`-m wine`) are left out of the default run: they need Debian's wine (not installed by
.ci/run) and run the Windows folder's python.exe under it. Run them with:
    apt-get install wine wine64 && .venv/bin/python -m pytest -n 0 -m wine tests/kit
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    if "wine" in (config.option.markexpr or ""):
        return
    wine = [item for item in items if item.get_closest_marker("wine")]
    if wine:
        config.hook.pytest_deselected(items=wine)
        items[:] = [item for item in items if not item.get_closest_marker("wine")]


@dataclass(frozen=True)
class Kits:
    out: Path
    cache: Path
    linux: Path
    windows: Path
    version: str
    log: str


def unzip(archive: Path, into: Path) -> Path:
    """Unpack as a person does (keeping install.sh executable); returns the kit's folder."""
    with zipfile.ZipFile(archive) as z:
        z.extractall(into)
        for info in z.infolist():
            mode = info.external_attr >> 16
            if mode & 0o111:
                os.chmod(into / info.filename, mode & 0o777)
        [top] = {n.split("/")[0] for n in z.namelist()}
    return into / top


def build(out: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PIP_CACHE_DIR": str(cache / "pip")}
    return subprocess.run([sys.executable, "-m", "kit", "--out", str(out), "--cache", str(cache), *extra],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=1800)


@pytest.fixture(scope="session")
def kits(tmp_path_factory) -> Kits:
    base = tmp_path_factory.mktemp("kits")
    out, cache = base / "dist", base / "cache"
    result = build(out, cache)
    assert result.returncode == 0, result.stdout + result.stderr
    linux = sorted(out.glob("checkpoint-*-linux-x86_64.zip"))
    windows = sorted(out.glob("checkpoint-*-windows-x64.zip"))
    assert len(linux) == 1 and len(windows) == 1, sorted(p.name for p in out.iterdir())
    version = linux[0].name.split("-")[1]
    return Kits(out, cache, linux[0], windows[0], version, result.stdout)


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "kit-manifest.json").read_text(encoding="utf-8"))
