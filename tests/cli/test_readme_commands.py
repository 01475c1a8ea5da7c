"""Every command README.md documents, run as written (real subprocesses, one station and one
township in a temporary folder), with its exit code and output compared with what the program
printed before the code was restructured (readme_commands.golden.json); and the help of every
command and option, compared the same way (readme_help.golden.json). A restructuring that changes
a command, an option, an exit code or a line of output fails here.

What varies from run to run is replaced before comparing: the temporary folder, dates (as days
from today), times, key ids, fingerprints, hashes, pass tokens and the QR drawing of a token.
`UPDATE_README_GOLDEN=1 pytest tests/cli/test_readme_commands.py` rewrites the two files after an
intended change (then read the diff).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

HERE = Path(__file__).parent
README = HERE.parent.parent / "README.md"
GOLDEN = HERE / "readme_commands.golden.json"
HELP_GOLDEN = HERE / "readme_help.golden.json"
UPDATE = os.environ.get("UPDATE_README_GOLDEN") == "1"

# Commands README.md names that cannot run in a subprocess without a terminal: the two UIs. Their
# tests drive them with Pilot (tests/ui/test_desk.py, tests/ui/test_township_ui.py).
NEEDS_A_TERMINAL = {("checkpoint",), ("township",), ("demo",)}

# The dates README.md's examples use: kept as they are (every other date is written relative to today).
README_DATES = {"2026-11-24", "2026-11-01", "2026-10-27"}

# The steps: (argv after `checkpoint`, PIN for CHECKPOINT_PIN or None, extra environment). {TODAY},
# {TOKEN}, {FP2} and {BACKUP} are filled in from earlier steps' output.
STEPS: list[tuple[str, str | None]] = [
    ("init --station-code K01 --station-name 东口卡点 --township 青山镇 --leader 王队长 --pin 1234", None),
    ("staff add --name 李四 --role staff --pin 2222", None),
    ("staff add --name 刘夜班 --role leader --pin 4444 --as 王队长", "1234"),
    ("staff add --name 赵六 --role staff --pin 6666", None),
    ("staff add --name 管理员 --role admin --pin 9999 --as-pin 1234 --as 王队长", None),
    ("staff list", None),
    ("--version", None),
    ("township init --name 青山镇 --db town.db", None),
    ("township key --out town.key --db town.db", None),
    ("keys export --out K01.key", None),
    ("township station add K01.key --db town.db", None),
    ("township station list --db town.db", None),
    ("township policy set --key-areas 武汉,黄冈 --rule outsider_default=turn-back --db town.db", None),
    ("township policy show --db town.db", None),
    ("township cutoff 18:00 --db town.db", None),
    ("township bundle --out 下发 --db town.db", None),
    ("import 下发/township-{TODAY}-n1.zip --township-key town.key --as 王队长", "1234"),
    ("status", None),
    ("register --as 李四 --name 张三 --id 11010519491231002X --phone 13812345678 --origin 湖北省武汉市 "
     "--temp 36.5 --direction in --plate 粤B12345", "2222"),
    ("register --as 李四 --name 张三丰 --id 110108198506123015 --phone 13900001111 --origin 湖北省武汉市 "
     "--address 青山镇红旗村 --direction in --temp 37.8 --recheck-temp 37.6 --disposition 留验", "2222"),
    ("register --as 李四 --name 王五 --id 11010519491231002X --phone 13812345678 --origin 湖北省武汉市 "
     "--temp 36.5", "2222"),
    ("register --as 李四 --name 王五 --phone 13812345678 --origin 湖北省武汉市 --temp 36.5 --direction in", "1111"),
    ("log --date {TODAY}", None),
    ("log --date 2026-11-24", None),
    ("audit verify", None),
    ("policy show", None),
    ("policy set --as 王队长 --pin 1234 --key-areas 武汉,黄冈 --rule outsider_default=turn-back", None),
    ("policy show", None),
    ("demo --generate 200 --db big.db", None),
    ("config set health-code on --as 王队长", "1234"),
    ("config set bell off --as 王队长", "1234"),
    ("config set fever-instruction '打镇卫生院 0710-1234567 派车' --as 王队长", "1234"),
    ("config set auto-lock 10 --as 王队长", "1234"),
    ("config set day-shift-from 08:00 --as 王队长", "1234"),
    ("config set night-shift-from 20:00 --as 王队长", "1234"),
    ("config set export-dir exports --as 王队长", "1234"),
    ("config show", None),
    ("village list", None),
    ("village add 红旗村 --as 王队长", "1234"),
    ("village remove 红旗村 --as 王队长", "1234"),
    ("village add 红旗村 --as 王队长", "1234"),
    ("village list", None),
    ("pass issue --as 王队长 --kind household --name 张三丰 --id 11010519491231002X --village 红旗村 "
     "--members 张小明:110108198506123015", "1234"),
    ("pass issue --as 王队长 --kind vehicle --name 李师傅 --id 110108198506123015 --plate 粤B12345 "
     "--route 青山镇-县城", "1234"),
    ("pass verify --as 李四 {TOKEN}", "2222"),
    ("pass verify --as 李四 {TOKEN} --direction in", "2222"),
    ("pass verify --as 李四 NOT-A-TOKEN", "2222"),
    ("pass card K01-000001 --png card.png", None),
    ("pass card K01-000001 K01-000002 --pdf cards.pdf", None),
    ("pass verify --as 李四 --image card.png", "2222"),
    ("pass show K01-000001", None),
    ("pass show K01-000001 --qr", None),
    ("pass overdue", None),
    ("pass overdue --all", None),
    ("pass list", None),
    ("shift start --as 王队长 --kind day --roster 李四:police,赵六:village-cadre", "1234"),
    ("shift status", None),
    ("shift join 刘夜班 --as 王队长", "1234"),
    ("shift leave 刘夜班 --as 王队长", "1234"),
    ("matter add 等待县里回复 --as 王队长", "1234"),
    ("shift handover --as 王队长 --incoming 刘夜班 --incoming-pin 4444 --stock masks=200,disinfectant=3", "1234"),
    ("handover show", None),
    ("matter close entry:2 --as 刘夜班 --note 已由120转运", "4444"),
    ("matter close entry:2 --as 刘夜班", "4444"),
    ("shift close --as 王队长 --stock masks=150", "1234"),
    ("shift close --as 刘夜班 --stock masks=150", "4444"),
    ("handover show", None),
    ("search zs --as 王队长", "1234"),
    ("search zs --as 王队长 --date 2026-11-01~2026-11-24", "1234"),
    ("search 1002X --as 王队长 --date {TODAY}", "1234"),
    ("amend 1 --temp 36.8 --reason 体温抄错 --as 王队长", "1234"),
    ("amend 1 --symptoms cough,fever --key-area 武汉 --reason 补登 --as 王队长", "1234"),
    ("amend 1 --not-measured 设备故障 --reason 补登 --as 王队长", "1234"),
    ("amend 1 --disposition 劝返 --outsider --reason 补登 --as 王队长", "1234"),
    ("amend 1 --reason 无 --as 王队长", "1234"),
    ("amend x --temp 36.8 --reason 体温抄错 --as 王队长", "1234"),
    ("search 张三 --as 王队长", "1234"),
    ("signoff --date 2026-11-24 --as 王队长", "1234"),
    ("signoff --date {TODAY} --as 王队长", "1234"),
    ("export --date 2026-11-24 --as 王队长", "1234"),
    ("export --date {TODAY} --as 王队长 --out usb --local-copy copy", "1234"),
    ("export --date {TODAY} --as 王队长 --out plain --plain", "1234"),
    ("audit verify --anchor usb/K01-{TODAY}-r1.zip", None),
    ("township collect usb --db town.db", None),
    ("township collect plain --db town.db", None),
    ("township report --date {TODAY} --out 报表 --db town.db", None),
    ("township report --date 2026-11-24 --out 报表 --db town.db", None),
    ("township open usb/K01-{TODAY}-r1.zip --out 解密 --db town.db", None),
    ("township rotate-key --db town.db", None),
    ("township bundle --out 下发 --db town.db", None),
    ("import 下发/township-{TODAY}-n2.zip --as 王队长", "1234"),
    ("import 下发/township-{TODAY}-n2.zip --as 王队长", "1234"),
    ("status", None),
    ("init --station-code K02 --station-name 西口卡点 --township 青山镇 --leader 赵队长 --pin 5555 --db k02.db", None),
    ("keys export --out k02.json --db k02.db", None),
    ("keys import k02.json", None),
    ("keys list", None),
    ("pass revoke K01-000001 --as 王队长 --reason 证件遗失", "1234"),
    ("revocations export --out rev.json", None),
    ("revocations import rev.json", None),
    ("township key --out town2.key --db town.db", None),
    ("keys township-replace town2.key --as 王队长", "1234"),
    ("keys township-replace town2.key --as 王队长 --fingerprint 0000", "1234"),
    ("keys township-replace town2.key --as 王队长 --fingerprint '{FP2}'", "1234"),
    ("township purge --before 2026-10-27 --db town.db", None),
    ("township purge --before {TODAY+1} --db town.db --yes", None),
    ("township station revoke K01 --reason 笔记本丢失 --db town.db", None),
    ("purge --before 2026-10-27 --as 管理员", "9999"),
    ("backup", None),
    ("restore {BACKUP} --as 管理员", "9999"),
    ("restore {BACKUP} --as 管理员 --yes", "9999"),
    ("config set review-staff off --as 王队长", "1234"),
    ("config set report-cutoff 17:00 --as 王队长", "1234"),
    ("config set theme sunlight --as 王队长", "1234"),
    ("config set theme purple --as 王队长", "1234"),
    ("search zs --as 李四", "2222"),
    ("staff disable 李四", None),
    ("staff list", None),
    ("purge --before {TODAY+1} --as 管理员 --yes", "9999"),
    ("audit verify", None),
    ("log", None),
    ("SERVE", None),
]


def _env(home: Path, pin: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    env.update({"CHECKPOINT_DB": "station.db", "HOME": str(home / "home"), "XDG_DATA_HOME": str(home / "xdg"),
                "PYTHONUNBUFFERED": "1"})
    if pin is not None:
        env["CHECKPOINT_PIN"] = pin
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(folder: Path) -> dict:
    """`checkpoint serve --port N`: the first line it prints, then stopped."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "checkpoint", "serve", "--port", str(port)], cwd=folder,
                            env=_env(folder, None), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                time.sleep(0.2)
        first = proc.stdout.readline()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return {"argv": "serve --port PORT", "code": "stopped",
            "stdout": first.replace(str(port), "PORT"), "stderr": ""}


