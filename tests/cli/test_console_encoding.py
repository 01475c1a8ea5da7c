"""Output on a console that cannot show every character: a Chinese Windows console or a file it
redirects to is GBK (code page 936), which has no ✎. Played here with PYTHONIOENCODING=gbk and a
pipe, through both ways the program starts (`python -m checkpoint` and the installed script)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import db, register, run, template  # noqa: F401  (fixtures)

SCRIPT = Path(sys.executable).with_name("checkpoint")


def gbk(command: list[str], pin: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    env.update(PYTHONIOENCODING="gbk", CHECKPOINT_PIN=pin, CHECKPOINT_LANG="zh")
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120)


@pytest.mark.parametrize("how", ["module", "script"])
def test_an_amended_entry_piped_to_a_gbk_console_prints_without_crashing(db, how):  # noqa: F811
    entry = register(db, "--temp", "36.5", code=0).stdout.strip()
    run("--db", db, "amend", entry, "--temp", "36.8", "--reason", "抄错", "--as", "王队长", pin="1234", code=0)
    assert "✎" in run("--db", db, "search", "zs", "--as", "王队长", pin="1234", code=0).stdout
    start = [sys.executable, "-m", "checkpoint"] if how == "module" else [str(SCRIPT)]
    if how == "script":
        assert shutil.which(str(SCRIPT)), "the installed `checkpoint` script is missing beside the interpreter"

    result = gbk([*start, "--db", db, "search", "zs", "--as", "王队长"], pin="1234")

    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    text = result.stdout.decode("gbk")                # the bytes really are GBK
    [line] = text.strip().splitlines()
    assert line.split("\t")[0] == entry and "张三" in line and "110105********002X" in line
    assert "?" in line and "✎" not in line            # the mark GBK lacks became "?"; the line is whole
    assert b"Traceback" not in result.stderr


def test_an_error_sentence_reaches_a_gbk_console_whole(db):  # noqa: F811
    result = gbk([sys.executable, "-m", "checkpoint", "--db", db, "search", "zs", "--as", "王队长"], pin="0000")
    assert result.returncode != 0
    said = result.stderr.decode("gbk")
    assert "PIN" in said and "Traceback" not in said
