"""Setting up the station and its accounts: what a leader types at first run and at the staff screen."""

from __future__ import annotations

import datetime as dt

import pytest

from checkpoint.errors import InputError, RefusedError
from checkpoint.services import accounts
from checkpoint.services.setup import init_station
from checkpoint.services.station import get_station

GOOD = dict(code="K01", name="东口卡点", township="青山镇", leader="王队长", pin="1234")
T0 = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.timezone.utc)


def setup(store, **changes):
    values = {**GOOD, **changes}
    tz = values.pop("tz", "Asia/Shanghai")
    return init_station(store, values["code"], values["name"], values["township"], values["leader"],
                        values["pin"], tz)


def count(store, table: str) -> int:
    return store.read_one(f"SELECT count(*) AS n FROM {table}")["n"]


def test_init_creates_station_leader_and_first_policy(store):
    station = setup(store, code=" K01 ", name=" 东口卡点 ")
    assert (station.code, station.name, station.township, station.tz) == ("K01", "东口卡点", "青山镇", "Asia/Shanghai")
    assert accounts.authenticate(store, "王队长", "1234").role == "leader"
    assert store.read_one("SELECT version FROM policy")["version"] == 1


@pytest.mark.parametrize("changes,field", [
    ({"code": ""}, "code"), ({"code": "K 01"}, "code"), ({"code": "K" * 21}, "code"), ({"code": "东口"}, "code"),
    ({"name": ""}, "station_name"), ({"name": "  "}, "station_name"), ({"name": "卡" * 41}, "station_name"),
    ({"township": ""}, "township"), ({"township": "镇" * 41}, "township"),
    ({"tz": "Mars/Olympus"}, "tz"), ({"tz": ""}, "tz"),
    ({"leader": ""}, "name"), ({"leader": "王" * 41}, "name"),
    ({"pin": ""}, "pin"), ({"pin": "123"}, "pin"), ({"pin": "123456789"}, "pin"), ({"pin": "12a4"}, "pin"),
    ({"pin": "1234\n"}, "pin"), ({"pin": "12 34"}, "pin"),
])
def test_each_bad_setup_value_is_named_and_nothing_is_written(store, changes, field):
    with pytest.raises(InputError) as caught:
        setup(store, **changes)
    assert caught.value.field == field
    assert caught.value.message and caught.value.message != caught.value.key
    assert get_station(store) is None and count(store, "staff") == 0 and count(store, "audit") == 0


def test_a_second_setup_is_refused(store):
    setup(store)
    with pytest.raises(InputError) as caught:
        setup(store, code="K02", name="西口卡点", leader="另一个", pin="9999")
    assert caught.value.key == "station.already" and "东口卡点" in caught.value.message
    assert get_station(store).code == "K01" and count(store, "staff") == 1


def test_a_pin_typed_in_full_width_is_the_same_pin(store):
    setup(store, pin="１２３４")        # an input method left in full-width mode
    assert accounts.authenticate(store, "王队长", "1234").role == "leader"
    assert accounts.authenticate(store, "王队长", "１２３４").role == "leader"


# ---- accounts ------------------------------------------------------------------------------------
def test_add_and_list(station, leader):
    added = accounts.add_staff(station, " 赵医生 ", "staff", "5678", leader)
    assert (added.name, added.role) == ("赵医生", "staff")
    listed = {r["name"]: r for r in accounts.list_staff(station)}
    assert set(listed) == {"王队长", "李四", "赵医生"}
    assert listed["赵医生"]["active"] and listed["赵医生"]["role"] == "staff"
    assert accounts.authenticate(station, "赵医生", "5678") == added
    row = station.read_one("SELECT staff_id FROM audit WHERE action = 'staff.add' ORDER BY id DESC LIMIT 1")
    assert row["staff_id"] == leader.id


def test_pins_are_stored_as_argon2_hashes(station):
    row = station.read_one("SELECT pin_hash FROM staff WHERE name = '李四'")
    assert row["pin_hash"].startswith("$argon2id$") and "2222" not in row["pin_hash"]


def test_duplicate_name_bad_role_and_bad_pin_are_named(station, leader):
    for name, role, pin, field in (("李四", "staff", "1111", "name"), (" 李四 ", "staff", "1111", "name"),
                                   ("新人", "chief", "1111", "role"), ("新人", "staff", "12", "pin"),
                                   ("新人", "staff", "abcd", "pin"), ("新人", "staff", "123456789", "pin"),
                                   ("", "staff", "1111", "name")):
        with pytest.raises(InputError) as caught:
            accounts.add_staff(station, name, role, pin, leader)
        assert caught.value.field == field, (name, role, pin)
    assert {r["name"] for r in accounts.list_staff(station)} == {"王队长", "李四"}


