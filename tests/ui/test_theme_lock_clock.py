"""Themes chosen on screen and kept per station, the idle auto-lock that keeps the form, and the
warning after login when the computer's clock is behind the newest record."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from checkpoint.services import settings
from tests.ui.conftest import FIXED_NOW, login

SIZE = (100, 34)


class Clock:
    """A clock the test moves forward, as time passes at the tent."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += dt.timedelta(minutes=minutes)


async def test_ctrl_t_cycles_the_theme_and_the_station_keeps_it(make_app, station):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-dark"
        await login(pilot, "李四", "2222")          # duty staff may: it is about the light, not the records
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "checkpoint-sunlight"
        assert settings.theme(station) == "sunlight"
        await pilot.press("ctrl+t")
        assert app.theme == "checkpoint-night"
    again = make_app(clock=lambda: FIXED_NOW)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(again.screen).__name__ == "LoginScreen"
        assert again.theme == "checkpoint-night"   # already on the login screen, before anyone logs in


def test_config_set_theme_from_the_command_line(station, db_path):
    from click.testing import CliRunner

    from checkpoint.cli import main

    result = CliRunner().invoke(main, ["--db", str(db_path), "config", "set", "theme", "sunlight",
                                       "--as", "李四", "--pin", "2222"])
    assert result.exit_code == 0, result.output
    assert "theme\tsunlight" in result.output
    assert settings.theme(station) == "sunlight"
    bad = CliRunner().invoke(main, ["--db", str(db_path), "config", "set", "auto-lock", "abc",
                                    "--as", "王队长", "--pin", "1234"])
    assert bad.exit_code == 2 and "0 到 240" in bad.output


async def test_idle_desk_locks_after_the_set_minutes_and_keeps_the_form(make_app, station):
    clock = Clock(FIXED_NOW)
    app = make_app(clock=clock)
    app.IDLE_CHECK_SECONDS = 0.05
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press(*"京A12345")
        clock.advance(9)
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "DeskScreen"       # 9 of 10 minutes: still open
        await pilot.press("backspace", "5")                    # a key: the 10 minutes start again
        clock.advance(9)
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "DeskScreen"
        clock.advance(2)
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "LoginScreen" and app.screen.locked
        await login(pilot)
        assert type(app.screen).__name__ == "DeskScreen"
        assert app.screen.query_one("#f-plate", Input).value == "京A12345"


async def test_auto_lock_zero_never_locks(make_app, station, leader):
    settings.change_setting(station, leader, "auto-lock", "0")
    clock = Clock(FIXED_NOW)
    app = make_app(clock=clock)
    app.IDLE_CHECK_SECONDS = 0.05
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        clock.advance(600)
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "DeskScreen"


async def test_a_leader_sets_the_auto_lock_from_the_palette(make_app, station):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("ctrl+p", *"zdsp")          # 自动锁屏 by its initials
        await pilot.pause(0.5)
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "AskTextModal"
        await pilot.press("3", "enter")
        await pilot.pause()
    assert settings.auto_lock_minutes(station) == 3


async def test_a_clock_behind_the_newest_record_is_told_after_login(make_app, station):
    from checkpoint.services.clock_check import newest_record

    behind = newest_record(station) - dt.timedelta(days=3)
    app = make_app(clock=lambda: behind, check_clock=True)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        assert type(app.screen).__name__ == "NoticeModal"
        text = str(app.screen.query_one("#notice-text").render())
        assert "早了 3 天" in text and "改对" in text
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"


async def test_a_right_clock_says_nothing(make_app, station):
    from checkpoint.services.clock_check import newest_record

    right = newest_record(station) + dt.timedelta(minutes=5)
    app = make_app(clock=lambda: right, check_clock=True)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        assert type(app.screen).__name__ == "DeskScreen"
