"""`checkpoint export` as a leader runs it: a subprocess on a temporary station database.
Prints the bundle folder, then the zip; exit 2 with one line for a bad date, a future date or an
unusable folder; exit 1 when a duty officer (not a leader) tries. The station holds its township's
key (given with `keys township-replace`), so the files naming persons are sealed; the township
opens them with `township open`."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

LEADER = ("--as", "王队长")


def run(*args: str, pin: str | None = None, code: int | None = None, cwd: Path | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    if pin is not None:
        env["CHECKPOINT_PIN"] = pin
    result = subprocess.run([sys.executable, "-m", "checkpoint", *args], capture_output=True, text=True,
                            env=env, timeout=120, cwd=cwd)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    if code is not None:
        assert result.returncode == code, (args, result.returncode, result.stdout, result.stderr)
    return result


def today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def fingerprint_of(text: str) -> str:
    return re.search(r"指纹 ([0-9A-F]{4}(?: [0-9A-F]{4}){4})", text).group(1)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A station with today's registrations: one released with a car, one fever referred onward;
    its township (town.db beside it) registered it, and it holds the township's key."""
    path = tmp_path_factory.mktemp("template") / "station.db"
    db, town = str(path), str(path.with_name("town.db"))
    run("init", "--station-code", "K01", "--station-name", "东口卡点", "--township", "青山镇",
        "--leader", "王队长", "--pin", "1234", "--db", db, code=0)
    run("township", "init", "--name", "青山镇", "--db", town, code=0)
    key = run("township", "key", "--out", str(path.with_name("town.key")), "--db", town, code=0)
    run("--db", db, "keys", "township-replace", str(path.with_name("town.key")), "--fingerprint",
        fingerprint_of(key.stdout), "--as", "王队长", pin="1234", code=0)
    run("--db", db, "keys", "export", "--out", str(path.with_name("k01.key")), code=0)
    run("township", "station", "add", str(path.with_name("k01.key")), "--db", town, code=0)
    run("--db", db, "staff", "add", "--name", "李四", "--role", "staff", "--pin", "2222", "--as", "王队长",
        pin="1234", code=0)
    common = ["--origin", "湖北省宜昌市", "--direction", "in", "--as", "李四"]
    run("--db", db, "register", "--name", "张三", "--id", "11010519491231002X", "--phone", "13812345678",
        "--address", "青山镇红旗村", "--temp", "36.5", "--plate", "粤B12345", "--disposition", "release", *common,
        pin="2222", code=0)
    run("--db", db, "register", "--name", "王强", "--id", "110108198506123015", "--phone", "13912345678",
        "--address", "青山镇白云村", "--temp", "38.2", "--recheck-temp", "38.0", "--disposition", "refer", *common,
        pin="2222", code=0)
    return path


@pytest.fixture
def db(template, tmp_path) -> str:
    """A copy of the template station, and of its township as town.db beside it."""
    for name in ("station.db", "town.db"):
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(template.with_name(name)) + suffix)
            if source.exists():
                shutil.copy(source, str(tmp_path / name) + suffix)
    return str(tmp_path / "station.db")


def township_open(db: str, folder: str) -> Path:
    """The bundle's files as the township reads them (`township open`: the sealed ones decrypted)."""
    town = str(Path(db).with_name("town.db"))
    target = Path(db).parent / "opened"
    out = run("township", "open", folder, "--out", str(target), "--db", town, code=0)
    assert "已解密" in out.stdout
    return target / Path(folder).name


def test_export_prints_folder_then_zip_and_re_export_is_r2(db, tmp_path):
    day = today().isoformat()
    out = tmp_path / "out"
    first = run("--db", db, "export", "--date", day, "--out", str(out), *LEADER, pin="1234", code=0)
    folder, archive = first.stdout.strip().splitlines()
    assert Path(folder) == (out / f"K01-{day}-r1").resolve() and Path(folder).is_dir()
    assert Path(archive) == Path(folder + ".zip") and zipfile.is_zipfile(archive)
    assert "第1版" in first.stderr

    assert "加密给乡镇" in first.stderr
    assert not (Path(folder) / "ledger.csv").exists() and (Path(folder) / "ledger.csv.enc").is_file()
    opened = township_open(db, folder)
    with open(opened / "ledger.csv", encoding="utf-8-sig", newline="") as f:
        ledger = list(csv.DictReader(f))
    assert [r["证件号码"] for r in ledger] == ["110105********002X", "110108********3015"]
    with open(opened / "follow-up.csv", encoding="utf-8-sig", newline="") as f:
        follow = list(csv.DictReader(f))
    assert [(r["姓名"], r["证件号码"], r["联系电话"]) for r in follow] == [("王强", "110108198506123015", "13912345678")]
    report = (Path(folder) / "report.md").read_text(encoding="utf-8")
    assert "零报告" not in report and "转送：1" in report

    second = run("export", "--db", db, "--date", day, "--out", str(out), *LEADER, pin="1234", code=0)
    assert second.stdout.strip().splitlines()[0].endswith(f"K01-{day}-r2")
    assert (out / f"K01-{day}-r1").is_dir()  # never overwritten
    assert run("--db", db, "audit", "verify", code=0)


def test_a_past_day_with_nothing_is_a_zero_report(db, tmp_path):
    day = (today() - dt.timedelta(days=3)).isoformat()
    result = run("--db", db, "export", "--date", day, "--out", str(tmp_path / "out"), *LEADER, pin="1234", code=0)
    folder = Path(result.stdout.splitlines()[0])
    assert "零报告" in (folder / "report.md").read_text(encoding="utf-8")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["zero_report"] is True and summary["counts"]["persons"] == 0 and summary["date"] == day


def test_default_folder_is_exports_in_the_current_folder_then_the_setting(db, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    result = run("--db", db, "export", *LEADER, pin="1234", code=0, cwd=work)
    assert Path(result.stdout.splitlines()[0]).parent == (work / "exports").resolve()
    usb = tmp_path / "usb"
    run("--db", db, "config", "set", "export-dir", str(usb), *LEADER, pin="1234", code=0)
    assert f"export-dir\t{usb}" in run("--db", db, "config", "show", code=0).stdout
    result = run("--db", db, "export", *LEADER, pin="1234", code=0, cwd=work)
    assert Path(result.stdout.splitlines()[0]).parent == usb.resolve()


def test_bad_date_future_date_and_unusable_folder_exit_2_with_one_line(db, tmp_path):
    bad = run("--db", db, "export", "--date", "2026-02-30", *LEADER, pin="1234", code=2, cwd=tmp_path)
    assert len(bad.stderr.strip().splitlines()) == 1 and "YYYY-MM-DD" in bad.stderr
    future = (today() + dt.timedelta(days=2)).isoformat()
    late = run("--db", db, "export", "--date", future, *LEADER, pin="1234", code=2, cwd=tmp_path)
    assert len(late.stderr.strip().splitlines()) == 1 and future in late.stderr
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    stuck = run("--db", db, "export", "--out", str(blocker), *LEADER, pin="1234", code=2, cwd=tmp_path)
    assert len(stuck.stderr.strip().splitlines()) == 1 and str(blocker) in stuck.stderr
    assert not (tmp_path / "exports").exists()


def test_duty_staff_may_not_export(db, tmp_path):
    refused = run("--db", db, "export", "--out", str(tmp_path / "out"), "--as", "李四", pin="2222", code=1)
    assert "李四" in refused.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    run("--db", db, "export", "--out", str(tmp_path / "out"), code=2)  # who is acting must be said
