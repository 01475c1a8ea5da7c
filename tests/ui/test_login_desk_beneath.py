"""The desk is composed beneath the login screen while it waits for the PIN (app.prepare_desk), so
Enter only uncovers it; keys typed meanwhile wait in one queue and must still act in the order typed."""

from __future__ import annotations

from textual import events

from checkpoint.screens.desk import DeskScreen
from checkpoint.screens.login import LoginScreen
from tests.ui.conftest import FIXED_NOW, login

SIZE = (100, 34)


async def test_the_desk_waits_beneath_the_login_and_is_the_one_shown(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        login_screen = app.screen
        assert isinstance(login_screen, LoginScreen)
        beneath = [s for s in app.screen_stack if isinstance(s, DeskScreen)]
        assert len(beneath) == 1 and app.screen_stack.index(beneath[0]) < app.screen_stack.index(login_screen)
        assert app.account is None
        await login(pilot)
        assert app.screen is beneath[0]              # uncovered, not composed anew
        assert app.account is not None and app.account.name == "王队长"
        assert "王队长" in str(app.screen.query_one("#topbar").content)
        assert len([s for s in app.screen_stack if isinstance(s, DeskScreen)]) == 1


async def test_a_burst_of_keys_logs_in_the_name_the_arrows_chose(make_app, station):
    """↓, the PIN and Enter arriving at once (typed while the desk was being composed): the name
    moves before the PIN is checked, so the chosen person logs in and nobody's PIN count grows."""
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = app.screen.query_one("#login-names")
        first = names.get_option_at_index(0).id
        assert first == "李四" and names.get_option_at_index(1).id == "王队长"
        for key, char in (("down", None), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("enter", "\r")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert app.account is not None and app.account.name == "王队长"
        assert isinstance(app.screen, DeskScreen)
    assert station.read("SELECT failed_pins FROM staff WHERE name = '李四'")[0]["failed_pins"] == 0


async def test_switching_user_composes_a_fresh_desk_beneath_the_login(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        first_desk = app.screen
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.account is None
        beneath = [s for s in app.screen_stack if isinstance(s, DeskScreen)]
        assert len(beneath) == 1 and beneath[0] is not first_desk
        await login(pilot, "李四", "2222")
        assert app.screen is beneath[0] and app.account.name == "李四"
        assert "李四" in str(app.screen.query_one("#topbar").content)


async def test_a_wrong_pin_is_refused_and_the_desk_stays_covered(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "王队长", "9999")
        assert isinstance(app.screen, LoginScreen) and app.account is None
        assert "PIN" in str(app.screen.query_one("#login-message").content)
        assert app.screen.query_one("#login-pin").value == ""


async def test_the_terminal_cursor_is_on_the_plate_when_the_desk_is_uncovered(make_app):
    # the desk's fields got their focus while covered: the cursor must follow it, not stay where
    # the login's PIN field left it (seen in tmux: blinking on 姓名 while typing went into 车牌)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.pause()
        plate = app.screen.query_one("#f-plate")
        assert app.focused is plate
        assert app.cursor_position == plate.cursor_screen_offset
