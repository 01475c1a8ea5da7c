"""The township as a new user meets it, through the real CLI in a subprocess: set up the township and
two stations, give one station the township's key (checked by its fingerprint), export a day from
each (one a zero day; the station without the key is refused until it says --plain), collect them
from a folder, read the report, see a one-byte edit refused, carry the township bundle back, and
see a pass revoked at one station refused at the other. Exit codes 0 / 1 / 2, one sentence, never a
traceback."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.cli.test_cli import run

LEADER = ["--as", "王队长"]
HELD = ["--name", "王强", "--id", "110108198506123015", "--phone", "13912345678", "--origin", "湖北省宜昌市",
        "--address", "青山镇红旗村3组", "--direction", "in", "--temp", "37.9", "--recheck-temp", "38.0",
        "--disposition", "hold"]


def station(tmp_path: Path, code: str, name: str) -> str:
    db = str(tmp_path / f"{code}.db")
    run("init", "--station-code", code, "--station-name", name, "--township", "青山镇", "--leader", "王队长",
        "--pin", "1234", "--db", db, code=0)
    return db


@pytest.fixture
def setup(tmp_path):
    """A township (青山镇) and two registered stations (K01 东口, K02 西口)."""
    town = str(tmp_path / "township.db")
    out = run("township", "init", "--name", "青山镇", "--db", town, code=0)
    assert "青山镇" in out.stdout and "指纹" in out.stdout
    dbs = {"K01": station(tmp_path, "K01", "东口卡点"), "K02": station(tmp_path, "K02", "西口卡点")}
    for code, db in dbs.items():
        run("--db", db, "keys", "export", "--out", str(tmp_path / f"{code}.key"), code=0)
        added = run("township", "station", "add", str(tmp_path / f"{code}.key"), "--db", town, code=0)
        assert code in added.stdout
    listed = run("township", "station", "list", "--db", town, code=0).stdout
    assert "K01\t东口卡点" in listed and "K02\t西口卡点" in listed
    return town, dbs


def test_the_done_when_walkthrough(setup, tmp_path):
    town, dbs = setup
    usb = tmp_path / "usb"
    key = run("township", "key", "--out", str(tmp_path / "township.key"), "--db", town, code=0)
    fingerprint = re.search(r"指纹 ([0-9A-F ]{24})", key.stdout).group(1)
    replace = ["keys", "township-replace", str(tmp_path / "township.key"), *LEADER]
    wrong = run("--db", dbs["K01"], *replace, "--fingerprint", "0000 0000 0000 0000 0000", pin="1234", code=1)
    assert "指纹不符" in wrong.stderr
    assert "指纹" in run("--db", dbs["K01"], *replace, pin="1234", code=2).stderr  # a script must give it
    assert "已更换乡镇密钥" in run("--db", dbs["K01"], *replace, "--fingerprint", fingerprint.lower(),
                                 pin="1234", code=0).stdout
    run("--db", dbs["K01"], "register", *LEADER, *HELD, pin="1234", code=0)
    run("--db", dbs["K01"], "export", "--out", str(usb), *LEADER, pin="1234", code=0)
    no_key = run("--db", dbs["K02"], "export", "--out", str(usb), *LEADER, pin="1234", code=1)
    assert "--township-key" in no_key.stderr and "--plain" in no_key.stderr and not any(usb.glob("K02-*"))
    plain = run("--db", dbs["K02"], "export", "--out", str(usb), "--plain", *LEADER, pin="1234", code=0)
    assert "未加密导出" in plain.stderr

    collected = run("township", "collect", str(usb), "--db", town, code=0)
    assert collected.stdout.count("已接收") == 2 and "零报告" in collected.stdout
    assert collected.stdout.count("未加密") == 1 and "未加密" in collected.stdout.splitlines()[-1]

    report = run("township", "report", "--out", str(tmp_path / "report"), "--db", town, code=0)
    lines = report.stdout.splitlines()
    assert any(line.startswith("K02\t西口卡点\t零报告") for line in lines)
    assert any(line.startswith("K01\t东口卡点\t已报") for line in lines)
    markdown = Path(lines[-1]).read_text(encoding="utf-8")
    assert "青山镇红旗村" in markdown and "110108198506123015" in markdown and "王强" in markdown
    book = openpyxl.load_workbook(lines[-2])
    assert [c.value for c in book["需跟进人员"][2]][:3] == ["青山镇红旗村", "王强", "110108198506123015"]

    # one byte of one bundle edited: refused, exit 1, with the reason; the rest is unchanged
    k01 = next(usb.glob("K01-*-r1"))
    edited = tmp_path / "edited" / k01.name
    shutil.copytree(k01, edited)
    data = bytearray((edited / "ledger.csv.enc").read_bytes())
    data[30] ^= 1
    (edited / "ledger.csv.enc").write_bytes(bytes(data))
    refused = run("township", "collect", str(edited), "--db", town, code=1)
    assert "拒收" in refused.stdout and "ledger.csv" in refused.stdout and "拒收 1" in refused.stderr

    # a pass issued and revoked at K01 travels through the township and is refused at K02
    issued = run("--db", dbs["K01"], "pass", "issue", *LEADER, "--name", "张三丰", "--id", "11010519491231002X",
                 "--village", "红旗村", pin="1234", code=0).stdout.split()
    number, token = issued[0], issued[-1]
    run("--db", dbs["K01"], "pass", "revoke", number, "--reason", "卡丢失", *LEADER, pin="1234", code=0)
    run("--db", dbs["K01"], "export", "--out", str(usb), *LEADER, pin="1234", code=0)
    again = run("township", "collect", str(usb), "--db", town, code=0)
    assert "替换了第1版" in again.stdout
    bundle = run("township", "bundle", "--out", str(tmp_path / "back"), "--db", town, code=0).stdout.splitlines()
    zip_path = bundle[-1]
    assert zip_path.endswith(".zip")

    before = run("--db", dbs["K02"], "pass", "verify", token, *LEADER, pin="1234", code=1)
    assert "不在信任列表" in before.stdout
    no_key = run("--db", dbs["K02"], "import", zip_path, *LEADER, pin="1234", code=2)
    assert "--township-key" in no_key.stderr
    imported = run("--db", dbs["K02"], "import", zip_path, "--township-key", str(tmp_path / "township.key"),
                   *LEADER, pin="1234", code=0)
    assert "指纹" in imported.stdout and "新增通行证吊销 1" in imported.stdout
    after = run("--db", dbs["K02"], "pass", "verify", token, *LEADER, pin="1234", code=1)
    assert "REVOKED" in after.stdout and "卡丢失" in after.stdout
    assert "已导入过" in run("--db", dbs["K02"], "import", bundle[0], *LEADER, pin="1234", code=0).stdout
    status = run("--db", dbs["K02"], "status", code=0).stdout
    assert "乡镇名单：第1号" in status and "日报加密：开" in status and fingerprint in status
    sealed = run("--db", dbs["K02"], "export", "--out", str(tmp_path / "usb2"), *LEADER, pin="1234", code=0)
    assert "加密给乡镇" in sealed.stderr
    run("--db", dbs["K02"], "audit", "verify", code=0)


def test_bad_input_is_exit_2_and_refusals_exit_1(setup, tmp_path):
    town, dbs = setup
    # a station's database is not a township's, and the other way round
    wrong = run("township", "report", "--out", str(tmp_path / "r"), "--db", dbs["K01"], code=2)
    assert "这是卡点的数据库" in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
    assert "不是卡点登记的数据库" in run("--db", town, "log", code=2).stderr
    assert "这是卡点的数据库" in run("township", "init", "--name", "x", "--db", dbs["K01"], code=2).stderr
    # nothing set up yet
    missing = run("township", "station", "list", "--db", str(tmp_path / "none.db"), code=2)
    assert "township init" in missing.stderr and not (tmp_path / "none.db").exists()
    bad_name = run("township", "init", "--name", "", "--db", str(tmp_path / "new.db"), code=2)
    assert bad_name.stderr.strip() and not (tmp_path / "new.db").exists()
    assert "已经设置为 青山镇" in run("township", "init", "--name", "别的镇", "--db", town, code=2).stderr
    # paths and dates
    assert "找不到" in run("township", "collect", str(tmp_path / "nowhere"), "--db", town, code=2).stderr
    (tmp_path / "empty").mkdir()
    assert "没有找到" in run("township", "collect", str(tmp_path / "empty"), "--db", town, code=2).stderr
    run("township", "report", "--date", "2026-02-30", "--out", str(tmp_path / "r"), "--db", town, code=2)
    assert "17:00" in run("township", "cutoff", "5pm", "--db", town, code=2).stderr
    assert "18:00" in run("township", "cutoff", "18:00", "--db", town, code=0).stdout
    # key files
    (tmp_path / "junk.key").write_text("{}", encoding="utf-8")
    run("township", "station", "add", str(tmp_path / "junk.key"), "--db", town, code=2)
    run("township", "key", "--out", str(tmp_path / "township.key"), "--db", town, code=0)
    not_station = run("township", "station", "add", str(tmp_path / "township.key"), "--db", town, code=2)
    assert "不是卡点的公钥文件" in not_station.stderr
    # revoking a station: its next bundle is refused (exit 1) with the reason
    assert "K02" in run("township", "station", "revoke", "K02", "--reason", "笔记本丢失", "--db", town, code=0).stdout
    run("township", "station", "revoke", "K02", "--reason", "again", "--db", town, code=1)
    run("township", "station", "revoke", "K09", "--reason", "x", "--db", town, code=2)
    run("--db", dbs["K02"], "export", "--out", str(tmp_path / "usb"), "--plain", *LEADER, pin="1234", code=0)
    revoked = run("township", "collect", str(tmp_path / "usb"), "--db", town, code=1)
    assert "吊销" in revoked.stdout and "笔记本丢失" in revoked.stdout
    # a future-dated township report is fine (everything waiting); a township policy and its bundle
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    waiting = run("township", "report", "--date", tomorrow, "--out", str(tmp_path / "r"), "--db", town, code=0)
    assert "待报" in waiting.stdout
    assert "还没有设置" in run("township", "policy", "show", "--db", town, code=0).stdout
    run("township", "policy", "set", "--key-areas", "武汉市", "--rule", "fever=nonsense", "--db", town, code=2)
    assert "武汉市" in run("township", "policy", "set", "--key-areas", "武汉市", "--db", town, code=0).stdout
    # a station import refused by the signature: exit 1, station unchanged
    bundle = run("township", "bundle", "--out", str(tmp_path / "back"), "--db", town, code=0).stdout.splitlines()
    folder = Path(bundle[0])
    (folder / "policy.json").write_text((folder / "policy.json").read_text(encoding="utf-8").replace("武汉", "北京"),
                                        encoding="utf-8")
    forged = run("--db", dbs["K01"], "import", str(folder), "--township-key", str(tmp_path / "township.key"),
                 *LEADER, pin="1234", code=1)
    assert "policy.json" in forged.stderr
    assert "武汉市" not in run("--db", dbs["K01"], "policy", "show", code=0).stdout
    run("--db", dbs["K01"], "import", bundle[1], "--township-key", str(tmp_path / "township.key"), code=2)  # who?
