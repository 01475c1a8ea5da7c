"""The command line as a new user meets it: `python -m checkpoint` in a subprocess on a temporary
database. Exit codes: 0 done, 1 refused by a rule, 2 bad input or unusable database; never a traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

PERSON = ["--name", "张三", "--id", "11010519491231002X", "--phone", "13812345678", "--origin", "湖北省宜昌市",
          "--address", "青山镇红旗村", "--direction", "in"]


def run(*args: str, pin: str | None = None, code: int | None = None, env_extra: dict | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    if pin is not None:
        env["CHECKPOINT_PIN"] = pin
    env.update(env_extra or {})
    result = subprocess.run([sys.executable, "-m", "checkpoint", *args], capture_output=True, text=True,
                            env=env, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    if code is not None:
        assert result.returncode == code, (args, result.returncode, result.stdout, result.stderr)
    return result


def register(db: str, *extra: str, pin: str = "2222", code: int | None = None, as_name: str = "李四"):
    return run("--db", db, "register", "--as", as_name, *PERSON, *extra, pin=pin, code=code)


def rows(db: str, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A station set up once the way a new user does it; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "station.db"
    out = run("init", "--station-code", "K01", "--station-name", "东口卡点", "--township", "青山镇",
              "--leader", "王队长", "--pin", "1234", "--db", str(path), code=0)
    assert "东口卡点" in out.stdout and "K01" in out.stdout
    out = run("--db", str(path), "staff", "add", "--name", "李四", "--role", "staff", "--pin", "2222",
              "--as", "王队长", pin="1234", code=0)
    assert "李四" in out.stdout
    return path


@pytest.fixture
def db(template, tmp_path) -> str:
    target = tmp_path / "station.db"
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(template) + suffix)
        if source.exists():
            shutil.copy(source, str(target) + suffix)
    return str(target)


def test_init_refuses_a_second_station_and_bad_values(db, tmp_path):
    again = run("init", "--station-code", "K02", "--station-name", "西口", "--township", "青山镇", "--leader", "赵",
                "--pin", "1111", "--db", db, code=2)
    assert "东口卡点" in again.stderr
    bad = run("init", "--station-code", "K 1", "--station-name", "x", "--township", "y", "--leader", "z",
              "--pin", "1234", "--db", str(tmp_path / "bad.db"), code=2)
    assert "卡点编号" in bad.stderr
    assert not (tmp_path / "bad.db").exists()
    short_pin = run("init", "--station-code", "K1", "--station-name", "x", "--township", "y", "--leader", "z",
                    "--pin", "12", "--db", str(tmp_path / "bad.db"), code=2)
    assert "PIN" in short_pin.stderr


def test_staff_add_list_disable(db):
    out = run("--db", db, "staff", "add", "--name", "赵医生", "--role", "leader", "--pin", "5678",
              "--as", "王队长", pin="1234", code=0)
    assert "赵医生" in out.stdout
    listed = run("--db", db, "staff", "list", code=0).stdout
    assert {line.split("\t")[0] for line in listed.splitlines()} == {"王队长", "李四", "赵医生"}
    assert "1234" not in listed and "argon2" not in listed
    run("--db", db, "staff", "disable", "李四", "--as", "王队长", pin="1234", code=0)
    listed = run("--db", db, "staff", "list", code=0).stdout
    state = {line.split("\t")[0]: line for line in listed.splitlines()}
    assert "已停用" in state["李四"] and "已停用" not in state["王队长"]
    register(db, "--temp", "36.5", code=1)                 # a disabled account cannot register
    run("--db", db, "staff", "disable", "赵医生", "--as", "王队长", pin="1234", code=0)
    last = run("--db", db, "staff", "disable", "王队长", "--as", "王队长", pin="1234", code=1)
    assert "王队长" in run("--db", db, "staff", "list", code=0).stdout and last.stderr.strip()


@pytest.mark.parametrize("args,field", [
    (["--name", "李四", "--role", "staff", "--pin", "9999"], "姓名"),      # the name is taken
    (["--name", "新人", "--role", "boss", "--pin", "9999"], "角色"),
    (["--name", "新人", "--role", "staff", "--pin", "12"], "PIN"),
])
def test_staff_add_bad_values_exit_2(db, args, field):
    result = run("--db", db, "staff", "add", *args, "--as", "王队长", pin="1234", code=2)
    assert field in result.stderr
    assert rows(db, "SELECT count(*) FROM staff")[0][0] == 2


def test_staff_cannot_add_staff(db):
    run("--db", db, "staff", "add", "--name", "新人", "--role", "leader", "--pin", "9999", "--as", "李四",
        pin="2222", code=1)
    assert rows(db, "SELECT count(*) FROM staff")[0][0] == 2


def test_register_prints_the_new_id(db):
    out = register(db, "--temp", "36.5", "--disposition", "放行", code=0)
    assert out.stdout.strip() == "1"
    out = register(db, "--temp", "36.6", "--plate", "粤B 12345", code=0)   # no disposition: the suggestion
    assert out.stdout.strip() == "2"
    assert rows(db, "SELECT id, disposition, disposition_source FROM entries") == [
        (1, "release", "chosen"), (2, "release", "suggested")]   # typed, never shown a suggestion
    assert rows(db, "SELECT plate FROM vehicles") == [("粤B12345",)]


def test_a_fever_without_recheck_exits_1_and_writes_nothing(db):
    refused = register(db, "--temp", "37.8", code=1)
    assert "复测" in refused.stderr
    register(db, "--temp", "37.8", "--recheck-temp", "37.6", "--disposition", "放行", code=1)
    assert rows(db, "SELECT count(*) FROM entries")[0][0] == 0
    register(db, "--temp", "37.8", "--recheck-temp", "37.0", "--disposition", "放行", code=0)
    register(db, "--temp", "37.8", "--recheck-temp", "37.6", code=0)        # the suggestion is 留验
    assert rows(db, "SELECT fever, disposition FROM entries ORDER BY id") == [(0, "release"), (1, "hold")]


def test_disposition_in_chinese_or_english(db):
    register(db, "--temp", "36.5", "--disposition", "留验", code=0)
    register(db, "--temp", "36.5", "--disposition", "hold", code=0)
    register(db, "--temp", "36.5", "--disposition", "home-isolation", code=0)
    assert rows(db, "SELECT disposition FROM entries ORDER BY id") == [("hold",), ("hold",), ("home-isolation",)]
    unknown = register(db, "--temp", "36.5", "--disposition", "随便", code=2)
    assert "处置" in unknown.stderr and "随便" in unknown.stderr
    assert rows(db, "SELECT count(*) FROM entries")[0][0] == 3


@pytest.mark.parametrize("change,field", [
    (["--id", "110105194912310021"], "证件号码"), (["--id", "1101051949123100"], "证件号码"),
    (["--phone", "123"], "电话"), (["--temp", "3650"], "体温"), (["--temp", "abc"], "体温"),
    (["--direction", "up"], "方向"), (["--plate", "粤B1234567890123"], "车牌"), (["--name", ""], "姓名"),
    (["--origin", ""], "从哪里来"),
])
def test_bad_input_exits_2_naming_the_field_and_writes_nothing(db, change, field):
    args = list(PERSON) + ["--temp", "36.5"]
    flag, value = change
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    result = run("--db", db, "register", "--as", "李四", *args, pin="2222", code=2)
    assert field in result.stderr
    assert rows(db, "SELECT count(*) FROM entries")[0][0] == 0


def test_wrong_or_missing_pin(db):
    wrong = register(db, "--temp", "36.5", pin="9999", code=1)
    assert "PIN" in wrong.stderr
    run("--db", db, "register", "--as", "李四", *PERSON, "--temp", "36.5", code=2)   # no PIN at all
    register(db, "--temp", "36.5", as_name="无名氏", code=1)
    assert rows(db, "SELECT count(*) FROM entries")[0][0] == 0


def test_log_prints_masked_lines_only(db):
    register(db, "--temp", "37.8", "--recheck-temp", "37.6", "--disposition", "留验", "--plate", "粤B12345", code=0)
    day = rows(db, "SELECT local_day FROM entries")[0][0]
    out = run("--db", db, "log", "--date", day, code=0).stdout
    assert out.startswith(day)
    line = out.splitlines()[1]
    assert "110105********002X" in line and "138****5678" in line and "粤B12345" in line
    assert "37.8→37.6" in line and "留验" in line and "李四" in line
    assert "11010519491231002X" not in out and "13812345678" not in out
    assert run("--db", db, "log", code=0).stdout == out          # today by default
    empty = run("log", "--db", db, "--date", "2020-01-01", code=0).stdout
    assert empty.startswith("2020-01-01") and len(empty.strip().splitlines()) == 1


@pytest.mark.parametrize("garbage", ["garbage", "2026-13-01", "24/11/2026", ""])
def test_log_with_a_garbage_date_exits_2(db, garbage):
    result = run("--db", db, "log", "--date", garbage, code=2)
    assert "日期" in result.stderr


def test_audit_verify_then_tampered(db):
    register(db, "--temp", "36.5", code=0)
    whole = run("--db", db, "audit", "verify", code=0).stdout
    assert "完整" in whole
    conn = sqlite3.connect(db)
    conn.execute("UPDATE entries SET temp = 36.4 WHERE id = 1")
    conn.commit()
    conn.close()
    broken = run("--db", db, "audit", "verify", code=1).stdout
    assert "entries" in broken and "断开" in broken


def test_policy_set_is_a_new_version(db):
    run("--db", db, "policy", "set", "--as", "王队长", "--key-areas", "武汉，黄冈", "--rule",
        "outsider_default=劝返", pin="1234", code=0)
    shown = run("--db", db, "policy", "show", code=0).stdout
    assert "2" in shown.splitlines()[0] and "武汉" in shown and "黄冈" in shown
    run("--db", db, "policy", "set", "--as", "李四", "--key-areas", "x", pin="2222", code=1)
    run("--db", db, "policy", "set", "--as", "王队长", "--rule", "fever=随便", pin="1234", code=2)


def stranger(tmp_path: Path) -> Path:
    path = tmp_path / "stranger.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t_%s (x)" % os.getpid())
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("command", [
    ["log"], ["staff", "list"], ["audit", "verify"], ["policy", "show"],
    ["register", "--as", "李四", "--pin", "2222", *PERSON, "--temp", "36.5"],
    ["init", "--station-code", "K01", "--station-name", "东口", "--township", "青山镇", "--leader", "王", "--pin", "1234"],
])
def test_unusable_database_paths_exit_2_with_one_sentence(tmp_path, command):
    foreign = stranger(tmp_path)
    before = foreign.read_bytes()
    cases = [(tmp_path / "missing" / "station.db", "文件夹不存在"), (tmp_path, "文件夹"),
             (foreign, "不是卡点登记")]
    for path, words in cases:
        result = run("--db", str(path), *command, code=2)
        assert words in result.stderr, (path, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "missing").exists()
    assert foreign.read_bytes() == before


def test_a_file_that_is_not_sqlite_exits_2(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("购物清单\n" * 100, encoding="utf-8")
    result = run("--db", str(path), "log", code=2)
    assert "不是卡点登记" in result.stderr


def test_a_station_not_yet_set_up(tmp_path):
    result = run("--db", str(tmp_path / "new.db"), "log", code=2)
    assert result.stderr.strip() and not (tmp_path / "new.db").exists()


def test_db_from_the_environment(db):
    out = run("log", code=0, env_extra={"CHECKPOINT_DB": db}).stdout
    assert out.startswith("20")


def test_villages_from_the_command_line(db):
    run("--db", db, "village", "add", "红旗村", "--as", "王队长", pin="1234", code=0)
    run("--db", db, "village", "add", "西村", "--as", "李四", pin="2222", code=1)      # staff may not
    run("--db", db, "village", "add", "", "--as", "王队长", pin="1234", code=2)
    run("--db", db, "village", "remove", "没有这个村", "--as", "王队长", pin="1234", code=2)
    out = run("--db", db, "village", "list", code=0)
    assert out.stdout.splitlines() == ["红旗村\t手工"]
    run("--db", db, "village", "remove", "红旗村", "--as", "王队长", pin="1234", code=0)
    assert run("--db", db, "village", "list", code=0).stdout.splitlines() == ["红旗村\t手工\t已移除"]