class Normaliser:
    def __init__(self, folder: Path, today: dt.date) -> None:
        self.folders = sorted({str(folder), str(folder.resolve())}, key=len, reverse=True)
        self.today = today

    def _day(self, match: re.Match) -> str:
        if match.group(0) in README_DATES:
            return match.group(0)
        try:
            day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return match.group(0)
        delta = (day - self.today).days
        return "<TODAY>" if delta == 0 else f"<TODAY{delta:+d}>" if abs(delta) < 400 else match.group(0)

    def _month_day(self, match: re.Match) -> str:
        return self._day(re.match(r"(\d{4})-(\d\d)-(\d\d)", f"{self.today.year}-{match.group(1)}-{match.group(2)}"))

    def __call__(self, text: str) -> str:
        for folder in self.folders:
            text = text.replace(folder, "<TMP>")
        text = re.sub(r"CP[0-9A-Z$%*+\-./:]{30,}", "<TOKEN>", text)
        text = re.sub(r"\b[0-9a-f]{64}\b", "<HASH>", text)
        text = re.sub(r"\b[0-9A-F]{4}( [0-9A-F]{4}){4}\b", "<FINGERPRINT>", text)
        text = re.sub(r"\d{8}-\d{6}", "<STAMP>", text)   # a backup's name: the UTC date and time
        text = re.sub(r"(?<![0-9a-z])[0-9a-f]{8}(?![0-9a-z])", "<KEY>", text)
        text = re.sub(r"(?m)(^[ \u00a0▀▄█]{20,}$\n?)+", "<QR>\n", text)   # the QR drawing (it follows the token): there, not its blocks
        text = re.sub(r"(\d{4})-(\d\d)-(\d\d)", self._day, text)
        text = re.sub(r"(?<![\d-])(\d\d)-(\d\d)(?= \d\d:\d\d)", self._month_day, text)
        text = re.sub(r"\b\d\d:\d\d(:\d\d)?(\.\d+)?(\+00:00)?", "<T>", text)
        text = re.sub(r"(\d+(\.\d+)?) (小时|分钟|秒)", r"N \3", text)
        return text


