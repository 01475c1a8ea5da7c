"""`checkpoint search`, `amend`, `signoff` in a subprocess, as a leader scripting the review would."""

from __future__ import annotations

from tests.cli.test_cli import db, register, rows, run, template  # noqa: F401  (fixtures)


def test_search_amend_and_sign_off_from_the_command_line(db):  # noqa: F811
    entry = register(db, "--temp", "36.5", code=0).stdout.strip()
    register(db, "--name", "李明", "--id", "110101200001010037", "--phone", "13712345678", "--temp", "36.6", code=0)

    found = run("--db", db, "search", "zs", "--as", "王队长", pin="1234", code=0)
    [line] = found.stdout.strip().splitlines()
    assert line.split("\t")[0] == entry and "张三" in line
    assert "110105********002X" in line and "138****5678" in line and "11010519491231002X" not in line
    assert run("--db", db, "search", "002x", "--as", "王队长", pin="1234", code=0).stdout.startswith(entry)
    assert run("--db", db, "search", "5678", "--as", "王队长", pin="1234", code=0).stdout.count("\n") == 2
    nothing = run("--db", db, "search", "'\"*) OR 1=1 --", "--as", "王队长", pin="1234", code=0)
    assert nothing.stdout == "" and "没有找到" in nothing.stderr
    run("--db", db, "search", "zs", "--date", "2026-02-30", "--as", "王队长", pin="1234", code=2)

    done = run("--db", db, "amend", entry, "--temp", "36.8", "--reason", "抄错", "--as", "王队长", pin="1234", code=0)
    assert "体温" in done.stdout
    assert rows(db, f"SELECT temp FROM entries WHERE id = {entry}") == [(36.5,)]        # the original is kept
    assert rows(db, f"SELECT temp FROM entries_now WHERE id = {entry}") == [(36.8,)]
    assert "✎" in run("--db", db, "search", "zs", "--as", "王队长", pin="1234", code=0).stdout

    before = rows(db, "SELECT count(*) FROM amendments")
    run("--db", db, "amend", entry, "--temp", "36.9", "--reason", "x", "--as", "李四", pin="2222", code=1)
    run("--db", db, "amend", entry, "--id", "11010519491231002Y", "--reason", "x", "--as", "王队长", pin="1234",
        code=2)
    run("--db", db, "amend", entry, "--temp", "36.9", "--reason", " ", "--as", "王队长", pin="1234", code=2)
    run("--db", db, "amend", entry, "--reason", "nothing", "--as", "王队长", pin="1234", code=2)
    run("--db", db, "amend", "12x", "--temp", "36.9", "--reason", "x", "--as", "王队长", pin="1234", code=2)
    run("--db", db, "amend", "999", "--temp", "36.9", "--reason", "x", "--as", "王队长", pin="1234", code=2)
    assert rows(db, "SELECT count(*) FROM amendments") == before

    day = rows(db, f"SELECT local_day FROM entries WHERE id = {entry}")[0][0]
    run("--db", db, "signoff", "--date", day, "--as", "李四", pin="2222", code=1)
    run("--db", db, "signoff", "--date", "yesterday", "--as", "王队长", pin="1234", code=2)
    signed = run("--db", db, "signoff", "--date", day, "--as", "王队长", pin="1234", code=0)
    assert "已签核" in signed.stdout
    run("--db", db, "signoff", "--date", day, "--as", "王队长", pin="1234", code=1)
    assert run("--db", db, "audit", "verify", code=0)
