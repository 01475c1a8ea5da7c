"""Starting a shift and signing the handover with two PINs, by keyboard."""

from __future__ import annotations

from tests.ui.conftest import FIXED_NOW, fill_person, login

SIZE = (100, 40)


def matter_lines(screen) -> list[str]:
    """The open matters listed on the handover screen, as shown."""
    from textual.widgets import OptionList

    listing = screen.query_one("#handover-matter-list", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_day_shift_with_three_then_handover_to_night(make_app, station, leader):
    from checkpoint.services import accounts, shifts

    accounts.add_staff(station, "赵六", "staff", "3333", leader)
    accounts.add_staff(station, "刘夜班", "leader", "4444", leader)
    app = make_app(clock=lambda: FIXED_NOW)  # 14:30 local: a day shift
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        assert "F8" in str(app.screen.query_one("#notices").render())   # no shift open: the desk says so
        await pilot.press("f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "ShiftStartScreen"
        # rows in list order: 李四, 赵六 (staff), 刘夜班, 王队长 (leaders) — put the two staff on
        names = [r["name"] for r in app.screen.staff]
        for i, name in enumerate(names):
            if name in ("李四", "赵六"):
                app.screen.set_focus(app.screen.query_one(f"#f-member{i}"))
                await pilot.press("2")   # 镇干部... any category puts them on the roster
        await pilot.pause()
        assert "少于4人" in str(app.screen.query_one("#shift-warnings").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
        assert "F8" not in str(app.screen.query_one("#notices").render())
        assert "第1班" in str(app.screen.query_one("#topbar").render())

        # a fever case held for transport
        await pilot.press("enter")
        await fill_person(pilot, "110101200001010037", "王强", "13700003333", "本地", "", "37.8", "37.6")
        await pilot.press("enter")                                # confirm 留验: asked once more
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()

        await pilot.press("f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        summary = str(app.screen.query_one("#handover-summary").render())
        assert "人员 1" in summary and "发热 1" in summary and "留验 1" in summary
        assert any("王强" in line for line in matter_lines(app.screen))
        await pilot.press(*"200", "enter", *"3", "enter")         # masks, disinfectant
        app.screen.set_focus(app.screen.query_one("#f-next_kind"))
        await pilot.press("2")                                   # the next shift: 夜班 (the clock says 白班 at 14:30)
        app.screen.set_focus(app.screen.query_one("#f-outgoing_pin"))
        await pilot.press(*"1234", "enter")
        await pilot.press("enter")                               # incoming: 刘夜班 (the only other leader)
        await pilot.press(*"4444", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
        assert app.account.name == "刘夜班"
        assert "第2班" in str(app.screen.query_one("#topbar").render())
    night = shifts.shift_status(station)
    assert night.shift["kind"] == "night"
    assert [m.kind for m in night.matters] == ["held"]
    record = shifts.handover_record(station, 1)
    assert '"masks"' in record["stock"] and "200" in record["stock"]


async def test_wrong_incoming_pin_keeps_the_shift_open(make_app, station, leader):
    from checkpoint.services import accounts, shifts

    accounts.add_staff(station, "刘夜班", "leader", "4444", leader)
    shifts.start_shift(station, leader, "day", [], now=FIXED_NOW)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f8")
        await pilot.pause()
        app.screen.set_focus(app.screen.query_one("#f-outgoing_pin"))
        await pilot.press(*"1234", "enter", "enter", *"0000", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        assert "PIN不对" in str(app.screen.query_one("#row-incoming_pin .row-message").render())
    assert shifts.shift_status(station).shift["id"] == 1


async def test_last_handover_record_is_shown_on_screen(make_app, station, leader):
    from checkpoint.services import accounts, shifts

    accounts.add_staff(station, "刘夜班", "leader", "4444", leader)
    shifts.start_shift(station, leader, "day", [], now=FIXED_NOW)
    shifts.hand_over(station, leader, "刘夜班", "4444", stock={"masks": 50}, note="注意王强待转运", now=FIXED_NOW)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "刘夜班", "4444")
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "MarkdownModal"
        assert "注意王强待转运" in app.screen.text and "口罩" in app.screen.text


async def test_roster_change_and_free_text_matter_from_the_handover_screen(make_app, station, leader):
    from checkpoint.services import shifts

    shifts.start_shift(station, leader, "day", [], now=FIXED_NOW)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert type(app.screen).__name__ == "RosterScreen"
        names = [r["name"] for r in app.screen.staff]
        app.screen.set_focus(app.screen.query_one(f"#f-member{names.index('李四')}"))
        await pilot.press("3", "ctrl+s")                   # 李四 joins as 民辅警
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        assert "李四（民辅警）" in str(app.screen.query_one("#handover-summary").render())
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press(*"明早加强检查", "enter")
        await pilot.pause()
        assert any("明早加强检查" in line for line in matter_lines(app.screen))
    assert [r["action"] for r in station.read("SELECT action FROM roster ORDER BY id")] == ["join", "join"]


async def test_desk_list_counts_this_shift_only(make_app, station, leader, staff_member):
    from checkpoint.domain.registration import PersonForm
    from checkpoint.services import registration, shifts

    form = PersonForm(name="张伟", doc_no="110108198506123015", phone="13800001111", origin="本地", temp="36.5",
                      direction="in", disposition="release")
    registration.register(station, staff_member, [form], now=FIXED_NOW)          # before the shift
    shifts.start_shift(station, leader, "day", [], now=FIXED_NOW)
    registration.register(station, staff_member, [form], now=FIXED_NOW)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        counts = str(app.screen.query_one("#counts").render())
        assert counts.startswith("第1班白班") and "人1 " in counts
        assert app.screen.query_one("#entries").row_count == 1
