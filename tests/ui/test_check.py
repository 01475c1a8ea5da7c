"""The pass check screen, as a USB scanner uses it: the code typed fast, then Enter."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.conftest import FIXED_NOW, login

SIZE = (100, 34)


def issue(station, leader):
    from checkpoint.domain.passes import PassForm
    from checkpoint.services import passes

    return passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X",
                                                       village="红旗村"), now=FIXED_NOW)


def verdict_text(app) -> str:
    return str(app.screen.query_one("#verdict-word").render())


async def test_scan_out_then_again_then_forged(make_app, station, leader):
    issued = issue(station, leader)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("f6")
        await pilot.pause()
        assert type(app.screen).__name__ == "CheckScreen"
        assert app.focused.id == "scan"
        await pilot.press(*issued.token, "enter")   # as a keyboard-wedge scanner does
        await pilot.pause()
        assert "有 效" in verdict_text(app)
        assert "张*丰" in str(app.screen.query_one("#verdict-holder").render())
        assert app.focused.id == "scan" and app.screen.query_one("#scan", Input).value == ""
        assert app.screen.query_one("#out-list").row_count == 1
        await pilot.press(*issued.token, "enter")
        await pilot.pause()
        assert "未 返 回" in verdict_text(app)
        # one character of the signature changed (the issuer's key id untouched): a forgery
        forged = issued.token[:-10] + ("B" if issued.token[-10] != "B" else "C") + issued.token[-9:]
        await pilot.press(*forged, "enter")
        await pilot.pause()
        assert "伪 造" in verdict_text(app)
        await pilot.press("f6", *"K01-000001", "enter")  # coming back, number typed by hand
        await pilot.pause()
        assert "有 效" in verdict_text(app)
        assert app.screen.query_one("#out-list").row_count == 0
    rows = station.read("SELECT verdict, direction FROM crossings ORDER BY id")
    assert [(r["verdict"], r["direction"]) for r in rows] == [
        ("valid", "out"), ("not-back", "out"), ("forged", "out"), ("valid", "in")]


def test_verdict_panel_snapshot(snap_compare, make_app, station, leader):
    issued = issue(station, leader)

    async def scanned(pilot):
        await login(pilot, "李四", "2222")
        await pilot.press("f6")
        await pilot.press(*issued.token, "enter")
        await pilot.pause()

    assert snap_compare(make_app(clock=lambda: FIXED_NOW), terminal_size=(80, 24), run_before=scanned)


async def test_leader_revokes_the_scanned_pass_on_screen(make_app, station, leader):
    issued = issue(station, leader)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f6", *"K01-000001", "enter")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "AskTextModal"
        await pilot.press(*"证件遗失", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CheckScreen"
        await pilot.press(*issued.token, "enter")
        await pilot.pause()
        assert "已 吊 销" in verdict_text(app)
        assert "证件遗失" in str(app.screen.query_one("#verdict-reason").render())


async def test_staff_cannot_revoke(make_app, station, leader):
    issue(station, leader)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("f6", *"K01-000001", "enter", "f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "CheckScreen"
    assert station.read("SELECT count(*) AS n FROM revocations")[0]["n"] == 0
