"""The Linux kit as a township's IT person uses it: unzipped into a folder whose name has spaces and
Chinese characters, installed with the network cut (`unshare -n`: a new network namespace with no
interface but loopback, down), then init, register and export run with the network still cut.
Installed twice; an older program over a newer database; a Python that is too old; a damaged kit."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.kit.conftest import manifest_of, unzip

pytestmark = pytest.mark.xdist_group("kit")

UNSHARE = shutil.which("unshare")


def offline(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    assert UNSHARE, "unshare (util-linux) is needed to cut the network"
    return subprocess.run([UNSHARE, "-n", *command], capture_output=True, text=True, env=env, timeout=600, **kwargs)


def clean_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_") and not k.startswith("VIRTUAL_ENV")}
    env.update(HOME=str(home), CHECKPOINT_LANG="zh")
    env.pop("XDG_DATA_HOME", None)
    return env


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def installed(kits, tmp_path_factory):
    """The kit unzipped under 'U盘 卡点', installed into '程序 目录' with no network."""
    base = tmp_path_factory.mktemp("linux-kit")
    folder = unzip(kits.linux, base / "U盘 卡点")
    home = base / "home"
    home.mkdir()
    dest = base / "程序 目录"
    env = clean_env(home)
    probe = offline(["python3", "-c", "import socket; print(socket.if_nameindex())"], env)
    assert probe.returncode == 0 and probe.stdout.strip() == "[(1, 'lo')]", probe.stdout + probe.stderr
    result = offline(["sh", str(folder / "install.sh"), str(dest)], env)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder, dest, env, result


def program(dest: Path) -> str:
    return str(dest / "current" / "bin" / "checkpoint")


def test_the_installer_says_where_it_installed_and_the_version_matches_the_manifest(kits, installed):
    folder, dest, env, result = installed
    version = manifest_of(folder)["program"]["version"]
    assert version == kits.version
    assert f"卡点登记 {version} 已安装" in result.stdout and str(dest) in result.stdout
    shown = offline([program(dest), "--version"], env)
    assert shown.returncode == 0 and shown.stdout.split()[-1] == version
    from checkpoint import __version__
    assert version == __version__
    link = Path(env["HOME"]) / ".local" / "bin" / "checkpoint"
    assert link.is_symlink() and offline([str(link), "--version"], env).stdout == shown.stdout


def test_init_register_export_with_the_network_cut(installed, tmp_path):
    _folder, dest, env, _ = installed
    db = tmp_path / "青山镇 数据" / "东口 station.db"
    db.parent.mkdir()
    out = tmp_path / "日报 导出"
    run = lambda *args, pin=None: offline([program(dest), "--db", str(db), *args],  # noqa: E731
                                          {**env, **({"CHECKPOINT_PIN": pin} if pin else {})})
    done = run("init", "--station-code", "K01", "--station-name", "东口卡点", "--township", "青山镇",
               "--leader", "王队长", "--pin", "1234")
    assert done.returncode == 0, done.stderr
    registered = run("register", "--as", "王队长", "--name", "张三", "--id", "11010519491231002X", "--phone",
                     "13812345678", "--origin", "湖北省宜昌市", "--address", "青山镇红旗村", "--direction", "in",
                     "--temp", "36.5", pin="1234")
    assert registered.returncode == 0 and registered.stdout.strip().isdigit(), registered.stderr
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    refused = run("export", "--date", today, "--as", "王队长", "--out", str(out), pin="1234")
    assert refused.returncode == 1 and "--township-key" in refused.stderr   # no township key yet
    # the township's key reaches the station as it would: a signed township bundle and its key file
    town = tmp_path / "乡镇 数据" / "town.db"
    town.parent.mkdir()
    assert run("township", "init", "--name", "青山镇", "--db", str(town)).returncode == 0
    assert run("township", "key", "--out", str(town.parent / "town.key"), "--db", str(town)).returncode == 0
    assert run("township", "bundle", "--out", str(town.parent / "下发"), "--db", str(town)).returncode == 0
    [issued] = (town.parent / "下发").glob("township-*.zip")
    imported = run("import", str(issued), "--township-key", str(town.parent / "town.key"), "--as", "王队长",
                   pin="1234")
    assert imported.returncode == 0, imported.stderr
    exported = run("export", "--date", today, "--as", "王队长", "--out", str(out), pin="1234")
    assert exported.returncode == 0, exported.stderr
    [bundle] = out.glob("K01-*-r1.zip")
    with zipfile.ZipFile(bundle) as z:
        names = {n.split("/", 1)[1] for n in z.namelist()}
    assert {"ledger.csv.enc", "manifest.json", "manifest.sig", "summary.json"} <= names
    listed = run("log", "--date", today)
    assert listed.returncode == 0 and "110105********002X" in listed.stdout


def test_installing_twice_keeps_the_database_and_switches_to_the_new_copy(installed, tmp_path):
    folder, dest, env, _ = installed
    db = tmp_path / "station.db"
    made = offline([program(dest), "--db", str(db), "init", "--station-code", "K02", "--station-name", "西口",
                    "--township", "青山镇", "--leader", "王队长", "--pin", "1234"], env)
    assert made.returncode == 0, made.stderr
    before, first = sha(db), (dest / "current").resolve()
    again = offline(["sh", str(folder / "install.sh"), str(dest)], env)
    assert again.returncode == 0, again.stderr
    assert (dest / "current").resolve() != first and len(list(dest.glob("app-*"))) == 2
    assert sha(db) == before
    assert offline([program(dest), "--db", str(db), "staff", "list"], env).returncode == 0


def test_an_older_program_over_a_newer_database_is_refused_and_changes_nothing(installed, tmp_path):
    _folder, dest, env, _ = installed
    db = tmp_path / "newer.db"
    made = offline([program(dest), "--db", str(db), "init", "--station-code", "K03", "--station-name", "北口",
                    "--township", "青山镇", "--leader", "王队长", "--pin", "1234"], env)
    assert made.returncode == 0, made.stderr
    with sqlite3.connect(db) as conn:   # what a later version's migration leaves behind
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('checkpoint', 'm999_from_a_newer_version', '2027-01-01')")
    conn.close()
    before = sha(db)
    for args in (["staff", "list"], ["log"], ["register", "--as", "王队长", "--name", "李四", "--id",
                                             "110108198506123015", "--phone", "13812345678", "--origin", "湖北省宜昌市",
                                             "--direction", "in", "--temp", "36.5"]):
        refused = offline([program(dest), "--db", str(db), *args], {**env, "CHECKPOINT_PIN": "1234"})
        assert refused.returncode == 2, (args, refused.stdout, refused.stderr)
        assert "这个数据库来自更新版本的程序，请升级后再用" in refused.stderr and "Traceback" not in refused.stderr
    assert sha(db) == before and not (tmp_path / "backups").exists()


def _python_310(tmp_path: Path) -> Path:
    """A real Python 3.10 when the machine has one, else a stand-in that answers as 3.10 does."""
    for candidate in [shutil.which("python3.10"), *sorted(Path("/root/.pyenv/versions").glob("3.10.*/bin/python3.10"))]:
        if candidate and subprocess.run([str(candidate), "-c", "import sys; assert sys.version_info[:2] == (3, 10)"],
                                        capture_output=True).returncode == 0:
            return Path(candidate)
    fake = tmp_path / "python3.10-stand-in"
    fake.write_text("#!/bin/sh\n"
                    "case \"$*\" in\n"
                    "  *'print('*) echo 3.10 ;;\n"
                    "  --version) echo 'Python 3.10.12' ;;\n"
                    "  *) exit 1 ;;\n"   # the installer's version test: 3.10 is not in 3.11-3.13
                    "esac\n")
    fake.chmod(0o755)
    return fake


def _bin_with(tmp_path: Path, python: Path) -> Path:
    """A PATH with the basic tools and `python3` → 3.10, and no other Python at all."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sh", "dirname", "basename", "cat", "mkdir", "rm", "ls", "ln", "mv", "date", "tail", "head",
                 "sha256sum", "printf"):
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    (bin_dir / "python3").symlink_to(python)
    return bin_dir


