"""Closing the day through the services (#14): 收班, the next shift's kind by the clock, the
handover's roster, sign-off conditions named before any PIN, open matters with their age closed
with a note, vehicles corrected with history, the export marked 已签核, passes shown as text."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3

import pytest

from checkpoint.domain import passes as pass_rules
from checkpoint.domain import shifts as shift_rules
from checkpoint.domain.passes import PassForm
from checkpoint.domain.registration import PersonForm, VehicleForm
from checkpoint.errors import FieldProblems, InputError, RefusedError
from checkpoint.services import accounts, passes, registration, review, settings, shifts, signoff, vehicle_amend
from checkpoint.store import audit

TZ = dt.timezone(dt.timedelta(hours=8))
DAY = "2026-11-24"
MORNING = dt.datetime(2026, 11, 24, 8, 0, tzinfo=TZ)


def at(hours=0.0, days=0):
    return MORNING + dt.timedelta(days=days, hours=hours)


def person(name="王强", doc="110101200001010037", disposition="release", temp="36.5", recheck=""):
    return PersonForm(name=name, doc_no=doc, phone="13800001111", origin="本地", temp=temp, recheck_temp=recheck,
                      direction="in", disposition=disposition)


@pytest.fixture
def crew(station, leader):
    accounts.add_staff(station, "赵六", "staff", "3333", leader)
    accounts.add_staff(station, "刘夜班", "leader", "4444", leader)
    return station


# ---- the next shift's kind ------------------------------------------------------------------------------
@pytest.mark.parametrize("clock, kind", [("06:30", "day"), ("13:00", "day"), ("17:10", "night"), ("21:27", "night"),
                                         ("02:00", "night"), ("05:10", "day")])
def test_the_kind_follows_the_clock_and_a_handover_an_hour_early_names_the_coming_shift(clock, kind):
    hours, minutes = (int(x) for x in clock.split(":"))
    assert shift_rules.kind_at(hours * 60 + minutes) == kind


def test_the_station_sets_its_own_day_and_night_times(crew, leader):
    late = dt.datetime(2026, 11, 24, 19, 30, tzinfo=TZ)
    assert shifts.kind_now(crew, late) == "night"                 # defaults: 06:00 / 18:00
    settings.change_setting(crew, leader, "night-shift-from", "22:00")
    settings.change_setting(crew, leader, "day-shift-from", "08:00")
    assert shifts.kind_now(crew, late) == "day"
    assert shifts.kind_now(crew, dt.datetime(2026, 11, 24, 21, 27, tzinfo=TZ)) == "night"   # within the hour before
    with pytest.raises(InputError) as bad:
        settings.change_setting(crew, leader, "day-shift-from", "25:00")
    assert "08:00" in bad.value.message and "25:00" in bad.value.message


def test_a_handover_at_21_27_opens_a_night_shift_not_the_alternate(crew, leader):
    shifts.start_shift(crew, leader, None, [], now=dt.datetime(2026, 11, 24, 17, 30, tzinfo=TZ))
    assert shifts.shift_status(crew).shift["kind"] == "night"    # started 17:30: the night shift by the clock
    result = shifts.hand_over(crew, leader, "刘夜班", "4444", now=dt.datetime(2026, 11, 24, 21, 27, tzinfo=TZ))
    assert shifts.shift_status(crew).shift["kind"] == "night" and result.next_shift_id == 2


# ---- the roster at the handover -------------------------------------------------------------------------
def test_the_next_roster_keeps_who_is_on_duty_without_the_outgoing_leader(crew, leader):
    shifts.start_shift(crew, leader, "day", [("李四", "police"), ("赵六", "volunteer")], now=MORNING)
    assert shifts.default_next_roster(crew, leader) == [("李四", "police"), ("赵六", "volunteer")]
    shifts.hand_over(crew, leader, "刘夜班", "4444", now=at(10))                 # roster not given: kept
    status = shifts.shift_status(crew)
    assert [(m.name, m.category) for m in status.roster] == [("刘夜班", "township-cadre"), ("李四", "police"),
                                                            ("赵六", "volunteer")]


def test_a_dropped_person_is_not_on_the_next_shift_and_a_disabled_one_is_refused_by_name(crew, leader):
    shifts.start_shift(crew, leader, "day", [("李四", "police"), ("赵六", "volunteer")], now=MORNING)
    accounts.disable_staff(crew, "赵六", leader)
    assert shifts.default_next_roster(crew, leader) == [("李四", "police")]     # disabled since: left off
    with pytest.raises(RefusedError) as refused:
        shifts.hand_over(crew, leader, "刘夜班", "4444", next_roster=[("赵六", "police")], now=at(10))
    assert "赵六" in refused.value.message and "停用" in refused.value.message
    assert shifts.shift_status(crew).shift["id"] == 1               # nothing written
    shifts.hand_over(crew, leader, "刘夜班", "4444", next_roster=[], now=at(10))
    assert [m.name for m in shifts.shift_status(crew).roster] == ["刘夜班"]


def test_a_handover_to_oneself_is_refused_in_one_sentence(crew, leader):
    shifts.start_shift(crew, leader, "day", [], now=MORNING)
    with pytest.raises(RefusedError) as same:
        shifts.hand_over(crew, leader, "王队长", "1234", now=at(10))
    assert same.value.message == "交班和接班不能是同一个人"


# ---- 收班 -------------------------------------------------------------------------------------------------
def test_closing_the_last_shift_opens_none_and_the_matters_wait_for_the_next(crew, leader, staff_member):
    shifts.start_shift(crew, leader, "day", [("李四", "police")], now=MORNING)
    registration.register(crew, staff_member, [person(temp="37.8", recheck="37.6", disposition="hold")], now=at(1))
    result = shifts.close_shift(crew, leader, stock={"masks": 120}, note="夜里无人值守", now=at(10))
    assert result.closed_shift_id == 1 and result.matters == 1
    assert shifts.shift_status.__name__ and crew.read_one("SELECT count(*) AS n FROM shifts WHERE open = 1")["n"] == 0
    record = shifts.handover_record(crew, 1)
    assert record["incoming_id"] is None and record["next_shift_id"] is None
    assert json.loads(record["stock"])[0]["count"] == 120
    text = shifts.handover_markdown(crew, 1)
    assert "收班记录" in text and "没有接班" in text and "王强" in text and "下一个班次开班" in text
    with pytest.raises(RefusedError):
        shifts.close_shift(crew, leader, now=at(11))                 # nothing open any more
    assert "上次收班：第1班" in shifts.no_shift_text(crew)
    # the next morning's shift starts with the held person still waiting
    status = shifts.start_shift(crew, leader, None, [], now=at(24))
    assert status.shift["kind"] == "day" and [m.kind for m in status.matters] == ["held"]
    assert status.matters[0].age == "23小时"
    assert audit.verify(crew).whole


def test_closing_needs_a_leader(crew, leader, staff_member):
    shifts.start_shift(crew, leader, "day", [], now=MORNING)
    with pytest.raises(RefusedError):
        shifts.close_shift(crew, staff_member, now=at(2))


# ---- sign-off: every condition before the PIN ----------------------------------------------------------
def test_sign_off_names_every_missing_condition_before_any_pin(crew, leader, staff_member):
    shifts.start_shift(crew, leader, "day", [], now=MORNING)
    found = signoff.check(crew, staff_member, DAY, at(9))
    assert not found.ready
    assert any("只有带班领导" in p and "值守" in p for p in found.problems)
    assert any("第1班" in p and "还在值守" in p and "收班" in p for p in found.problems)
    wrong_pins_before = crew.read_one("SELECT failed_pins FROM staff WHERE name = '王队长'")["failed_pins"]
    with pytest.raises(RefusedError) as refused:
        review.sign_off(crew, leader, DAY, "0000", now=at(9))         # a wrong PIN is never even tried
    assert "第1班" in refused.value.message
    assert crew.read_one("SELECT failed_pins FROM staff WHERE name = '王队长'")["failed_pins"] == wrong_pins_before
    shifts.close_shift(crew, leader, now=at(9.5))
    found = signoff.check(crew, leader, DAY, at(9.6))
    assert found.ready and "第1班白班 08:00–17:30（收班）" in found.scope
    done = review.sign_off(crew, leader, DAY, "1234", now=at(9.6))
    assert done.by == "王队长"
    again = signoff.check(crew, leader, DAY, at(10))
    assert any("已签核" in p for p in again.problems)


def test_a_24_hour_station_signs_the_shifts_that_started_that_day_and_says_so(crew, leader):
    shifts.start_shift(crew, leader, "day", [], now=MORNING)
    shifts.hand_over(crew, leader, "刘夜班", "4444", now=at(12))           # 20:00 the night shift begins
    night_leader = accounts.authenticate(crew, "刘夜班", "4444")
    found = signoff.check(crew, leader, DAY, at(13))
    assert any("第2班（夜班，20:00开始）还在值守" in p for p in found.problems)
    shifts.hand_over(crew, night_leader, "王队长", "1234", now=at(24))     # next morning 08:00
    found = signoff.check(crew, leader, DAY, at(24.5))
    assert found.ready
    assert "当天开始的班次" in found.scope and "第2班夜班 20:00–次日08:00（已交接）" in found.scope
    assert "第3班" not in found.scope                                   # started the next day: not this one


def test_a_future_day_is_bad_input_not_a_refusal(crew, leader):
    with pytest.raises(InputError):
        review.sign_off(crew, leader, "2026-11-30", "1234", now=at(1))


# ---- open matters: age, close with a note ---------------------------------------------------------------
def test_matters_show_their_age_and_close_with_a_note_only(crew, leader, staff_member):
    shifts.start_shift(crew, leader, "day", [], now=MORNING)
    registration.register(crew, staff_member, [person(disposition="escorted")], now=at(1))
    shifts.add_matter(crew, leader, "明早加强检查", now=at(2))
    matters = shifts.open_matters(crew, at(5))
    assert [(m.kind, m.age) for m in matters] == [("escorted", "4小时"), ("note", "3小时")]
    assert matters[0].line.endswith("（已4小时）")
    with pytest.raises(InputError) as no_note:
        shifts.close_matter(crew, leader, matters[0].ref, "  ", now=at(5))
    assert "写明" in no_note.value.message
    shifts.close_matter(crew, leader, matters[0].ref, "已带至村委会登记", now=at(5))
    assert [m.kind for m in shifts.open_matters(crew, at(6))] == ["note"]
    assert "已带至村委会登记" in shifts.closure_of(crew, matters[0].ref)
    with pytest.raises(RefusedError):
        shifts.close_matter(crew, leader, matters[0].ref, "again", now=at(6))
    for ref in ("entry:abc", "ticket:1", "entry:999"):
        with pytest.raises(InputError) as bad:
            shifts.close_matter(crew, leader, ref, "x", now=at(6))
        assert "field." not in bad.value.message and "entry:" in bad.value.message or "没有这个" in bad.value.message


def test_an_entry_corrected_to_release_is_no_longer_a_matter(crew, leader, staff_member):
    [entry] = registration.register(crew, staff_member, [person(disposition="escorted")], now=at(1)).entry_ids
    assert len(shifts.open_matters(crew, at(2))) == 1
    form = review.amendment_form(crew, entry)
    form.disposition = "release"
    review.amend(crew, leader, entry, form, "不是专人带入")
    assert shifts.open_matters(crew, at(2)) == []


def test_a_holder_out_and_not_back_is_closed_by_pass_number_typed_loosely(crew, leader, staff_member):
    issued = passes.issue_pass(crew, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X"),
                               now=MORNING)
    passes.verify_scan(crew, staff_member, issued.token, "out", now=at(1))
    [matter] = shifts.open_matters(crew, at(3))
    assert matter.kind == "out-not-back" and matter.ref.startswith("exit:") and matter.age == "2小时"
    shifts.close_matter(crew, leader, " k01 - 000001 ", "从西口返回，电话核实", now=at(3))
    assert shifts.open_matters(crew, at(4)) == [] and passes.out_not_back(crew, now=at(4)) == []
    # going out again is allowed: the exit is closed
    assert passes.verify_scan(crew, staff_member, issued.token, "out", now=at(50)).verdict.verdict == pass_rules.VALID
    assert audit.verify(crew).whole


def test_the_desk_banner_says_when_the_open_shift_is_under_staffed(crew, leader):
    assert shifts.staffing_banner(crew) is None
    shifts.start_shift(crew, leader, "day", [("李四", "police")], now=MORNING)
    text = shifts.staffing_banner(crew)
    assert text is not None and "第1班" in text and "白班只有2人值守，少于4人" in text
    for name in ("赵六", "刘夜班"):
        shifts.change_roster(crew, leader, name, "join", "volunteer", now=at(1))
    assert shifts.staffing_banner(crew) is None


# ---- vehicles corrected like persons --------------------------------------------------------------------
def test_a_vehicle_is_corrected_with_history_and_found_by_its_new_plate(crew, leader, staff_member):
    saved = registration.register(crew, staff_member, [person()], VehicleForm(plate="粤B12345", occupants="1"),
                                  now=at(1))
    vehicle_id, [entry] = saved.vehicle_id, saved.entry_ids
    form = vehicle_amend.vehicle_form(crew, vehicle_id)
    form.plate, form.live_poultry = "粤B54321", True
    assert vehicle_amend.amend_vehicle(crew, leader, vehicle_id, form, "车牌抄错，车上有活禽") == ("plate", "live_poultry")
    assert crew.read_one("SELECT plate FROM vehicles WHERE id = ?", (vehicle_id,))["plate"] == "粤B12345"  # original
    detail = review.detail(crew, leader, entry)
    assert ("车牌", "粤B54321") in detail.vehicle and ("载活禽", "是") in detail.vehicle
    [history] = detail.vehicle_history
    assert [(c.before, c.after) for c in history.changes] == [("粤B12345", "粤B54321"), ("否", "是")]
    assert any(what == "更正车辆" for _, _, what in detail.audit)
    scope = review.Scope(DAY, DAY)
    found = review.query(scope, review.Filters(), "54321")
    assert [line.plate for line in review.page(crew, found, 0, 10, review.count(crew, found, "54321"))] == ["粤B54321"]
    flagged = review.query(scope, review.Filters(vehicle_flags=True))
    assert review.count(crew, flagged) == 1
    assert audit.verify(crew).whole


def test_a_vehicle_correction_is_checked_like_the_desk_and_needs_a_reason(crew, leader, staff_member):
    saved = registration.register(crew, staff_member, [person()], VehicleForm(plate="粤B12345"), now=at(1))
    form = vehicle_amend.vehicle_form(crew, saved.vehicle_id)
    with pytest.raises(InputError):
        vehicle_amend.amend_vehicle(crew, leader, saved.vehicle_id, form, "")             # no reason
    with pytest.raises(InputError):
        vehicle_amend.amend_vehicle(crew, leader, saved.vehicle_id, form, "没改")          # nothing changed
    form.occupants = "0"
    with pytest.raises(FieldProblems) as bad:
        vehicle_amend.amend_vehicle(crew, leader, saved.vehicle_id, form, "人数")
    assert bad.value.problems[0].field == "occupants"
    with pytest.raises(RefusedError):
        vehicle_amend.amend_vehicle(crew, staff_member, saved.vehicle_id, form, "人数")    # staff may not
    assert crew.read_one("SELECT count(*) AS n FROM vehicle_amendments")["n"] == 0


# ---- the export says whether the day was signed off ----------------------------------------------------
def test_the_export_is_marked_signed_off_once_the_day_is(crew, leader, staff_member, tmp_path, township_keys):
    from checkpoint.services import export

    township_keys.give(crew, leader)   # the export seals what names a person to the township's key
    shifts.start_shift(crew, leader, "day", [], now=MORNING)
    registration.register(crew, staff_member, [person()], now=at(1))
    first = export.export_day(crew, DAY, tmp_path, by=leader, now=at(2))
    assert "**未签核**" in (first.folder / "report.md").read_text("utf-8")
    assert json.loads((first.folder / "summary.json").read_text("utf-8"))["counts"]["signed_off"] is False
    shifts.close_shift(crew, leader, now=at(9))
    review.sign_off(crew, leader, DAY, "1234", now=at(9))
    second = export.export_day(crew, DAY, tmp_path, by=leader, now=at(10))
    report = (second.folder / "report.md").read_text("utf-8")
    assert second.revision == 2 and "**已签核**：王队长" in report
    counts = json.loads((second.folder / "summary.json").read_text("utf-8"))["counts"]
    assert counts["signed_off"] is True and counts["signed_off_by"] == "王队长"


# ---- passes -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("length", [37, 38, 39, 40])
def test_a_holder_name_of_37_to_40_characters_is_issued_and_verifies(station, leader, staff_member, length):
    name = "买" + "提" * (length - 2) + "力"
    issued = passes.issue_pass(station, leader, PassForm(kind="household", name=name, doc_no="11010519491231002X"),
                               now=MORNING)
    assert issued.claims.holder == "买*力"
    assert passes.verify_scan(station, staff_member, issued.token, now=MORNING).verdict.valid
    assert passes.show_pass(station, issued.number).holder.startswith("买*")


def test_a_41_character_name_gets_the_forms_limit_in_one_sentence(station, leader):
    with pytest.raises(FieldProblems) as bad:
        passes.issue_pass(station, leader, PassForm(kind="household", name="张" * 41, doc_no="11010519491231002X"),
                          now=MORNING)
    assert bad.value.problems[0].field == "name" and bad.value.problems[0].message == "太长了，最多40个字"
    assert station.read_one("SELECT count(*) AS n FROM passes")["n"] == 0


def test_a_forged_token_shows_nothing_read_from_it(station, leader, staff_member):
    issued = passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X"),
                               now=MORNING)
    forged = issued.token[:60] + ("B" if issued.token[60] != "B" else "C") + issued.token[61:]
    result = passes.verify_scan(station, staff_member, forged, now=MORNING)
    assert result.verdict.verdict in (pass_rules.FORGED, pass_rules.UNKNOWN_ISSUER)
    assert result.shown_claims is None
    good = passes.verify_scan(station, staff_member, issued.token, "in", now=MORNING)
    assert good.shown_claims is not None and good.shown_claims.holder == "张*丰"


@pytest.mark.parametrize("typed, verdict", [("hello", pass_rules.UNREADABLE), ("张三", pass_rules.UNREADABLE),
                                            ("12345", pass_rules.UNREADABLE), ("K01-999999", pass_rules.UNKNOWN_PASS),
                                            ("k01 000001", pass_rules.UNREADABLE),
                                            ("k01 - 000001", pass_rules.VALID), ("Ｋ０１－０００００１", pass_rules.VALID)])
def test_typed_text_is_a_pass_number_or_unreadable(station, leader, staff_member, typed, verdict):
    passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X"),
                      now=MORNING)
    result = passes.verify_scan(station, staff_member, typed, "in", now=MORNING)
    assert result.verdict.verdict == verdict
    if verdict == pass_rules.UNREADABLE:
        assert "K01-000001" in result.reason and result.shown_claims is None


def test_pass_show_has_the_token_and_masked_holder(station, leader):
    issued = passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X",
                                                         village="红旗村"), now=MORNING)
    shown = passes.show_pass(station, "k01-000001")
    assert shown.token == issued.token and shown.holder == "张*丰" and shown.doc == "110105********002X"
    assert "户证" in shown.text() and "红旗村" in shown.text() and "11010519491231002X" not in shown.text()
    with pytest.raises(InputError):
        passes.show_pass(station, "K01-000099")


def test_print_hands_the_card_to_lp_or_says_there_is_no_printer(station, leader, tmp_path, monkeypatch):
    issued = passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X"),
                               now=MORNING)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "printed.txt"
    lp = bin_dir / "lp"
    lp.write_text(f"#!/bin/sh\necho \"$@\" > {log}\n", encoding="utf-8")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    printed = passes.print_card(station, issued.number, tmp_path / "cards")
    assert printed.printer == "lp" and printed.path.read_bytes().startswith(b"%PDF")
    assert log.read_text("utf-8").strip() == str(printed.path)
    lp.write_text("#!/bin/sh\necho 'lp: Error - no default destination' >&2\nexit 1\n", encoding="utf-8")
    with pytest.raises(RefusedError) as failed:
        passes.print_card(station, issued.number, tmp_path / "cards")
    assert "no default destination" in failed.value.message and "cards" in failed.value.message
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(RefusedError) as none:
        passes.print_card(station, issued.number, tmp_path / "cards")
    assert "没有设置打印机" in none.value.message and (tmp_path / "cards" / "K01-000001.pdf").exists()


# ---- no English, no raw keys --------------------------------------------------------------------------------
def test_every_audit_action_and_disposition_source_has_chinese_words():
    import pathlib
    import re

    from checkpoint.i18n import t

    actions = set()
    for path in pathlib.Path("checkpoint").rglob("*.py"):
        text = path.read_text("utf-8")
        actions |= set(re.findall(r'audit\.append\(store, "([a-z_.]+)"', text))
    actions |= {"roster.join", "roster.leave", "entry.flag_raise", "entry.flag_clear"}
    for action in sorted(actions):
        words = review.action_words(action)
        assert not words.startswith("其他操作") and any("\u4e00" <= c <= "\u9fff" for c in words), action
    for source in ("suggested", "confirmed", "chosen"):
        assert any("\u4e00" <= c <= "\u9fff" for c in t(f"dayclose.source_{source}"))


def test_every_field_named_in_an_error_has_a_label():
    import pathlib
    import re

    from checkpoint.i18n import t

    fields = set()
    for path in pathlib.Path("checkpoint").rglob("*.py"):
        fields |= set(re.findall(r'field="([a-z_0-9]+)"', path.read_text("utf-8")))
    assert fields and all(t(f"field.{f}") != f"field.{f}" for f in fields), \
        sorted(f for f in fields if t(f"field.{f}") == f"field.{f}")


# ---- the migration keeps every audited row --------------------------------------------------------------
def test_m008_rebuilds_handovers_and_closures_keeping_the_audit_chain_whole(crew, leader, staff_member, db_path, tmp_path):
    from checkpoint.store import open_store

    shifts.start_shift(crew, leader, "day", [], now=MORNING)
    registration.register(crew, staff_member, [person(disposition="escorted")], now=at(1))
    shifts.close_matter(crew, leader, "entry:1", "已销号", now=at(2))
    shifts.hand_over(crew, leader, "刘夜班", "4444", now=at(10))
    crew.close()
    copy = tmp_path / "old.db"
    shutil.copy(db_path, copy)
    conn = sqlite3.connect(copy)
    # back to the schema before m008: its tables as m003 made them, the migration not applied
    conn.executescript("""
        DROP VIEW vehicles_now; DROP TABLE vehicle_amendments;
        CREATE TABLE h_old AS SELECT * FROM handovers; DROP TABLE handovers;
        CREATE TABLE handovers (id INTEGER PRIMARY KEY, shift_id INTEGER NOT NULL UNIQUE REFERENCES shifts(id),
          next_shift_id INTEGER NOT NULL REFERENCES shifts(id), outgoing_id INTEGER NOT NULL REFERENCES staff(id),
          incoming_id INTEGER NOT NULL REFERENCES staff(id), signed_at TEXT NOT NULL, counts TEXT NOT NULL,
          open_matters TEXT NOT NULL, stock TEXT NOT NULL, incidents TEXT NOT NULL, instructions TEXT NOT NULL,
          equipment TEXT NOT NULL, notes TEXT NOT NULL);
        INSERT INTO handovers SELECT * FROM h_old; DROP TABLE h_old;
        DELETE FROM _sqlite_migrations WHERE name = 'm008_dayclose';
    """)
    conn.commit()
    conn.close()
    store = open_store(copy)
    try:
        assert store.read_one("SELECT name FROM _sqlite_migrations WHERE name = 'm008_dayclose'") is not None
        assert audit.verify(store).whole
        assert store.read_one("SELECT count(*) AS n FROM handovers")["n"] == 1
        assert "NOT NULL REFERENCES shifts" not in store.read_one(
            "SELECT sql FROM sqlite_master WHERE name = 'handovers'")["sql"].split("next_shift_id")[1].split(",")[0]
    finally:
        store.close()


def test_the_vehicle_filter_follows_corrections_both_ways(crew, leader, staff_member):
    flagged = registration.register(crew, staff_member, [person()], VehicleForm(plate="粤B12345", live_poultry=True),
                                    now=at(1))
    plain = registration.register(crew, staff_member, [person("李明", "110101200001010037")],
                                  VehicleForm(plate="粤B22222"), now=at(2))
    scope = review.Scope(DAY, DAY)

    def shown() -> list[str]:
        q = review.query(scope, review.Filters(vehicle_flags=True))
        return [line.plate for line in review.page(crew, q, 0, 10, review.count(crew, q))]

    assert shown() == ["粤B12345"]
    form = vehicle_amend.vehicle_form(crew, flagged.vehicle_id)
    form.live_poultry = False
    vehicle_amend.amend_vehicle(crew, leader, flagged.vehicle_id, form, "没有活禽，点错了")
    form = vehicle_amend.vehicle_form(crew, plain.vehicle_id)
    form.illegal_passengers = True
    vehicle_amend.amend_vehicle(crew, leader, plain.vehicle_id, form, "非法载客")
    assert shown() == ["粤B22222"]
