"""Clock sanity at start, and the display settings of #9 (theme, auto-lock)."""

from __future__ import annotations

import datetime as dt

import pytest

from checkpoint.domain.registration import PersonForm
from checkpoint.errors import InputError, RefusedError
from checkpoint.services import registration, settings
from checkpoint.services.clock_check import check_clock, newest_record

UTC = dt.timezone.utc


def register_at(store, account, when: dt.datetime) -> None:
    registration.register(store, account, [PersonForm(
        name="张三", doc_no="110108198506123015", phone="13800001111", address="青山镇红旗村", origin="本地",
        temp="36.5", direction="in", disposition="release")], now=when)


def test_newest_record_is_the_latest_write(station, leader):
    before = dt.datetime.now(UTC)
    newest = newest_record(station)   # the station's set-up itself is audited
    assert newest is not None and abs((newest - before).total_seconds()) < 60


def test_a_clock_two_days_behind_the_newest_record_is_a_warning(station, leader):
    newest = newest_record(station)
    warning = check_clock(station, newest - dt.timedelta(days=2))
    assert warning is not None and warning.kind == "behind" and warning.days == 2
    text = warning.message("Asia/Shanghai")
    assert "早了 2 天" in text and "主板电池" in text


def test_hours_behind_or_a_normal_clock_say_nothing(station, leader):
    newest = newest_record(station)
    assert check_clock(station, newest - dt.timedelta(hours=20)) is None   # two lanes' clocks a little apart
    assert check_clock(station, newest + dt.timedelta(days=3)) is None      # a quiet weekend
    assert check_clock(station, newest + dt.timedelta(days=200)) is None    # unused between outbreaks


def test_a_clock_years_ahead_or_before_2020_is_a_warning(station, leader):
    newest = newest_record(station)
    ahead = check_clock(station, newest + dt.timedelta(days=800))
    assert ahead is not None and ahead.kind == "ahead"
    flat_battery = check_clock(station, dt.datetime(2000, 1, 1, tzinfo=UTC))
    assert flat_battery is not None and flat_battery.kind == "too_early"
    assert "2000-01-01" in flat_battery.message("Asia/Shanghai")


def test_an_entry_dated_in_the_future_counts_as_the_newest(station, leader):
    later = dt.datetime.now(UTC) + dt.timedelta(days=5)
    register_at(station, leader, later)
    assert newest_record(station) >= later - dt.timedelta(seconds=1)
    assert check_clock(station, dt.datetime.now(UTC)).kind == "behind"


def test_an_empty_database_has_nothing_to_compare(store):
    assert newest_record(store) is None
    assert check_clock(store, dt.datetime.now(UTC)) is None


def test_theme_setting_accepts_names_and_words_and_anyone_on_duty_may_change_it(station, leader, staff_member):
    assert settings.theme(station) == "default"
    assert settings.change_setting(station, staff_member, "theme", "强光") == "sunlight"
    assert settings.theme(station) == "sunlight"
    assert settings.change_setting(station, leader, "theme", "Night") == "night"
    with pytest.raises(InputError):
        settings.change_setting(station, leader, "theme", "pink")
    assert settings.theme(station) == "night"


def test_auto_lock_minutes_default_ten_zero_off_leaders_only(station, leader, staff_member):
    assert settings.auto_lock_minutes(station) == 10
    assert settings.change_setting(station, leader, "auto-lock", "５") == "5"   # full-width digit from an IME
    assert settings.auto_lock_minutes(station) == 5
    assert settings.change_setting(station, leader, "auto-lock", "0") == "0"
    assert settings.auto_lock_minutes(station) == 0
    for bad in ("-1", "abc", "241", "1.5", ""):
        with pytest.raises(InputError):
            settings.change_setting(station, leader, "auto-lock", bad)
    with pytest.raises(RefusedError):
        settings.change_setting(station, staff_member, "auto-lock", "60")
    assert settings.all_settings(station)["auto-lock"] == "0"