def test_on_python_310_the_installer_says_so_and_installs_nothing(kits, tmp_path):
    folder = unzip(kits.linux, tmp_path / "kit")
    bin_dir = _bin_with(tmp_path, _python_310(tmp_path))
    dest, home = tmp_path / "dest", tmp_path / "home"
    home.mkdir()
    result = subprocess.run([str(bin_dir / "sh"), str(folder / "install.sh"), str(dest)], capture_output=True,
                            text=True, env={"PATH": str(bin_dir), "HOME": str(home)}, timeout=120)
    assert result.returncode == 1
    assert "需要 Python 3.11、3.12 或 3.13，这台电脑的 python3 是 3.10。什么都没有安装。" in result.stderr
    assert not dest.exists() and list(home.iterdir()) == []


def test_a_damaged_kit_installs_nothing(kits, tmp_path):
    folder = unzip(kits.linux, tmp_path / "kit")
    wheel = next((folder / "wheels").glob("textual-*.whl"))
    wheel.write_bytes(wheel.read_bytes()[:-10] + b"0123456789")
    dest, home = tmp_path / "dest", tmp_path / "home"
    home.mkdir()
    result = subprocess.run(["sh", str(folder / "install.sh"), str(dest)], capture_output=True, text=True,
                            env=clean_env(home), timeout=120)
    assert result.returncode == 1 and "SHA256SUMS" in result.stderr and "什么都没有安装" in result.stderr
    assert not dest.exists()


def test_the_manifest_lists_every_file_with_its_hash_and_the_python_it_needs(kits, installed):
    folder = installed[0]
    manifest = manifest_of(folder)
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                     if p.is_file() and p.name not in ("kit-manifest.json", "SHA256SUMS"))
    assert [f["path"] for f in manifest["files"]] == on_disk
    assert all(sha(folder / f["path"]) == f["sha256"] for f in manifest["files"])
    assert manifest["python"]["wheels_for"] == ["cp311", "cp312", "cp313"]
    for tag in ("cp311", "cp312", "cp313"):   # every pin of every Python version has its wheel
        for line in (folder / "requirements" / f"{tag}.txt").read_text().splitlines():
            if "==" in line and not line.startswith(" "):
                name, version = line.split("==")[0], line.split("==")[1].split()[0]
                norm = name.replace("-", "_").replace(".", "_").lower()
                assert any(w.name.lower().startswith(f"{norm}-{version}-") for w in (folder / "wheels").iterdir()), (tag, name)
