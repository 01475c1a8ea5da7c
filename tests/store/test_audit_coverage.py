"""`audit verify` sees everything that decides what the program allows or shows (issue #16, hole 2):
settings, the "out, not back" marks, the newest rows and the chain's tail, each edited the way a
person with the sqlite3 shell would. Every table of the schema is audited, derived (rebuilt and
compared) or named as not covered, with the reason."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from checkpoint.domain.passes import PassForm
from checkpoint.domain.registration import PersonForm
from checkpoint.services import passes, registration
from checkpoint.services.audit import describe
from checkpoint.store import audit

NOW = dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.timezone.utc)


def shell(store, *statements: str) -> None:
    """Statements run by someone with the sqlite3 shell, on a connection of their own."""
    conn = sqlite3.connect(str(store.path))
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


DROP_GUARDS = ("DROP TRIGGER audit_rows_stay", "DROP TRIGGER audit_rows_unchanged")


def person(name: str = "张伟", doc_no: str = "110108198506123015") -> PersonForm:
    return PersonForm(name=name, doc_no=doc_no, phone="13800001111", origin="本地", temp="36.5", direction="in",
                      disposition="release")


def broken(store, why: str) -> audit.ChainReport:
    report = audit.verify(store)
    assert not report.whole, describe(report)
    assert report.why == why, describe(report)
    return report


def test_every_table_is_audited_derived_or_named_with_a_reason(station):
    tables = {r["name"] for r in station.read(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    fts_shadows = {t for t in tables if t.startswith("entry_search_")}
    placed = set(audit.AUDITED_TABLES) | set(audit.DERIVED_TABLES) | set(audit.NOT_COVERED)
    assert tables - fts_shadows - placed == set()          # a new table must be placed in one list
    assert placed - tables == set()                        # and the lists name no table that is gone
    assert not set(audit.AUDITED_TABLES) & set(audit.DERIVED_TABLES)
    assert all(reason.strip() for reason in audit.NOT_COVERED.values())


def test_a_setting_inserted_with_the_shell_is_found(station, staff_member):
    assert audit.verify(station).whole
    # duty staff could issue passes from now on
    shell(station, "INSERT INTO settings (key, value) VALUES ('pass_issue_staff', 'true')")
    report = broken(station, "audit.why_setting")
    assert dict(report.why_params) == {"key": "pass_issue_staff"}
    assert "pass_issue_staff" in describe(report)


def test_a_setting_changed_or_removed_with_the_shell_is_found(station, leader):
    from checkpoint.services import settings

    settings.change_setting(station, leader, "bell", "off")
    settings.change_setting(station, leader, "review-staff", "off")
    assert audit.verify(station).whole
    shell(station, "UPDATE settings SET value = 'true' WHERE key = 'review_staff'")
    assert dict(broken(station, "audit.why_setting").why_params) == {"key": "review_staff"}
    shell(station, "UPDATE settings SET value = 'false' WHERE key = 'review_staff'",
          "DELETE FROM settings WHERE key = 'bell'")              # the bell rings again
    assert dict(broken(station, "audit.why_setting").why_params) == {"key": "bell"}


def issued_and_out(station, leader, staff_member):
    form = PassForm(kind="household", name="张三丰", doc_no="11010519491231002X", village="红旗村")
    issued = passes.issue_pass(station, leader, form, now=NOW)
    assert passes.verify_scan(station, staff_member, issued.token, "out", now=NOW).verdict.verdict == "valid"
    return issued


def test_deleting_the_out_not_back_marks_is_found(station, leader, staff_member):
    issued = issued_and_out(station, leader, staff_member)
    assert audit.verify(station).whole
    shell(station, "DELETE FROM open_exits")
    # the holder, who is out, would scan out again as VALID
    report = broken(station, "audit.why_open_exit")
    assert dict(report.why_params) == {"number": issued.number}


def test_an_out_not_back_mark_added_or_moved_is_found(station, leader, staff_member):
    issued = issued_and_out(station, leader, staff_member)
    passes.verify_scan(station, staff_member, issued.token, "in", now=NOW + dt.timedelta(hours=1))
    assert audit.verify(station).whole                     # back: no mark left, and none expected
    crossing = station.read_one("SELECT id, key_id FROM crossings ORDER BY id LIMIT 1")
    shell(station, f"INSERT INTO open_exits VALUES ('{crossing['key_id']}', '{issued.number}', {crossing['id']})")
    broken(station, "audit.why_open_exit")


def test_deleting_the_newest_entry_with_its_audit_row_is_found(station, staff_member):
    registration.register(station, staff_member, [person()], now=NOW)
    saved = registration.register(station, staff_member, [person("王强", "110101200001010037")], now=NOW)
    newest = station.read_one("SELECT target_table, target_id FROM audit ORDER BY id DESC LIMIT 1")
    assert (newest["target_table"], newest["target_id"]) == ("entries", saved.entry_ids[0])
    shell(station, *DROP_GUARDS, f"DELETE FROM entries WHERE id = {saved.entry_ids[0]}",
          "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
    report = broken(station, "audit.why_head")
    assert "最新" in describe(report)


def cut_tail(store, first: int, rewind_head: bool = False) -> None:
    """Remove audit rows `first`.. and the records they audited, as a careful shell user would; with
    `rewind_head` the kept head is set back to the new last row and the guards are put back."""
    statements = [*DROP_GUARDS]
    for table in ("entries", "vehicles"):
        statements.append(f"DELETE FROM {table} WHERE id IN (SELECT target_id FROM audit "
                          f"WHERE target_table = '{table}' AND id >= {first})")
    statements.append(f"DELETE FROM audit WHERE id >= {first}")
    if rewind_head:
        statements.append("UPDATE audit_head SET seq = (SELECT max(id) FROM audit), "
                          "hash = (SELECT hash FROM audit ORDER BY id DESC LIMIT 1)")
    shell(store, *statements)
    if rewind_head:
        restore_guards(store)


def test_a_cut_tail_is_found_against_the_kept_head(station, staff_member):
    for i in range(3):
        registration.register(station, staff_member, [person()], now=NOW)
    last = station.read_one("SELECT max(id) AS n FROM audit")["n"]
    cut_tail(station, last - 1)
    report = broken(station, "audit.why_head")
    assert dict(report.why_params) == {"seq": last, "last": last - 2}


def test_a_cut_tail_with_its_kept_head_rewound_is_found_only_against_an_anchor(station, staff_member):
    registration.register(station, staff_member, [person()], now=NOW)
    registration.register(station, staff_member, [person()], now=NOW)
    anchor = audit.head(station)                      # what the day's export carried
    registration.register(station, staff_member, [person()], now=NOW)
    cut_tail(station, anchor.seq, rewind_head=True)   # the export's newest row and all after it
    # Everything in the file agrees with itself now: only a head saved elsewhere can tell.
    assert audit.verify(station).whole
    report = audit.verify(station, anchor=anchor)
    assert report.why == "audit.why_anchor_short"
    assert dict(report.why_params) == {"seq": anchor.seq, "last": anchor.seq - 1}
    assert "截短" in describe(report)


def test_a_chain_rewritten_after_the_anchor_is_found(station, staff_member):
    registration.register(station, staff_member, [person()], now=NOW)
    anchor = audit.head(station)
    cut_tail(station, anchor.seq, rewind_head=True)
    # and a different row written in its place by the program
    registration.register(station, staff_member, [person("王强", "110101200001010037")], now=NOW)
    assert audit.verify(station).whole
    report = audit.verify(station, anchor=anchor)
    assert report.why == "audit.why_anchor_differs" and report.broken_at == anchor.seq


def test_an_anchor_the_chain_still_holds_passes(station, staff_member):
    registration.register(station, staff_member, [person()], now=NOW)
    anchor = audit.head(station)
    registration.register(station, staff_member, [person()], now=NOW)
    assert audit.verify(station, anchor=anchor).whole


def test_the_audit_rows_refuse_a_plain_delete_or_update(station):
    conn = sqlite3.connect(str(station.path))
    try:
        with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
            conn.execute("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
        with pytest.raises(sqlite3.IntegrityError, match="never changed"):
            conn.execute("UPDATE audit SET detail = '{}'")
    finally:
        conn.close()


def test_dropped_guards_are_found(station):
    shell(station, *DROP_GUARDS)
    broken(station, "audit.why_guards")


def restore_guards(store) -> None:
    """Put the guards back as they were (the person covering their tracks)."""
    from checkpoint.store.definitions import AUDIT_GUARDS

    shell(store, *[g for g in AUDIT_GUARDS.split(";\n") if "head_follows" not in g])