def test_staff_cannot_add_or_disable_accounts(station, staff_member):
    with pytest.raises(RefusedError) as caught:
        accounts.add_staff(station, "新人", "staff", "1111", staff_member)
    assert caught.value.key == "account.not_allowed" and "带班" in caught.value.message
    with pytest.raises(RefusedError):
        accounts.disable_staff(station, "王队长", staff_member)
    assert len(accounts.list_staff(station)) == 2


def test_authenticate_names_what_is_wrong(station):
    assert accounts.authenticate(station, " 李四 ", "2222").name == "李四"
    with pytest.raises(RefusedError) as caught:
        accounts.authenticate(station, "无名氏", "2222")
    assert caught.value.key == "account.unknown"
    with pytest.raises(InputError) as caught:
        accounts.authenticate(station, "李四", "")
    assert caught.value.key == "account.pin_missing"
    with pytest.raises(RefusedError) as caught:
        accounts.authenticate(station, "李四", "2223")
    assert caught.value.key == "account.wrong_pin" and caught.value.params["left"] == 4


def test_five_wrong_pins_lock_for_five_minutes_then_unlock(station):
    for left in (4, 3, 2, 1):
        with pytest.raises(RefusedError) as caught:
            accounts.authenticate(station, "李四", "0000", now=T0)
        assert (caught.value.key, caught.value.params["left"]) == ("account.wrong_pin", left)
    with pytest.raises(RefusedError) as caught:
        accounts.authenticate(station, "李四", "0000", now=T0)
    assert caught.value.key == "account.locked" and caught.value.params["minutes"] == 5
    # locked: even the right PIN is refused, and the minutes left are told
    with pytest.raises(RefusedError) as caught:
        accounts.authenticate(station, "李四", "2222", now=T0 + dt.timedelta(minutes=1))
    assert caught.value.key == "account.locked" and caught.value.params["minutes"] == 4
    with pytest.raises(RefusedError) as caught:
        accounts.authenticate(station, "李四", "2222", now=T0 + dt.timedelta(minutes=4, seconds=59))
    assert caught.value.key == "account.locked"
    # another person is not locked out by 李四's mistakes
    assert accounts.authenticate(station, "王队长", "1234", now=T0 + dt.timedelta(minutes=1)).name == "王队长"
    # five minutes on, the right PIN opens and the count starts again
    assert accounts.authenticate(station, "李四", "2222", now=T0 + dt.timedelta(minutes=5, seconds=1)).name == "李四"
    row = station.read_one("SELECT failed_pins, locked_until FROM staff WHERE name = '李四'")
    assert row == {"failed_pins": 0, "locked_until": None}
    with pytest.raises(RefusedError) as caught:
        accounts.authenticate(station, "李四", "0000", now=T0 + dt.timedelta(minutes=6))
    assert caught.value.params["left"] == 4


def test_the_wrong_pin_count_survives_closing_the_program(station, db_path):
    from checkpoint.store import open_store

    for _ in range(2):
        with pytest.raises(RefusedError):
            accounts.authenticate(station, "李四", "0000", now=T0)
    other = open_store(db_path)
    try:
        with pytest.raises(RefusedError) as caught:
            accounts.authenticate(other, "李四", "0000", now=T0)
        assert caught.value.params["left"] == 2
    finally:
        other.close()


def test_a_disabled_account_cannot_log_in(station, leader):
    accounts.disable_staff(station, "李四", leader)
    with pytest.raises(RefusedError) as caught:
        accounts.authenticate(station, "李四", "2222")
    assert caught.value.key == "account.disabled"
    listed = {r["name"]: r for r in accounts.list_staff(station)}
    assert listed["李四"]["active"] is False
    assert [r["name"] for r in accounts.list_staff(station, active_only=True)] == ["王队长"]


def test_the_last_leader_cannot_be_disabled(station, leader):
    with pytest.raises(RefusedError) as caught:
        accounts.disable_staff(station, "王队长", leader)
    assert caught.value.key == "account.last_admin"
    assert accounts.authenticate(station, "王队长", "1234").name == "王队长"
    accounts.add_staff(station, "副队长", "leader", "4321", leader)
    accounts.disable_staff(station, "王队长", leader)
    with pytest.raises(RefusedError):
        accounts.authenticate(station, "王队长", "1234")


def test_disabling_an_unknown_account_is_named(station, leader):
    with pytest.raises(InputError) as caught:
        accounts.disable_staff(station, "无名氏", leader)
    assert caught.value.key == "account.unknown" and caught.value.field == "name"
