"""Shifts and the handover through the services: warnings, counts, open matters, two-PIN sign-off."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from checkpoint.domain.registration import PersonForm, VehicleForm
from checkpoint.errors import InputError, RefusedError
from checkpoint.services import accounts, registration, shifts

TZ = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 11, 24, 8, 0, tzinfo=TZ)


@pytest.fixture
def crew(station, leader):
    accounts.add_staff(station, "赵六", "staff", "3333", leader)
    accounts.add_staff(station, "刘夜班", "leader", "4444", leader)
    return station


def person(name, doc, temp="36.5", recheck="", disposition="release"):
    return PersonForm(name=name, doc_no=doc, phone="13800001111", origin="本地", temp=temp, recheck_temp=recheck,
                      direction="in", disposition=disposition)


def test_under_staffed_day_shift_warns_but_starts(crew, leader):
    status = shifts.start_shift(crew, leader, "day", [("李四", "police"), ("赵六", "village-cadre")], now=T0)
    assert [m.name for m in status.roster] == ["王队长", "李四", "赵六"]
    assert [key for key, _ in status.warnings] == ["shift.warn_under"]
    assert "少于4人" in status.warning_texts[0]


def test_night_roster_without_leader_and_crowding(crew, leader):
    from checkpoint.domain.shifts import RosterMember, staffing_warnings

    staff = [RosterMember(i, f"p{i}", "staff", "volunteer") for i in range(10)]
    keys = [k for k, _ in staffing_warnings("night", staff)]
    assert keys == ["shift.warn_crowd", "shift.warn_no_leader"]
    assert staffing_warnings("night", staff[:1] + [RosterMember(99, "l", "leader", "police")]) == []


def test_only_one_open_shift_and_staff_cannot_start(crew, leader, staff_member):
    shifts.start_shift(crew, leader, "day", [], now=T0)
    with pytest.raises(RefusedError):
        shifts.start_shift(crew, leader, "night", [], now=T0)
    with pytest.raises(RefusedError):
        shifts.start_shift(crew, staff_member, "day", [], now=T0)


def test_bad_roster_names_and_categories(crew, leader):
    with pytest.raises(InputError):
        shifts.start_shift(crew, leader, "day", [("没有这人", "police")], now=T0)
    with pytest.raises(InputError):
        shifts.start_shift(crew, leader, "day", [("李四", "astronaut")], now=T0)
    accounts.disable_staff(crew, "赵六", leader)
    with pytest.raises(RefusedError):
        shifts.start_shift(crew, leader, "day", [("赵六", "police")], now=T0)
    assert crew.read("SELECT count(*) AS n FROM shifts")[0]["n"] == 0


def test_counts_come_from_the_records_and_held_person_is_carried_over(crew, leader, staff_member):
    shifts.start_shift(crew, leader, "day", [("李四", "police")], now=T0)
    registration.register(crew, staff_member, [person("王强", "110101200001010037", "37.8", "37.6", "hold"),
                                               person("张三", "11010519491231002X")],
                          VehicleForm(plate="粤B12345"), now=T0 + dt.timedelta(hours=1))
    registration.register(crew, staff_member, [person("李芳", "110108198506123015", disposition="turn-back")],
                          now=T0 + dt.timedelta(hours=2))
    status = shifts.shift_status(crew, now=T0 + dt.timedelta(hours=3))
    c = status.counts
    assert (c["persons"], c["persons_in"], c["vehicles"], c["fevers"]) == (3, 3, 1, 1)
    assert c["dispositions"] == {"hold": 1, "release": 1, "turn-back": 1}
    assert [m.kind for m in status.matters] == ["held"]

    night_leader = accounts.authenticate(crew, "王队长", "1234")
    result = shifts.hand_over(crew, night_leader, "刘夜班", "4444", stock={"masks": 200, "disinfectant": 3},
                              note="夜里注意", now=T0 + dt.timedelta(hours=10))
    record = shifts.handover_record(crew, result.closed_shift_id)
    assert json.loads(record["counts"])["persons"] == 3
    assert "王强" in record["open_matters"]
    night = shifts.shift_status(crew, now=T0 + dt.timedelta(hours=11))
    assert night.shift["kind"] == "night" and night.shift["leader_id"] != night_leader.id
    assert [m.kind for m in night.matters] == ["held"]          # carried to the next shift
    assert night.counts["persons"] == 0                         # the new shift counts from zero
    text = shifts.handover_markdown(crew, result.closed_shift_id)
    assert "王强" in text and "110101200001010037" not in text and "口罩" in text

    shifts.close_matter(crew, night_leader, night.matters[0].ref, "已由120转运")
    assert shifts.shift_status(crew, now=T0 + dt.timedelta(hours=12)).matters == []
    with pytest.raises(RefusedError):
        shifts.close_matter(crew, night_leader, night.matters[0].ref, "again")


def test_stock_usage_and_days_left(crew, leader):
    shifts.start_shift(crew, leader, "day", [], now=T0)
    shifts.hand_over(crew, leader, "刘夜班", "4444", stock={"masks": 300}, now=T0 + dt.timedelta(hours=12))
    night = accounts.authenticate(crew, "刘夜班", "4444")
    result = shifts.hand_over(crew, night, "王队长", "1234", stock={"masks": 200}, now=T0 + dt.timedelta(hours=24))
    (line,) = json.loads(shifts.handover_record(crew, result.closed_shift_id)["stock"])
    assert line["used"] == 100 and line["days_left"] == 1.0 and line["low"] is True


@pytest.mark.parametrize("incoming,pin,error", [
    ("王队长", "1234", RefusedError),     # same person signs both sides
    ("刘夜班", "0000", RefusedError),     # wrong PIN
    ("李四", "2222", RefusedError),       # staff cannot lead a shift
    ("没有这人", "1234", RefusedError),
])
def test_bad_sign_offs_change_nothing(crew, leader, incoming, pin, error):
    shifts.start_shift(crew, leader, "day", [], now=T0)
    with pytest.raises(error):
        shifts.hand_over(crew, leader, incoming, pin, now=T0 + dt.timedelta(hours=8))
    assert crew.read("SELECT count(*) AS n FROM handovers")[0]["n"] == 0
    assert shifts.shift_status(crew).shift["id"] == 1


def test_negative_stock_is_refused(crew, leader):
    shifts.start_shift(crew, leader, "day", [], now=T0)
    with pytest.raises(InputError):
        shifts.hand_over(crew, leader, "刘夜班", "4444", stock={"masks": -1}, now=T0)
    from checkpoint.domain.shifts import parse_stock
    with pytest.raises(ValueError):
        parse_stock("masks=abc")


def test_signing_with_no_open_shift(crew, leader):
    with pytest.raises(RefusedError):
        shifts.hand_over(crew, leader, "刘夜班", "4444", now=T0)


def test_a_failure_inside_the_sign_off_leaves_the_old_shift_open(crew, leader, monkeypatch):
    from checkpoint.store import shifts as shift_store

    shifts.start_shift(crew, leader, "day", [], now=T0)

    def power_cut(*args, **kwargs):
        raise OSError("power cut")

    monkeypatch.setattr(shift_store, "insert_handover", power_cut)
    with pytest.raises(OSError):
        shifts.hand_over(crew, leader, "刘夜班", "4444", now=T0 + dt.timedelta(hours=8))
    open_rows = crew.read("SELECT id FROM shifts WHERE open = 1")
    assert [r["id"] for r in open_rows] == [1]
    assert crew.read("SELECT count(*) AS n FROM shifts")[0]["n"] == 1


def test_roster_join_and_leave_are_time_stamped(crew, leader):
    shifts.start_shift(crew, leader, "day", [], now=T0)
    shifts.change_roster(crew, leader, "李四", "join", "police", now=T0 + dt.timedelta(hours=1))
    shifts.change_roster(crew, leader, "李四", "leave", now=T0 + dt.timedelta(hours=3))
    assert [m.name for m in shifts.shift_status(crew).roster] == ["王队长"]
    history = crew.read("SELECT action FROM roster ORDER BY id")
    assert [r["action"] for r in history] == ["join", "join", "leave"]


def test_audit_chain_whole_after_a_handover(crew, leader):
    from checkpoint.services.audit import verify_chain

    shifts.start_shift(crew, leader, "day", [("李四", "police")], now=T0)
    shifts.add_matter(crew, leader, "上级通知：明早加强检查", now=T0)
    shifts.hand_over(crew, leader, "刘夜班", "4444", stock={"masks": 10}, now=T0 + dt.timedelta(hours=8))
    assert verify_chain(crew).whole
