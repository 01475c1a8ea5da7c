"""The pass commands, run as a new user runs them: a real subprocess on a temporary database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run(db, *args, pin=None, check=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    if pin:
        env["CHECKPOINT_PIN"] = pin
    result = subprocess.run([sys.executable, "-m", "checkpoint", "--db", str(db), *args], capture_output=True,
                            text=True, env=env, timeout=60)
    assert "Traceback" not in result.stderr + result.stdout
    if check is not None:
        assert result.returncode == check, result.stdout + result.stderr
    return result


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "k01.db"
    run(path, "init", "--station-code", "K01", "--station-name", "东口卡点", "--township", "青山镇",
        "--leader", "王队长", "--pin", "1234", check=0)
    run(path, "staff", "add", "--name", "李四", "--role", "staff", "--pin", "2222", check=0)
    return path


def issue(db):
    out = run(db, "pass", "issue", "--as", "王队长", "--kind", "household", "--name", "张三丰",
              "--id", "11010519491231002X", "--village", "红旗村", "--members", "张小明:110108198506123015",
              pin="1234", check=0).stdout.strip().splitlines()
    return out[0], out[-1]


def test_issue_prints_number_then_token_alone(db):
    number, token = issue(db)
    assert number == "K01-000001"
    assert token.startswith("CP") and " " not in token and "11010519491231002X" not in token


def test_verify_exit_codes_and_verdict_first(db):
    number, token = issue(db)
    first = run(db, "pass", "verify", "--as", "李四", token, pin="2222", check=0)
    assert first.stdout.startswith("有效")
    again = run(db, "pass", "verify", "--as", "李四", token, pin="2222", check=1)
    assert again.stdout.startswith("未返回")
    run(db, "pass", "verify", "--as", "李四", "--direction", "in", token, pin="2222", check=0)
    forged = token[:30] + ("Z" if token[30] != "Z" else "Y") + token[31:]
    assert run(db, "pass", "verify", "--as", "李四", forged, pin="2222", check=1).stdout.split()[0] in ("伪造", "未知签发方")
    # two letters are neither a code nor a pass number: 无法识别, as the guide says (exit 2)
    assert run(db, "pass", "verify", "--as", "李四", "CP", pin="2222", check=2).stdout.startswith("无法识别")
    run(db, "pass", "verify", "--as", "李四", "x" * 3000, pin="2222", check=2)
    run(db, "pass", "verify", "--as", "李四", token, "--direction", "sideways", pin="2222", check=2)


def test_revoke_then_verify_refused_and_listed(db):
    number, token = issue(db)
    run(db, "pass", "revoke", number, "--as", "王队长", "--reason", "证件遗失", pin="1234", check=0)
    out = run(db, "pass", "verify", "--as", "李四", token, pin="2222", check=1).stdout
    assert out.startswith("已吊销") and "证件遗失" in out
    listing = run(db, "pass", "list", check=0).stdout
    assert number in listing and "已吊销" in listing and "11010519491231002X" not in listing
    run(db, "pass", "revoke", number, "--as", "王队长", "--reason", "again", pin="1234", check=1)
    run(db, "pass", "revoke", number, "--as", "李四", "--reason", "x", pin="2222", check=1)  # staff may not


def test_overdue_lists_holders_out(db):
    number, token = issue(db)
    run(db, "pass", "verify", "--as", "李四", token, pin="2222", check=0)
    out = run(db, "pass", "overdue", "--all", check=0).stdout
    assert number in out and "张*丰" in out


def test_bad_issue_inputs_exit_2_and_write_nothing(db):
    bad = run(db, "pass", "issue", "--as", "王队长", "--kind", "household", "--name", "张三",
              "--id", "11010519491231002Y", pin="1234", check=2)
    assert "身份证" in bad.stderr
    run(db, "pass", "issue", "--as", "王队长", "--kind", "rocket", "--name", "张三",
        "--id", "11010519491231002X", pin="1234", check=2)
    run(db, "pass", "issue", "--as", "王队长", "--name", "张三", "--id", "11010519491231002X",
        "--members", "没有冒号", pin="1234", check=2)
    assert "K01-" not in run(db, "pass", "list", check=0).stdout


def test_keys_and_revocations_carry_between_stations(tmp_path, db):
    number, token = issue(db)
    other = tmp_path / "k02.db"
    run(other, "init", "--station-code", "K02", "--station-name", "西口卡点", "--township", "青山镇",
        "--leader", "刘队长", "--pin", "5678", check=0)
    assert run(other, "pass", "verify", "--as", "刘队长", token, pin="5678", check=1).stdout.startswith("未知签发方")
    run(db, "keys", "export", "--out", str(tmp_path / "k01.json"), check=0)
    imported = run(other, "keys", "import", str(tmp_path / "k01.json"), check=0).stdout
    assert "东口卡点" in imported
    run(other, "pass", "verify", "--as", "刘队长", token, pin="5678", check=0)
    run(db, "pass", "revoke", number, "--as", "王队长", "--reason", "冒用", pin="1234", check=0)
    run(db, "revocations", "export", "--out", str(tmp_path / "rev.json"), check=0)
    run(other, "revocations", "import", str(tmp_path / "rev.json"), check=0)
    assert run(other, "pass", "verify", "--as", "刘队长", "--direction", "in", token, pin="5678",
               check=1).stdout.startswith("已吊销")
    (tmp_path / "junk.json").write_text("{not json")
    run(other, "keys", "import", str(tmp_path / "junk.json"), check=2)
    run(other, "revocations", "import", str(tmp_path / "junk.json"), check=2)
    run(other, "keys", "import", str(tmp_path / "missing.json"), check=2)
    listing = run(other, "keys", "list", check=0).stdout
    assert "东口卡点" in listing and "西口卡点" in listing
