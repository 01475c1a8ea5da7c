"""Registering at the desk: a car and its people in one transaction; a rule or a typo writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from checkpoint.domain.registration import PersonForm, VehicleForm
from checkpoint.errors import InputError, RefusedError
from checkpoint.services import ledger, registration
from checkpoint.services.policy import current_policy, update_policy
from checkpoint.services.registration import PersonProblems, RuleRefusal
from checkpoint.store import audit

NOW = dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.timezone.utc)   # 10:30 in 青山镇


def person(name: str, doc_no: str, **changes) -> PersonForm:
    values = dict(name=name, doc_no=doc_no, phone="13800001111", address="青山镇红旗村", origin="湖北省宜昌市",
                  temp="36.5", direction="in", disposition="release")
    values.update(changes)
    return PersonForm(**values)


ZHANG = ("张伟", "110108198506123015")
LI = ("李芳", "11010519491231002X")
WANG = ("王强", "110101200001010037")


def counts(store) -> dict:
    return {t: store.read_one(f"SELECT count(*) AS n FROM {t}")["n"] for t in ("vehicles", "entries", "audit")}


def test_a_car_with_three_people_is_one_vehicle_and_three_entries(station, staff_member):
    before = counts(station)
    saved = registration.register(station, staff_member, [
        person(*ZHANG), person(*LI, phone="13900002222"), person(*WANG, temp="37.8", recheck_temp="37.6",
                                                                 disposition="hold")],
        VehicleForm(plate="粤b·12345", occupants="3", disinfected=True), now=NOW)
    assert len(saved.entry_ids) == 3 and saved.fevers == 1 and saved.vehicle_id is not None
    after = counts(station)
    assert after["vehicles"] - before["vehicles"] == 1 and after["entries"] - before["entries"] == 3
    vehicle = station.read_one("SELECT * FROM vehicles WHERE id = ?", (saved.vehicle_id,))
    assert (vehicle["plate"], vehicle["occupants"], vehicle["disinfected"], vehicle["direction"]) == (
        "粤B12345", 3, 1, "in")
    rows = station.read("SELECT * FROM entries ORDER BY id")
    assert [r["id"] for r in rows] == list(saved.entry_ids)
    assert {r["vehicle_id"] for r in rows} == {saved.vehicle_id}
    assert [r["name"] for r in rows] == ["张伟", "李芳", "王强"]
    assert [r["doc_no"] for r in rows] == ["110108198506123015", "11010519491231002X", "110101200001010037"]
    assert [(r["fever"], r["disposition"], r["temp"], r["recheck_temp"]) for r in rows] == [
        (0, "release", 36.5, None), (0, "release", 36.5, None), (1, "hold", 37.8, 37.6)]
    assert {r["staff_id"] for r in rows} == {staff_member.id}
    assert {r["local_day"] for r in rows} == {"2026-11-24"}
    assert audit.verify(station).whole


def test_a_fever_without_recheck_writes_nothing(station, staff_member):
    before = counts(station)
    with pytest.raises(RuleRefusal) as caught:
        registration.register(station, staff_member, [person(*ZHANG), person(*LI),
                                                      person(*WANG, temp="37.8")],
                              VehicleForm(plate="粤B12345"))
    assert caught.value.key == "temp.recheck_needed" and caught.value.field == "recheck_temp"
    assert caught.value.person_index == 2 and "复测" in caught.value.message
    assert isinstance(caught.value, RefusedError) and caught.value.exit_code == 1
    assert counts(station) == before


def test_a_confirmed_fever_cannot_be_released(station, staff_member):
    before = counts(station)
    for disposition in ("release", "turn-back", "home-isolation"):
        with pytest.raises(RuleRefusal) as caught:
            registration.register(station, staff_member, [
                person(*ZHANG, temp="38.2", recheck_temp="37.9", disposition=disposition)])
        assert caught.value.key == "fever.disposition"
    assert counts(station) == before


def test_a_wrong_field_is_named_and_nothing_is_written(station, staff_member):
    before = counts(station)
    with pytest.raises(PersonProblems) as caught:
        registration.register(station, staff_member, [person(*ZHANG), person("李芳", "110105194912310021")],
                              VehicleForm(plate="粤B12345"))
    assert caught.value.person_index == 1
    assert [p.field for p in caught.value.problems] == ["doc_no"]
    assert caught.value.exit_code == 2 and caught.value.field == "doc_no"
    assert counts(station) == before


def test_a_wrong_vehicle_writes_no_person_either(station, staff_member):
    before = counts(station)
    with pytest.raises(PersonProblems) as caught:
        registration.register(station, staff_member, [person(*ZHANG)], VehicleForm(plate="<script>"))
    assert caught.value.person_index == -1 and caught.value.problems[0].field == "plate"
    with pytest.raises(PersonProblems):
        registration.register(station, staff_member, [person(*ZHANG)], VehicleForm(plate="粤B12345", occupants="0"))
    assert counts(station) == before


def test_nobody_to_register_is_refused(station, staff_member):
    with pytest.raises(InputError):
        registration.register(station, staff_member, [])


def test_an_unusual_plate_is_saved_as_typed(station, staff_member):
    saved = registration.register(station, staff_member, [person(*ZHANG)],
                                  VehicleForm(plate="农用车 123", vehicle_type="tractor"))
    assert station.read_one("SELECT plate FROM vehicles WHERE id = ?", (saved.vehicle_id,))["plate"] == "农用车123"


def test_how_the_disposition_was_reached_is_recorded(station, staff_member):
    suggested = registration.register(station, staff_member, [person(*ZHANG, disposition="")],
                                      accept_suggestion=True)
    confirmed = registration.register(station, staff_member, [person(*ZHANG, disposition="release",
                                                                     disposition_source="confirmed")])
    # the suggestion typed without having been shown (the CLI's --disposition) was chosen, not confirmed
    same = registration.register(station, staff_member, [person(*ZHANG, disposition="release")])
    # a confirmation that no longer matches the suggestion is a choice
    stale = registration.register(station, staff_member, [person(*ZHANG, disposition="turn-back",
                                                                 disposition_source="confirmed")])
    chosen = registration.register(station, staff_member, [person(*ZHANG, disposition="turn-back")])
    rows = {r["id"]: r for r in station.read("SELECT * FROM entries")}
    assert (rows[suggested.entry_ids[0]]["disposition"], rows[suggested.entry_ids[0]]["disposition_source"]) == (
        "release", "suggested")
    assert rows[confirmed.entry_ids[0]]["disposition_source"] == "confirmed"
    assert rows[same.entry_ids[0]]["disposition_source"] == "chosen"
    assert rows[stale.entry_ids[0]]["disposition_source"] == "chosen"
    assert (rows[chosen.entry_ids[0]]["disposition"], rows[chosen.entry_ids[0]]["disposition_source"],
            rows[chosen.entry_ids[0]]["suggested"]) == ("turn-back", "chosen", "release")
    assert rows[suggested.entry_ids[0]]["suggestion_reason"]


def test_without_accepting_the_suggestion_an_empty_disposition_is_refused(station, staff_member):
    with pytest.raises(PersonProblems) as caught:
        registration.register(station, staff_member, [person(*ZHANG, disposition="")])
    assert caught.value.problems[0].key == "disposition.required"


def test_the_accepted_suggestion_follows_the_key_areas(station, staff_member, leader):
    update_policy(station, leader, key_areas=["武汉"])
    saved = registration.register(station, staff_member, [
        person(*ZHANG, address="宜昌市", origin="湖北省武汉市", disposition="")], accept_suggestion=True)
    row = station.read_one("SELECT disposition, disposition_source, suggestion_reason FROM entries WHERE id = ?",
                           (saved.entry_ids[0],))
    assert row["disposition"] == "turn-back" and row["disposition_source"] == "suggested"
    assert "武汉" in row["suggestion_reason"]


def test_a_returning_person_is_filled_in_from_their_last_visit(station, staff_member):
    assert registration.returning_person(station, ZHANG[1]) is None
    registration.register(station, staff_member, [person(*ZHANG, phone="+86 138 0000 1111",
                                                         address="青山镇红旗村3组", destination="县医院")],
                          VehicleForm(plate="粤B12345", vehicle_type="van"), now=NOW)
    back = registration.returning_person(station, "110108 19850612 3015")
    assert back is not None
    assert (back.person.name, back.person.phone, back.person.address) == ("张伟", "13800001111", "青山镇红旗村3组")
    assert back.person.destination == "县医院" and back.person.resident is True
    assert back.person.disposition == "" and back.person.temp == ""   # asked and measured again
    assert back.vehicle is not None and (back.vehicle.plate, back.vehicle.vehicle_type) == ("粤B12345", "van")
    assert back.last_seen in ("11-24 10:30", "2026-11-24 10:30")   # the year only when not this year
    assert back.last_direction == "in"


def test_a_returning_person_on_foot_brings_no_vehicle(station, staff_member):
    registration.register(station, staff_member, [person(*LI)], VehicleForm(plate="粤B12345"))
    registration.register(station, staff_member, [person(*LI, phone="13900002222")])
    back = registration.returning_person(station, "11010519491231002x")
    assert back.person.phone == "13900002222" and back.vehicle is None
    assert registration.returning_person(station, "") is None


def test_the_day_is_the_stations_day(station, staff_member):
    late = dt.datetime(2026, 11, 24, 17, 30, tzinfo=dt.timezone.utc)   # 01:30 on the 25th in 青山镇
    saved = registration.register(station, staff_member, [person(*ZHANG)], now=late)
    row = station.read_one("SELECT local_day, recorded_at FROM entries WHERE id = ?", (saved.entry_ids[0],))
    assert row["local_day"] == "2026-11-25"
    assert row["recorded_at"].startswith("2026-11-24T17:30")
    assert [line.time for line in ledger.day_lines(station, "2026-11-25")] == ["01:30"]


# ---- the ledger ----------------------------------------------------------------------------------
def test_ledger_lines_are_masked(station, staff_member):
    registration.register(station, staff_member, [
        person(*LI, phone="13812345678", temp="37.8", recheck_temp="37.6", disposition="hold")],
        VehicleForm(plate="粤B12345"), now=NOW)
    registration.register(station, staff_member, [person("Smith John", "E12345678", doc_type="passport",
                                                         phone="0718-8123456", disposition="turn-back")], now=NOW)
    lines = ledger.day_lines(station, "2026-11-24")
    assert [(x.doc, x.phone) for x in lines] == [("110105********002X", "138****5678"), ("E1*****78", "*******3456")]
    first = lines[0]
    assert (first.time, first.plate, first.temp, first.fever, first.disposition, first.staff) == (
        "10:30", "粤B12345", "37.8→37.6", True, "留验", "李四")
    everything = repr(lines)
    for secret in ("11010519491231002X", "13812345678", "E12345678", "07188123456"):
        assert secret not in everything
    counts = ledger.day_counts(station, "2026-11-24")
    assert (counts.persons, counts.vehicles, counts.fevers, counts.turned_back, counts.held_or_referred) == (
        2, 1, 1, 1, 1)
    assert ledger.day_lines(station, "2026-11-23") == [] and ledger.day_counts(station, "2026-11-23").persons == 0


# ---- the policy ----------------------------------------------------------------------------------
def test_a_policy_change_is_a_new_version_and_old_entries_keep_theirs(station, staff_member, leader):
    assert current_policy(station).version == 1
    first = registration.register(station, staff_member, [person(*ZHANG)])
    changed = update_policy(station, leader, key_areas=["武汉", " 黄冈 ", "武汉"],
                            rules={"outsider_default": "turn-back"}, note="11月通知")
    assert changed.version == 2 and changed.key_areas == ("武汉", "黄冈")
    assert current_policy(station) == changed
    second = registration.register(station, staff_member, [person(*ZHANG)])
    versions = {r["id"]: r["policy_version"] for r in station.read("SELECT id, policy_version FROM entries")}
    assert versions == {first.entry_ids[0]: 1, second.entry_ids[0]: 2}
    rows = station.read("SELECT version, key_areas, note FROM policy ORDER BY version")
    assert [(r["version"], r["note"]) for r in rows] == [(1, "initial"), (2, "11月通知")]
    assert rows[0]["key_areas"] == "[]"                     # version 1 is kept as it was
    outsider = registration.check_at_station(station, person(*ZHANG, address="宜昌市"))
    assert outsider.suggestion.disposition == "turn-back"
    assert audit.verify(station).whole


def test_policy_changes_need_a_leader_and_known_rules(station, staff_member, leader):
    with pytest.raises(RefusedError):
        update_policy(station, staff_member, key_areas=["武汉"])
    with pytest.raises(InputError) as caught:
        update_policy(station, leader, rules={"weather": "hold"})
    assert caught.value.field == "rules"
    with pytest.raises(InputError):
        update_policy(station, leader, rules={"fever": "party"})
    with pytest.raises(InputError):
        update_policy(station, leader, key_areas=["很" * 41])
    assert current_policy(station).version == 1