def _fill(argv: str, values: dict) -> str:
    for key, value in values.items():
        argv = argv.replace("{" + key + "}", value)
    return argv


def run_steps(folder: Path) -> list[dict]:
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()   # the station's and township's day
    values = {"TODAY": today.isoformat(), "TODAY+1": (today + dt.timedelta(days=1)).isoformat()}
    normal = Normaliser(folder, today)
    results = []
    for template, pin in STEPS:
        if template == "SERVE":
            results.append(_serve(folder))
            continue
        argv = _fill(template, values)
        proc = subprocess.run([sys.executable, "-m", "checkpoint", *shlex.split(argv)], cwd=folder,
                              env=_env(folder, pin), capture_output=True, text=True, timeout=300,
                              stdin=subprocess.DEVNULL)
        assert "Traceback" not in proc.stderr + proc.stdout, (argv, proc.stderr)
        if argv.startswith("pass issue") and "household" in argv:
            values["TOKEN"] = proc.stdout.splitlines()[-1]
        if argv.startswith("township key --out town2.key"):
            values["FP2"] = re.search(r"[0-9A-F]{4}( [0-9A-F]{4}){4}", proc.stdout).group(0)
        if argv == "backup":
            values["BACKUP"] = proc.stdout.strip()
        results.append({"argv": normal(template), "code": proc.returncode, "stdout": normal(proc.stdout),
                        "stderr": normal(proc.stderr)})
    return results


