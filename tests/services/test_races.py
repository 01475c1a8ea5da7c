"""Two lanes at once on the same record (issue #16, hole 10): an amendment records as "old" the
values as they were when it was written, and wrong PINs typed in two lanes at once all count.

Each race is made to happen, not hoped for: the second lane acts (on a connection of its own, as
another terminal would) at the moment the first is between reading and writing."""

from __future__ import annotations

import json

import pytest

from checkpoint.domain.registration import PersonForm
from checkpoint.errors import RefusedError
from checkpoint.services import accounts, registration, review
from checkpoint.services.review import corrections
from checkpoint.store import open_store


def form(temp: str, phone: str = "13800001111") -> PersonForm:
    return PersonForm(name="张伟", doc_no="110108198506123015", phone=phone, origin="本地", temp=temp,
                      direction="in", disposition="release")


def test_an_amendment_records_the_values_another_lane_just_wrote_as_old(station, leader, staff_member,
                                                                      db_path, monkeypatch):
    entry = registration.register(station, staff_member, [form("36.5")]).entry_ids[0]
    other_lane = open_store(db_path, create=False)
    checked = corrections.check_amendment

    def meanwhile(store, entry_id, amended_form):
        if not getattr(meanwhile, "done", False):
            meanwhile.done = True      # the other lane corrects the temperature while this form is checked
            review.amend(other_lane, leader, entry_id, form("36.8"), "另一台电脑更正体温")
        return checked(store, entry_id, amended_form)

    monkeypatch.setattr(corrections, "check_amendment", meanwhile)
    review.amend(station, leader, entry, form("36.8", phone="13900002222"), "电话抄错")
    other_lane.close()
    rows = [json.loads(r["changes"]) for r in station.read("SELECT changes FROM amendments ORDER BY id")]
    assert rows[0] == {"temp": [36.5, 36.8]}
    # the second saw the first: only the phone changed, and its old value is the one then stored
    assert rows[1] == {"phone": ["13800001111", "13900002222"]}


def test_wrong_pins_typed_in_two_lanes_at_once_both_count(station, db_path, monkeypatch):
    other_lane = open_store(db_path, create=False)
    real = accounts._hasher

    class Meanwhile:
        """The PIN hasher, with another lane's wrong PIN typed while this one is being checked."""

        done = False

        def verify(self, hashed, pin):
            if not Meanwhile.done:
                Meanwhile.done = True
                monkeypatch.setattr(accounts, "_hasher", real)
                with pytest.raises(RefusedError):
                    accounts.authenticate(other_lane, "李四", "9999")
                monkeypatch.setattr(accounts, "_hasher", self)
            return real.verify(hashed, pin)

    monkeypatch.setattr(accounts, "_hasher", Meanwhile())
    with pytest.raises(RefusedError) as caught:
        accounts.authenticate(station, "李四", "8888")
    other_lane.close()
    assert station.read_one("SELECT failed_pins FROM staff WHERE name = '李四'")["failed_pins"] == 2
    assert "3" in caught.value.message        # three tries left, not four


def test_a_lock_set_by_another_lane_is_not_lifted_by_a_wrong_pin_here(station, db_path, monkeypatch):
    other_lane = open_store(db_path, create=False)
    real = accounts._hasher

    class Meanwhile:
        done = False

        def verify(self, hashed, pin):
            if not Meanwhile.done:
                Meanwhile.done = True
                monkeypatch.setattr(accounts, "_hasher", real)
                for _ in range(accounts.MAX_WRONG_PINS):   # the other lane locks the account
                    with pytest.raises(RefusedError):
                        accounts.authenticate(other_lane, "李四", "9999")
                monkeypatch.setattr(accounts, "_hasher", self)
            return real.verify(hashed, pin)

    monkeypatch.setattr(accounts, "_hasher", Meanwhile())
    with pytest.raises(RefusedError) as caught:
        accounts.authenticate(station, "李四", "8888")
    other_lane.close()
    assert caught.value.key == "account.locked"
    assert station.read_one("SELECT locked_until FROM staff WHERE name = '李四'")["locked_until"]
