"""The day's close from the command line, in a subprocess on a real database: `shift close` (收班),
`pass show`, `matter close` with plain words, `signoff` naming what is missing, `policy show`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(db, *args, pin=None, code=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    if pin:
        env["CHECKPOINT_PIN"] = pin
    result = subprocess.run([sys.executable, "-m", "checkpoint", "--db", str(db), *args], capture_output=True,
                            text=True, env=env, timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    if code is not None:
        assert result.returncode == code, (args, result.returncode, result.stdout, result.stderr)
    return result


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "k01.db"
    run(path, "init", "--station-code", "K01", "--station-name", "东口卡点", "--township", "青山镇",
        "--leader", "王队长", "--pin", "1234", code=0)
    run(path, "staff", "add", "--name", "李四", "--role", "staff", "--pin", "2222", code=0)
    return path


def test_shift_close_then_signoff_then_export_says_signed(db, tmp_path):
    run(db, "shift", "start", "--as", "王队长", "--roster", "李四:police", pin="1234", code=0)
    run(db, "register", "--as", "李四", "--name", "张三", "--id", "11010519491231002X", "--phone", "13812345678",
        "--origin", "本地", "--temp", "36.5", "--direction", "in", pin="2222", code=0)
    refused = run(db, "signoff", "--date", _today(db), "--as", "王队长", pin="1234", code=1)
    assert "第1班" in refused.stderr and "还在值守" in refused.stderr and "收班" in refused.stderr
    closed = run(db, "shift", "close", "--as", "王队长", "--stock", "masks=80", "--note", "今晚收班", pin="1234",
                 code=0)
    assert "已收班：第1班结束" in closed.stdout
    assert "没有在值守的班次" in run(db, "shift", "status", code=1).stderr
    signed = run(db, "signoff", "--date", _today(db), "--as", "王队长", pin="1234", code=0)
    assert "已签核" in signed.stdout
    # --plain: this station has no township key (tests/cli/test_exchange_cli.py seals with one)
    out = run(db, "export", "--date", _today(db), "--as", "王队长", "--out", str(tmp_path / "out"), "--plain",
              pin="1234", code=0)
    folder = Path(out.stdout.splitlines()[0])
    assert "**已签核**：王队长" in (folder / "report.md").read_text("utf-8")
    assert "收班" in run(db, "handover", "show", "--shift", "1", code=0).stdout
    run(db, "shift", "close", "--as", "王队长", pin="1234", code=1)           # nothing open: refused
    run(db, "shift", "close", "--as", "李四", pin="2222", code=1)             # staff: refused
    run(db, "shift", "close", "--as", "王队长", "--stock", "masks=lots", pin="1234", code=2)


def _today(db) -> str:
    import datetime as dt
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def test_pass_show_prints_the_words_then_the_token(db):
    issued = run(db, "pass", "issue", "--as", "王队长", "--kind", "household", "--name", "张三丰", "--id",
                 "11010519491231002X", "--village", "红旗村", pin="1234", code=0).stdout.splitlines()
    number, token = issued[0], issued[-1]
    shown = run(db, "pass", "show", "k01 - 000001", code=0).stdout.splitlines()
    assert shown[-1] == token and number in shown[0] and "张*丰" in shown[0] and "红旗村" in shown[0]
    assert "11010519491231002X" not in "\n".join(shown)
    with_qr = run(db, "pass", "show", number, "--qr", code=0).stdout
    assert "▀" in with_qr or "▄" in with_qr
    missing = run(db, "pass", "show", "K01-000009", code=2)
    assert "没有编号为" in missing.stderr


def test_a_40_character_holder_is_issued_and_41_gets_one_sentence(db):
    forty = "买" + "提" * 38 + "力"
    run(db, "pass", "issue", "--as", "王队长", "--name", forty, "--id", "11010519491231002X", pin="1234", code=0)
    too_long = run(db, "pass", "issue", "--as", "王队长", "--name", forty + "江", "--id", "11010519491231002X",
                   pin="1234", code=2)
    assert "最多40个字" in too_long.stderr and "ValueError" not in too_long.stderr and "意外" not in too_long.stderr


def test_matter_close_speaks_plainly(db):
    run(db, "matter", "add", "--as", "王队长", "明早加强检查", pin="1234", code=0)
    bad = run(db, "matter", "close", "entry:abc", "--as", "王队长", "--note", "x", pin="1234", code=2)
    assert "field." not in bad.stderr and bad.stderr.startswith("事项: ") and "entry:登记编号" in bad.stderr
    no_note = run(db, "matter", "close", "matter:1", "--as", "王队长", pin="1234", code=2)
    assert "写明" in no_note.stderr
    run(db, "matter", "close", "matter:1", "--as", "王队长", "--note", "已传达", pin="1234", code=0)
    again = run(db, "matter", "close", "matter:1", "--as", "王队长", "--note", "已传达", pin="1234", code=1)
    assert "已经关闭" in again.stderr


def test_policy_show_without_a_saved_policy_says_so_in_chinese(tmp_path):
    import sqlite3

    path = tmp_path / "bare.db"
    run(path, "init", "--station-code", "K09", "--station-name", "北口", "--township", "青山镇",
        "--leader", "王队长", "--pin", "1234", code=0)
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT count(*) FROM policy").fetchone()[0]
    conn.close()
    shown = run(path, "policy", "show", code=0).stdout
    first = shown.splitlines()[0]
    assert "第-版" not in shown and "第0版" not in shown
    assert ("第1版" in first) if rows else ("还没有设置" in first)