def _compare(found, path: Path) -> None:
    if UPDATE:
        path.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(found, list):
        assert len(found) == len(expected), "the steps changed: UPDATE_README_GOLDEN=1 after an intended change"
        for got, want in zip(found, expected):
            assert got == want, f"{want['argv']}\n--- expected\n{want}\n--- found\n{got}"
    else:
        assert sorted(found) == sorted(expected), set(found) ^ set(expected)
        for name in expected:
            assert found[name] == expected[name], f"`checkpoint {name} --help` changed:\n{found[name]}"


def documented_commands() -> set[tuple[str, ...]]:
    """The command paths README.md shows (`checkpoint township station add` -> township, station, add),
    in its shell blocks and in its text: as deep as the program has groups."""
    text = README.read_text(encoding="utf-8").replace("\\\n", " ")
    found = set()
    for match in re.finditer(r"(?:^|[`;\s/])checkpoint((?: [a-z][a-z-]*)*)", text, re.M):
        words = tuple(w for w in match.group(1).split() if w)
        found.add(words)
    return found


def command_paths() -> dict[tuple[str, ...], bool]:
    """Every command path of the program -> is it a group (from a subprocess: the installed program)."""
    script = ("import json, click\nfrom checkpoint.cli import main\n"
              "def walk(cmd, path, out):\n"
              "    out[' '.join(path)] = isinstance(cmd, click.Group)\n"
              "    for name, sub in getattr(cmd, 'commands', {}).items():\n"
              "        walk(sub, path + [name], out)\n"
              "out = {}\nwalk(main, [], out)\nprint(json.dumps(out))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return {tuple(k.split()) if k else (): v for k, v in json.loads(proc.stdout).items()}


@pytest.mark.slow
def test_every_documented_command_prints_and_exits_as_before(tmp_path):
    results = run_steps(tmp_path)
    _compare(results, GOLDEN)


def test_the_steps_run_every_command_readme_documents_and_every_other():
    paths = command_paths()
    run = set()
    for template, _ in STEPS:
        words = ("serve",) if template == "SERVE" else tuple(w for w in shlex.split(template) if not w.startswith("-"))
        for depth in range(len(words), 0, -1):
            if words[:depth] in paths:
                run.add(words[:depth])
                break
    documented = set()
    for words in documented_commands():
        for depth in range(len(words), -1, -1):
            if words[:depth] in paths:
                documented.add(words[:depth] or ("checkpoint",))
                break
    missing = documented - run - NEEDS_A_TERMINAL
    assert not missing, f"README.md documents commands the steps never run: {sorted(missing)}"
    leaf_commands = {p for p, group in paths.items() if p and not group}
    assert run == leaf_commands, (sorted(leaf_commands - run), sorted(run - leaf_commands))


def test_help_of_every_command_and_option_is_as_before():
    script = ("import json, click\nfrom checkpoint.cli import main\n"
              "def walk(cmd, path, parent, out):\n"
              "    ctx = click.Context(cmd, info_name=path[-1] if path else 'checkpoint', parent=parent)\n"
              "    out[' '.join(path)] = cmd.get_help(ctx)\n"
              "    for name in getattr(cmd, 'list_commands', lambda c: [])(ctx):\n"
              "        walk(cmd.get_command(ctx, name), path + [name], ctx, out)\n"
              "out = {}\nwalk(main, [], None, out)\nprint(json.dumps(out, ensure_ascii=False))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    env["COLUMNS"] = "100"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    _compare(json.loads(proc.stdout), HELP_GOLDEN)
