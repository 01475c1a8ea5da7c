"""Accounts: PIN lockout with a fake clock, roles, and what a failed call leaves behind."""

from __future__ import annotations

import datetime as dt

import pytest

from checkpoint.errors import InputError, RefusedError
from checkpoint.services import accounts

T0 = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.timezone.utc)


def test_five_wrong_pins_lock_for_five_minutes(station):
    for left in (4, 3, 2, 1):
        with pytest.raises(RefusedError) as caught:
            accounts.authenticate(station, "李四", "0000", now=T0)
        assert caught.value.params["left"] == left
    with pytest.raises(RefusedError) as caught:
        accounts.authenticate(station, "李四", "0000", now=T0)
    assert caught.value.key == "account.locked"
    with pytest.raises(RefusedError) as caught:   # even the right PIN, while locked
        accounts.authenticate(station, "李四", "2222", now=T0 + dt.timedelta(minutes=4))
    assert caught.value.key == "account.locked"
    assert accounts.authenticate(station, "李四", "2222", now=T0 + dt.timedelta(minutes=5, seconds=1)).name == "李四"


def test_pins_are_argon2_hashes(station):
    row = station.read_one("SELECT pin_hash FROM staff WHERE name = '李四'")
    assert row["pin_hash"].startswith("$argon2") and "2222" not in row["pin_hash"]


def test_roles(station, leader, staff_member):
    with pytest.raises(RefusedError):
        accounts.add_staff(station, "新人", "staff", "1111", staff_member)
    with pytest.raises(InputError):
        accounts.add_staff(station, "新人", "chief", "1111", leader)
    with pytest.raises(InputError):
        accounts.add_staff(station, "李四", "staff", "1111", leader)
    assert accounts.add_staff(station, "新人", "staff", "1111", leader).role == "staff"
    accounts.disable_staff(station, "新人", leader)
    with pytest.raises(RefusedError):
        accounts.authenticate(station, "新人", "1111")
    with pytest.raises(RefusedError):
        accounts.disable_staff(station, "王队长", leader)   # the last leader


def test_registration_records_who_wrote_it(station, staff_member):
    from checkpoint.domain.registration import PersonForm
    from checkpoint.services import registration

    saved = registration.register(station, staff_member, [PersonForm(
        name="张伟", doc_no="110108198506123015", phone="13800001111", origin="本地", temp="36.5", direction="in",
        disposition="release")])
    row = station.read_one("SELECT staff_id FROM entries WHERE id = ?", (saved.entry_ids[0],))
    assert row["staff_id"] == staff_member.id
    audit = station.read_one("SELECT staff_id, action FROM audit WHERE target_table = 'entries'")
    assert audit == {"staff_id": staff_member.id, "action": "entry.register"}
