"""Which wheels a platform needs, and fetching them: `uv pip compile` resolves the program's
requirements FOR the target (markers evaluated as on that platform: qrcode needs colorama on
Windows only), then `pip download` fetches exactly those pins, hash-checked, as binary wheels."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path


class KitError(Exception):
    """A step of the build failed: the message says which and why."""


@dataclass(frozen=True)
class Pin:
    name: str          # normalised: lower case, runs of - _ . as one _
    version: str


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def run(command: list[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise KitError(f"{what} failed ({' '.join(map(str, command[:4]))} …):\n{result.stderr[-3000:]}")
    return result


def uv_binary() -> str:
    try:
        from uv import find_uv_bin
    except ImportError:
        raise KitError("uv is needed to resolve each platform's packages: pip install uv "
                       "(or pip install -e '.[kit]')") from None
    return find_uv_bin()


def requirements_of(wheel: Path) -> list[str]:
    """The program's own requirements (Requires-Dist without extras), read from its built wheel."""
    with zipfile.ZipFile(wheel) as archive:
        [meta] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(meta).decode("utf-8")
    return [line.split(":", 1)[1].strip() for line in text.splitlines()
            if line.startswith("Requires-Dist:") and "extra ==" not in line]


def compile_for(requirements_in: Path, out: Path, uv_platform: str, python: str, cache: Path) -> list[Pin]:
    """Resolve `requirements_in` for one platform and Python version into `out` (pins and hashes)."""
    run([uv_binary(), "pip", "compile", str(requirements_in), "--python-platform", uv_platform,
         "--python-version", python, "--generate-hashes", "--no-header", "--no-annotate", "--quiet",
         "--cache-dir", str(cache / "uv"), "-o", str(out)], f"resolving the packages for {uv_platform} {python}")
    return pins_in(out)


def pins_in(requirements: Path) -> list[Pin]:
    pins = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            pins.append(Pin(normalise(match.group(1)), match.group(2)))
    return pins


def download(requirements: Path, pins: list[Pin], into: Path, platforms: list[str], python: str) -> list[Path]:
    """Fetch the wheel of every pin for the platform into `into` (a cache: what is there already and
    matches its hash is kept); returns exactly the wheels of these pins."""
    into.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--require-hashes",
               "--implementation", "cp", "--python-version", python, "-d", str(into), "-r", str(requirements),
               "--disable-pip-version-check", "--quiet"]
    for platform in platforms:
        command += ["--platform", platform]
    run(command, f"downloading the wheels for {platforms[0]} {python}")
    return [wheel_of(pin, into) for pin in pins]


def wheel_of(pin: Pin, folder: Path) -> Path:
    """The one wheel of `pin` in `folder` (each platform and Python version has its own folder)."""
    found = [path for path in folder.glob("*.whl")
             if normalise(path.name.split("-")[0]) == pin.name and path.name.split("-")[1] == pin.version]
    if len(found) != 1:
        raise KitError(f"expected one wheel of {pin.name} {pin.version} in {folder}, found {len(found)}")
    return found[0]


def copy_into(wheels: list[Path], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for wheel in wheels:
        shutil.copy2(wheel, folder / wheel.name)
