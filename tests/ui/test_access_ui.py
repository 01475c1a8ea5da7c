"""Every screen action × every role, by keyboard: the key opens its screen for the roles the role
table allows, and for the others the screen stays where it was (with a notice saying who may)."""

from __future__ import annotations

import datetime as dt

import pytest

from checkpoint.domain.registration import PersonForm
from checkpoint.domain.roles import PERMISSIONS, ROLES
from tests.ui.conftest import FIXED_NOW, login

ACCOUNTS = {"staff": ("李四", "2222"), "leader": ("王队长", "1234"), "admin": ("陈管理", "3333")}
# (key on the desk, the action it needs, the screen it opens)
DESK_KEYS = [("f4", "staff.manage", "StaffScreen"), ("f5", "policy.edit", "PolicyScreen"),
             ("f6", "pass.check", "CheckScreen"), ("f7", "pass.issue", "PassIssueScreen"),
             ("f8", "shift.lead", "ShiftStartScreen"), ("f9", "review.read", "ReviewScreen")]
# (key in the review, on the first entry, the action it needs, the screen it opens)
REVIEW_KEYS = [("e", "entry.amend", "AmendScreen"), ("f", "entry.flag", "AskTextModal"),
               ("u", "entry.unmask", "DetailModal"), ("g", "day.signoff", "AskTextModal"),
               ("w", "audit.read", "AuditScreen"), ("x", "export.day", "ExportModal")]


@pytest.fixture
def populated(station, leader):
    from checkpoint.services import accounts, registration

    accounts.add_staff(station, "陈管理", "admin", "3333", leader)
    clerk = accounts.authenticate(station, "李四", "2222")
    registration.register(station, clerk, [PersonForm(name="张三", doc_no="110108198506123015", phone="13800001111",
                                                      origin="本地", temp="36.5", direction="in",
                                                      disposition="release")], now=FIXED_NOW - dt.timedelta(hours=1))
    return station


async def back_to(pilot, name: str) -> None:
    for _ in range(4):
        if type(pilot.app.screen).__name__ == name:
            return
        await pilot.press("escape")
        await pilot.pause()


@pytest.mark.parametrize("role", ROLES)
async def test_each_key_opens_only_for_the_roles_allowed(make_app, populated, role):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 34)) as pilot:
        await login(pilot, *ACCOUNTS[role])
        assert type(app.screen).__name__ == "DeskScreen"
        for key, action, screen in DESK_KEYS:
            await pilot.press(key)
            await pilot.pause()
            opened = type(app.screen).__name__ == screen
            assert opened == (role in PERMISSIONS[action]), (role, key, action, type(app.screen).__name__)
            await back_to(pilot, "DeskScreen")
        await pilot.press("f9")
        await pilot.pause()
        for key, action, screen in REVIEW_KEYS:
            await pilot.press(key)
            await pilot.pause()
            opened = type(app.screen).__name__ == screen
            assert opened == (role in PERMISSIONS[action]), (role, key, action, type(app.screen).__name__)
            await back_to(pilot, "ReviewScreen")
    amendments = populated.read_one("SELECT count(*) AS n FROM amendments")["n"]
    assert amendments == 0


async def test_staff_issue_passes_when_the_station_allows_it(make_app, populated, leader):
    from checkpoint.services import settings

    settings.change_setting(populated, leader, "pass-issue-staff", "on")
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 34)) as pilot:
        await login(pilot, *ACCOUNTS["staff"])
        from checkpoint.widgets.palette import actions_of
        assert any(a.action == "open_issue" for a in actions_of(app.screen, app))   # the palette offers it too
        await pilot.press("f7")
        await pilot.pause()
        assert type(app.screen).__name__ == "PassIssueScreen"
