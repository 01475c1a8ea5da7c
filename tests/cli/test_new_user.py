"""The command line as a new user meets it: real subprocesses on a temporary database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest


def run(*args, pin=None, check=None, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    if pin:
        env["CHECKPOINT_PIN"] = pin
    env.update(env_extra or {})
    result = subprocess.run([sys.executable, "-m", "checkpoint", *args], capture_output=True, text=True, env=env,
                            timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    if check is not None:
        assert result.returncode == check, result.stdout + result.stderr
    return result


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "station.db")
    out = run("init", "--station-code", "K01", "--station-name", "东口卡点", "--township", "青山镇",
              "--leader", "王队长", "--pin", "1234", "--db", path, check=0)
    assert "东口卡点" in out.stdout
    run("--db", path, "staff", "add", "--name", "李四", "--role", "staff", "--pin", "2222", check=0)
    return path


REGISTER = ["register", "--as", "李四", "--name", "张三", "--id", "11010519491231002X", "--phone", "13812345678",
            "--origin", "湖北省宜昌市", "--direction", "in"]


def test_register_prints_the_id_and_log_masks(db):
    out = run("--db", db, *REGISTER, "--temp", "36.5", "--plate", "粤B12345", pin="2222", check=0)
    assert out.stdout.strip() == "1"
    log = run("--db", db, "log", check=0).stdout
    assert "110105********002X" in log and "138****5678" in log and "粤B12345" in log
    assert "11010519491231002X" not in log and "13812345678" not in log
    assert run("log", "--db", db, "--date", "2020-01-01", check=0).stdout.startswith("2020-01-01")


def test_fever_rules_exit_1_and_write_nothing(db):
    refused = run("--db", db, *REGISTER, "--temp", "37.8", pin="2222", check=1)
    assert "复测" in refused.stderr
    run("--db", db, *REGISTER, "--temp", "37.8", "--recheck-temp", "37.6", "--disposition", "release", pin="2222", check=1)
    run("--db", db, *REGISTER, "--temp", "37.8", "--recheck-temp", "37.6", "--disposition", "留验", pin="2222", check=0)
    run("--db", db, *REGISTER, "--temp", "37.8", "--recheck-temp", "37.6", "--disposition", "refer", pin="2222", check=0)
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT disposition FROM entries")] == ["hold", "refer"]
    conn.close()


@pytest.mark.parametrize("change,field", [
    (["--id", "110105194912310021"], "证件号码"), (["--phone", "123"], "电话"), (["--temp", "365"], "体温"),
    (["--disposition", "随便"], "处置"), (["--direction", "up"], "方向"), (["--plate", "粤B1234567890123"], "车牌"),
    (["--name", ""], "姓名"),
])
def test_bad_input_exits_2_naming_the_field(db, change, field):
    args = list(REGISTER) + ["--temp", "36.5"]
    for i in range(0, len(change), 2):
        if change[i] in args:
            args[args.index(change[i]) + 1] = change[i + 1]
        else:
            args += change[i:i + 2]
    result = run("--db", db, *args, pin="2222", check=2)
    assert field in result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 0
    conn.close()


def test_wrong_pin_and_missing_pin(db):
    run("--db", db, *REGISTER, "--temp", "36.5", pin="9999", check=1)
    run("--db", db, *REGISTER, "--temp", "36.5", check=2)


def test_staff_accounts(db):
    listed = run("--db", db, "staff", "list", check=0).stdout
    assert "王队长" in listed and "李四" in listed
    run("--db", db, "staff", "add", "--name", "李四", "--role", "staff", "--pin", "2222", check=2)
    run("--db", db, "staff", "add", "--name", "新人", "--role", "boss", "--pin", "2222", check=2)
    run("--db", db, "staff", "add", "--name", "新人", "--role", "staff", "--pin", "12", check=2)
    run("--db", db, "staff", "disable", "李四", check=0)
    run("--db", db, *REGISTER, "--temp", "36.5", pin="2222", check=1)
    run("--db", db, "staff", "disable", "王队长", check=1)   # the last leader stays


def test_audit_verify_whole_then_tampered(db):
    run("--db", db, *REGISTER, "--temp", "36.5", pin="2222", check=0)
    assert "完整" in run("--db", db, "audit", "verify", check=0).stdout
    conn = sqlite3.connect(db)
    conn.execute("UPDATE entries SET temp = 36.4")
    conn.commit()
    conn.close()
    broken = run("--db", db, "audit", "verify", check=1).stdout
    assert "entries" in broken


def test_unusable_databases_exit_2_with_one_sentence(tmp_path):
    for args in (["--db", str(tmp_path / "missing" / "x.db"), "log"], ["--db", str(tmp_path), "log"],
                 ["--db", str(tmp_path / "new.db"), "log"]):
        result = run(*args, check=2)
        assert len(result.stderr.strip().splitlines()) == 1
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert "不是卡点登记" in run("--db", str(foreign), "log", check=2).stderr
    result = run("init", "--station-code", "K 1", "--station-name", "x", "--township", "y", "--leader", "z",
                 "--pin", "1234", "--db", str(tmp_path / "bad.db"), check=2)
    assert "卡点编号" in result.stderr
    assert not (tmp_path / "bad.db").exists()


def test_db_from_the_environment(db):
    out = run("log", check=0, env_extra={"CHECKPOINT_DB": db}).stdout
    assert out.startswith("20")


def test_demo_generate_without_ui(tmp_path):
    path = str(tmp_path / "demo.db")
    out = run("demo", "--generate", "300", "--db", path, check=0).stdout
    assert "300" in out
    assert "完整" in run("--db", path, "audit", "verify", check=0).stdout
