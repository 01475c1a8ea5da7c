"""Every main screen at the two sizes that matter: an old 80×24 laptop terminal (usable: every field,
the verdict and the footer keys in view) and 120×40 (comfortable: the same layout, taller, every
column of the desk's list shown). Update after an intended change with:
    pytest tests/ui/test_snapshots_sizes.py --snapshot-update
and look at the SVGs before committing them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ui.conftest import FIXED_NOW, login
from tests.ui.test_review import fill_log
from tests.ui.test_township_ui import NOW as TOWNSHIP_NOW
from tests.ui.test_township_ui import township  # noqa: F401  (the fixture: three stations' exports collected)

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def issue_pass(station):
    from checkpoint.domain.passes import PassForm
    from checkpoint.services import accounts, passes

    leader = accounts.authenticate(station, "王队长", "1234")
    return passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X",
                                                       village="红旗村"), now=FIXED_NOW)


def start_day_shift(station):
    from checkpoint.services import accounts, shifts

    leader = accounts.authenticate(station, "王队长", "1234")
    shifts.start_shift(station, leader, "day", [("王队长", "township-cadre"), ("李四", "village-cadre")],
                       now=FIXED_NOW - dt.timedelta(hours=4))


def app_for(make_app):
    return make_app(clock=lambda: FIXED_NOW)


@SIZES
def test_login(snap_compare, make_app, size):
    assert snap_compare(app_for(make_app), terminal_size=size)


@SIZES
def test_desk(snap_compare, make_app, station, size):
    """Mid-person in a car: the bar names the car and the person, the focused field (从哪来, with
    its completion) is highlighted and in view, the list keeps its rows below."""
    fill_log(station)

    async def run_before(pilot):
        await login(pilot)
        await pilot.press(*"鄂A12345", "enter", *"42010219850612301X", *"张伟", "enter", *"13800001111", *"whs")
        await pilot.pause()

    assert snap_compare(app_for(make_app), terminal_size=size, run_before=run_before)


@SIZES
def test_check_refused_verdict(snap_compare, make_app, station, size):
    """The second scan of a pass whose holder has not come back: ✘ and the words, not only red."""
    issued = issue_pass(station)

    async def run_before(pilot):
        await login(pilot, "李四", "2222")
        await pilot.press("f6", *issued.token, "enter")
        await pilot.pause()
        await pilot.press(*issued.token, "enter")
        await pilot.pause()

    assert snap_compare(app_for(make_app), terminal_size=size, run_before=run_before)


@SIZES
def test_pass_issue(snap_compare, make_app, station, size):
    async def run_before(pilot):
        await login(pilot)
        await pilot.press("f7")
        await pilot.pause()

    assert snap_compare(app_for(make_app), terminal_size=size, run_before=run_before)


@SIZES
def test_shift_start(snap_compare, make_app, station, size):
    async def run_before(pilot):
        await login(pilot)
        await pilot.press("f8")
        await pilot.pause()

    assert snap_compare(app_for(make_app), terminal_size=size, run_before=run_before)


@SIZES
def test_handover(snap_compare, make_app, station, size):
    start_day_shift(station)
    fill_log(station)

    async def run_before(pilot):
        await login(pilot)
        await pilot.press("f8")
        await pilot.pause()

    assert snap_compare(app_for(make_app), terminal_size=size, run_before=run_before)


@SIZES
def test_review(snap_compare, make_app, station, size):
    fill_log(station)

    async def run_before(pilot):
        await login(pilot)
        await pilot.press("f9")
        await pilot.pause()

    assert snap_compare(app_for(make_app), terminal_size=size, run_before=run_before)


@SIZES
def test_township_dashboard(snap_compare, township, size):  # noqa: F811
    from checkpoint.township.dashboard import TownshipApp

    assert snap_compare(TownshipApp(township, clock_fn=lambda: TOWNSHIP_NOW), terminal_size=size)
