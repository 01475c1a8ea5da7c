"""What the login and registration screens look like at 80x24 (pytest-textual-snapshot).

Update after an intended change with: pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from tests.ui.conftest import FIXED_NOW, login

SMALL = (80, 24)


def test_login_screen(snap_compare, make_app):
    assert snap_compare(make_app(clock=lambda: FIXED_NOW), terminal_size=SMALL)


def test_registration_desk(snap_compare, make_app):
    async def logged_in(pilot):
        await login(pilot)
        await pilot.pause()

    assert snap_compare(make_app(clock=lambda: FIXED_NOW), terminal_size=SMALL, run_before=logged_in)


def test_registration_desk_with_a_fever_being_remeasured(snap_compare, make_app):
    async def typed(pilot):
        await login(pilot)
        await pilot.press("enter", *"110108198506123015", "enter", "enter", *"张伟", "enter",
                          *"13800001111", "enter", *"青山镇红旗村", "enter", "enter", *"本地", "enter",
                          "enter", "enter", "enter", "enter", "enter", "enter", *"37.9", "enter")
        await pilot.pause()

    assert snap_compare(make_app(clock=lambda: FIXED_NOW), terminal_size=SMALL, run_before=typed)
