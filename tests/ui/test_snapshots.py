"""What the login and registration screens look like at 80x24 (pytest-textual-snapshot).

Update after an intended change with: pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from tests.ui.conftest import FIXED_NOW, fill_person, login

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
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "本地", "青山镇红旗村", "37.9")
        await pilot.pause()
        await pilot.pause()   # the form's height settles after the re-measure rows appear

    assert snap_compare(make_app(clock=lambda: FIXED_NOW), terminal_size=SMALL, run_before=typed)
