"""Every action × every role, through the real command line: what the role table allows succeeds
(exit 0), everything else is refused (exit 1) with a sentence naming who may, and changes nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from checkpoint.domain.roles import PERMISSIONS, ROLES
from tests.cli.test_cli import PERSON, run

ACCOUNTS = {"staff": ("李四", "2222"), "leader": ("王队长", "1234"), "admin": ("陈管理", "3333")}
TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def tables(db: str) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'entry_search%' AND name NOT LIKE 'sqlite_%'")]
        return {n: conn.execute(f"SELECT count(*) FROM [{n}]").fetchone()[0] for n in names}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("matrix") / "station.db"
    run("init", "--station-code", "K01", "--station-name", "东口卡点", "--township", "青山镇", "--leader", "王队长",
        "--pin", "1234", "--db", str(path), code=0)
    for role in ("staff", "admin"):
        name, pin = ACCOUNTS[role]
        run("--db", str(path), "staff", "add", "--name", name, "--role", role, "--pin", pin, "--as", "王队长",
            pin="1234", code=0)
    run("--db", str(path), "register", "--as", "李四", *PERSON, "--temp", "36.5", pin="2222", code=0)
    issued = run("--db", str(path), "pass", "issue", "--as", "王队长", "--kind", "household", "--name", "张三丰",
                 "--id", "11010519491231002X", "--village", "红旗村", pin="1234", code=0)
    token = issued.stdout.strip().splitlines()[-1]
    other = tmp_path_factory.mktemp("other") / "other.db"
    run("init", "--station-code", "K02", "--station-name", "西口卡点", "--township", "青山镇", "--leader", "赵",
        "--pin", "1234", "--db", str(other), code=0)
    run("--db", str(other), "keys", "export", "--out", str(path.parent / "k02.json"), code=0)
    run("--db", str(path), "backup", "--out", str(path.parent / "backup.db"), code=0)
    return path, token


# action -> the command that does it (the acting person's --as and PIN are added per role)
COMMANDS: dict[str, list[str]] = {
    "register": ["register", *PERSON, "--temp", "36.6"],
    "review.read": ["search", "3015"],
    "staff.manage": ["staff", "disable", "李四"],
    "policy.edit": ["policy", "set", "--key-areas", "武汉"],
    "settings.edit": ["config", "set", "bell", "off"],
    "pass.issue": ["pass", "issue", "--kind", "household", "--name", "王五", "--id", "110101200001010037",
                   "--village", "红旗村"],
    "pass.check": ["pass", "verify", "{token}"],
    "pass.revoke": ["pass", "revoke", "K01-000001", "--reason", "遗失"],
    "keys.manage": ["keys", "import", "{k02}"],
    "shift.lead": ["shift", "start", "--kind", "day"],
    "matter.manage": ["matter", "add", "--text", "测温枪没电"],
    "entry.amend": ["amend", "1", "--temp", "36.8", "--reason", "抄错"],
    "day.signoff": ["signoff", "--date", TODAY],
    "export.day": ["export", "--date", TODAY, "--out", "{out}", "--plain"],  # who may: no township key needed
    "data.purge": ["purge", "--before", TODAY, "--yes"],
    "data.restore": ["restore", "{backup}", "--yes"],
}
PIN_FLAG = {"staff.manage": "--as-pin", "keys.manage": "--as-pin"}   # their --pin is something else


def test_every_action_of_the_role_table_has_a_command_here():
    ui_only = {"entry.unmask", "entry.flag", "audit.read"}   # tested through the UI and services
    assert set(PERMISSIONS) - ui_only == set(COMMANDS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(COMMANDS))
def test_action_by_role(template, tmp_path, action, role):
    source, token = template
    db = tmp_path / "station.db"
    for suffix in ("", "-wal", "-shm"):
        if Path(str(source) + suffix).exists():
            shutil.copy(str(source) + suffix, str(db) + suffix)
    name, pin = ACCOUNTS[role]
    args = [a.format(token=token, k02=str(source.parent / "k02.json"), out=str(tmp_path / "out"),
                     backup=str(source.parent / "backup.db"))
            for a in COMMANDS[action]]
    if action == "matter.manage":
        args = ["matter", "add", "测温枪没电"] if "--text" not in _help("matter", "add") else args
    allowed = role in PERMISSIONS[action]
    before = tables(str(db))
    flag = PIN_FLAG.get(action, "--pin")
    result = run("--db", str(db), *args, "--as", name, flag, pin)
    if allowed:
        assert result.returncode == 0, (action, role, result.stdout, result.stderr)
    else:
        assert result.returncode == 1, (action, role, result.stdout, result.stderr)
        assert result.stderr.strip()
        after = tables(str(db))
        assert {k: v for k, v in after.items() if k != "staff"} == {k: v for k, v in before.items() if k != "staff"}


_HELP: dict[tuple[str, ...], str] = {}


def _help(*command: str) -> str:
    if command not in _HELP:
        _HELP[command] = run(*command, "--help").stdout
    return _HELP[command]
