"""Bad input at the tent: the window squeezed to 40×10 and back, 10,000 characters pasted into a
field, keys pressed while a save runs, a scanner typing faster than the screen draws. Nothing typed
is lost, nothing half is saved, nothing crashes."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.ui.conftest import FIXED_NOW, fill_person, login, type_in

SIZE = (80, 24)
PASTE = "张三丰" * 3334  # 10,002 characters, as if a whole document landed on the clipboard


def entries(store) -> list[dict]:
    return store.read("SELECT name, doc_no, temp, disposition FROM entries ORDER BY id")


def value(app, field: str) -> str:
    return app.screen.query_one(f"#f-{field}", Input).value


async def test_squeezed_to_40_by_10_and_back_keeps_what_was_typed_and_still_saves(make_app, station):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")                       # no vehicle
        await type_in(pilot, "110108198506123015")
        await pilot.press("enter")
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        await pilot.press(*"张伟")                        # typing goes on in the tiny window
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert value(app, "doc_no") == "110108198506123015" and value(app, "name") == "张伟"
        assert app.focused.id == "f-name"
        await pilot.press("enter")
        await type_in(pilot, "13800001111")
        await type_in(pilot, "本地")
        await pilot.press("enter")                       # key-area travel
        await type_in(pilot, "青山镇红旗村")
        await type_in(pilot, "36.5")
        await pilot.press("enter")                       # confirm ★ and save
        await pilot.pause()
    assert [(e["name"], e["doc_no"]) for e in entries(station)] == [("张伟", "110108198506123015")]


async def test_ten_thousand_pasted_characters_are_cut_to_the_field_not_a_crash(make_app, station):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter", *"110108198506123015", "enter", "enter")
        assert app.focused.id == "f-name"
        app.post_message(events.Paste(PASTE))
        await pilot.pause()
        name = value(app, "name")
        assert name and set(name) <= set("张三丰") and len(name) <= app.focused.max_length
        await pilot.press("ctrl+s")                      # the save refuses what is wrong, keeps the rest
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
        assert value(app, "doc_no") == "110108198506123015"
    assert entries(station) == []


async def test_a_pasted_page_in_the_scanner_field_is_one_unreadable_scan(make_app, station):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("f6")
        await pilot.pause()
        app.post_message(events.Paste("A" * 10_000))
        await pilot.pause()
        scan = app.screen.query_one("#scan", Input)
        assert len(scan.value) <= scan.max_length
        await pilot.press("enter")
        await pilot.pause()
        assert scan.value == "" and app.focused is scan       # ready for the next, real scan
        assert "✘" in str(app.screen.query_one("#verdict-word").render()) or \
            "?" in str(app.screen.query_one("#verdict-word").render())


async def test_keys_pressed_while_saving_land_in_the_next_form_and_a_double_save_saves_once(make_app, station):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 40)) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "本地", "青山镇红旗村", "36.5")
        # Enter (confirm and save), Ctrl+S twice (an impatient finger), then the next car's plate,
        # all before a single redraw.
        await pilot.press("enter", "ctrl+s", "ctrl+s", *"京B54321")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
        assert value(app, "plate") == "京B54321"
    assert [(e["name"], e["temp"]) for e in entries(station)] == [("张伟", 36.5)]


async def test_a_scanner_burst_on_the_desk_fills_a_returning_person_and_the_temperature(make_app, station, leader):
    from checkpoint.domain.registration import PersonForm
    from checkpoint.services import registration

    registration.register(station, leader, [PersonForm(
        name="李芳", doc_no="11010519491231002X", phone="13900002222", address="青山镇红旗村", origin="本地",
        temp="36.4", direction="in", disposition="release")], now=FIXED_NOW)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        # plate skipped, the ID scanned with its Enter, the temperature typed at once: one burst
        await pilot.press("enter", *"11010519491231002X", "enter", *"36.6", "enter", "enter")
        await pilot.pause()
    assert [(e["name"], e["temp"]) for e in entries(station)] == [("李芳", 36.4), ("李芳", 36.6)]


async def test_two_passes_scanned_back_to_back_are_two_checks(make_app, station, leader):
    from checkpoint.domain.passes import PassForm
    from checkpoint.services import passes

    first = passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X",
                                                        village="红旗村"), now=FIXED_NOW)
    second = passes.issue_pass(station, leader, PassForm(kind="household", name="李明", doc_no="110101200001010037",
                                                         village="东村"), now=FIXED_NOW)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("f6")
        await pilot.press(*first.token, "enter", *second.token, "enter")   # no pause between the scans
        await pilot.pause()
        assert app.screen.query_one("#scan", Input).value == ""
        assert app.screen.query_one("#out-list").row_count == 2
    rows = station.read("SELECT verdict FROM crossings ORDER BY id")
    assert [r["verdict"] for r in rows] == ["valid", "valid"]
