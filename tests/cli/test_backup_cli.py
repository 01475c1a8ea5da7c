"""As a new user would: back up, break the database file on purpose, restore, find every entry."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import db, register, run, template  # noqa: F401  (fixtures)


def test_backup_break_restore_from_the_command_line(db):  # noqa: F811
    run("--db", db, "staff", "add", "--name", "陈管理", "--role", "admin", "--pin", "3333", "--as", "王队长",
        pin="1234", code=0)
    ids = [register(db, "--temp", "36.5", code=0).stdout.strip() for _ in range(3)]
    made = run("--db", db, "backup", code=0)
    backup_file = next(Path(db).parent.joinpath("backups").glob("*.db"))
    assert backup_file.name in made.stdout + made.stderr
    with open(db, "r+b") as f:                       # the file is damaged (a bad sector, a pulled stick)
        f.seek(4096)
        f.write(b"\x00" * 8192)
    broken = run("--db", db, "log", code=2)
    assert broken.stderr.strip() and "Traceback" not in broken.stderr
    refused = run("--db", db, "restore", str(backup_file), "--as", "陈管理", pin="3333", code=2)
    assert "--yes" in refused.stderr                                 # a script is told how to confirm
    assert "--as" in run("--db", db, "restore", str(backup_file), "--yes", code=2).stderr
    run("--db", db, "restore", str(backup_file), "--yes", "--as", "陈管理", pin="3333", code=0)
    assert "完整" in run("--db", db, "audit", "verify", code=0).stdout
    found = run("--db", db, "search", "zs", "--as", "王队长", pin="1234", code=0).stdout
    assert sorted(line.split("\t")[0] for line in found.splitlines()) == sorted(ids)
