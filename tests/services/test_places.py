"""The station's villages and the completion lists the desk reads."""

from __future__ import annotations

import pytest

from checkpoint.domain.registration import PersonForm
from checkpoint.errors import InputError, RefusedError
from checkpoint.services import places, registration
from checkpoint.store import audit


def test_villages_are_learnt_from_residents_and_decide_who_is_local(station, staff_member, leader):
    registration.register(station, staff_member, [PersonForm(
        name="张伟", doc_no="110108198506123015", phone="13800001111", address="青山镇红旗村3组",
        origin="本地", temp="36.5", disposition="release")])
    registration.register(station, staff_member, [PersonForm(
        name="李芳", doc_no="11010519491231002X", phone="13900002222", address="外省某县某村", resident=False,
        origin="四川省成都市", temp="36.5", disposition="release")])
    known = places.lists(station)
    assert known.villages == ("青山镇红旗村",)                  # the outsider's village is not learnt
    assert known.origins_seen == {"本地": 1, "四川省成都市": 1}
    assert places.village_choices("qszhqc", known) == ["青山镇红旗村"]
    # an address in a known village makes a resident, without the township's name in it
    places.add_village(station, leader, "东村")
    ctx = registration.context(station)
    result = registration.check_at_station(station, PersonForm(
        name="王强", doc_no="110101200001010037", phone="13700003333", address="东村5号", origin="本地",
        temp="36.5", disposition="release"), ctx)
    assert result.person.resident is True
    assert audit.verify(station).whole


def test_a_leader_edits_the_list_and_staff_may_not(station, staff_member, leader):
    places.add_village(station, leader, "红旗村")
    with pytest.raises(RefusedError):
        places.add_village(station, staff_member, "西村")
    with pytest.raises(RefusedError):
        places.remove_village(station, staff_member, "红旗村")
    for bad in ("", "  ", "村" * 40, "红\x00旗"):
        with pytest.raises(InputError):
            places.add_village(station, leader, bad)
    with pytest.raises(InputError):
        places.remove_village(station, leader, "没有这个村")
    places.remove_village(station, leader, "红旗村")
    assert places.lists(station).villages == ()
    assert [(r["name"], r["removed"]) for r in places.list_villages(station)] == [("红旗村", 1)]
    places.add_village(station, leader, "红旗村")                 # shown again, not a second row
    assert places.lists(station).villages == ("红旗村",)
    assert audit.verify(station).whole


def test_a_village_edited_behind_the_programs_back_breaks_the_audit(station, leader):
    places.add_village(station, leader, "红旗村")
    station.conn.execute("UPDATE villages SET name = '别的村'")
    assert not audit.verify(station).whole
