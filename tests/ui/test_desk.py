"""The registration desk, driven with the keys a duty officer presses (Pilot), at 80×24 unless said."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from tests.ui.conftest import FIXED_NOW, fill_person, login, type_in

SIZE = (80, 24)
# Valid resident IDs (check characters computed): a man of 1985, a woman of 1990, a child of 2018.
DRIVER, PASSENGER, CHILD_ID = "42010219850612301X", "420106199003154025", "420111201805200012"


def rows(store, sql, params=()):
    return store.read(sql, params)


def entries(store):
    return rows(store, "SELECT * FROM entries ORDER BY id")


def value(app, field: str) -> str:
    return app.screen.query_one(f"#f-{field}", Input).value


def message(app, field: str) -> str:
    return str(app.screen.query_one(f"#row-{field} .row-message").render())


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


def in_view(app, widget) -> bool:
    """The widget lies wholly inside the part of the form the officer can see."""
    scroll = app.screen.query_one("#form-scroll")
    visible = scroll.content_region
    return visible.contains_region(widget.region)


# ---- the defects seen on the landed desk ------------------------------------------------------------

async def test_enter_on_an_empty_temperature_stays_there_and_36_8_goes_into_the_temperature(make_app):
    """Seen: Enter on an empty 体温 showed the message but moved on to 处置, and "36.8" typed next
    chose 8 专人带入, which was saved. Now Enter stays, and what is typed lands in the temperature."""
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")                                   # on foot
        await type_in(pilot, "110108198506123015")
        await type_in(pilot, "张伟")
        await type_in(pilot, "13800001111")
        await type_in(pilot, "本地")
        await pilot.press("enter")                                   # key-area travel: no
        await type_in(pilot, "青山镇红旗村")
        assert app.focused.id == "f-temp"
        await pilot.press("enter")                                   # nothing typed yet
        await pilot.pause()
        assert app.focused.id == "f-temp"
        assert "体温" in message(app, "temp")
        assert in_view(app, app.focused)
        await pilot.press(*"36.8")
        await pilot.pause()
        assert value(app, "temp") == "36.8"
        disposition = app.screen.query_one("#f-disposition")
        assert disposition.value is None                             # nothing chosen behind the officer's back
        await pilot.press("enter")                                   # now to the disposition
        assert app.focused.id == "f-disposition"
        await pilot.press("enter")                                   # confirm ★ (on foot: saves)
        await pilot.pause()
    saved = entries(app.store)
    assert [(e["temp"], e["disposition"], e["disposition_source"]) for e in saved] == [(36.8, "release", "confirmed")]


async def test_enter_on_an_empty_origin_stays_and_the_place_typed_next_is_kept(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await type_in(pilot, DRIVER)
        await type_in(pilot, "张伟")
        await type_in(pilot, "13800001111")
        assert app.focused.id == "f-origin"
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "f-origin" and "从哪" in message(app, "origin")
        await pilot.press(*"whs")
        await pilot.pause()
        assert value(app, "origin") == "whs"
        await pilot.press("enter")                                   # takes the first candidate
        assert value(app, "origin") == "湖北省武汉市" and app.focused.id == "f-key_area_travel"


async def test_a_whole_id_with_a_wrong_check_digit_says_so_at_once_and_keeps_the_focus(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await pilot.press(*DRIVER[:-1], "1")              # the last character mistyped
        await pilot.pause()
        assert app.focused.id == "f-doc_no" and "校验位" in message(app, "doc_no")
        await pilot.press("backspace", "X")                # put right: moves on by itself
        await pilot.pause()
        assert app.focused.id == "f-name" and "校验位" not in message(app, "doc_no")


async def test_the_focused_fields_label_is_highlighted_and_in_view_all_along_the_path(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        seen = []

        async def check():
            await pilot.pause()
            focused = app.focused
            row = next(a for a in focused.ancestors if a.id and a.id.startswith("row-"))
            current = [r.id for r in app.screen.query(".-current")]
            assert current == [row.id], (focused.id, current)
            assert in_view(app, row), focused.id        # the field and its message line
            seen.append(focused.id)

        await check()                                               # the plate
        for keys in (["鄂", "A", *"12345", "enter"], [*DRIVER], [*"张伟", "enter"], [*"1380000111"]):
            await pilot.press(*keys)
            await check()
        await pilot.press("x", "enter")                             # a wrong phone: stays, says why
        await check()
        assert app.focused.id == "f-phone" and "电话" in message(app, "phone")
        await pilot.press("backspace", "1")                         # a whole mobile: on to 从哪来
        await check()
        for keys in ([*"whs", "enter"], ["enter"], ["enter"], [*"365", "enter"]):
            await pilot.press(*keys)
            await check()
        assert seen[-1] == "f-disposition"
        # the bar above the form names the vehicle and the person all the way down
        bar = str(app.screen.query_one("#person-bar").render())
        assert "鄂A12345" in bar and "人员 1" in bar


async def test_the_list_keeps_five_rows_and_save_messages_cover_nothing(make_app, station, leader):
    from checkpoint.domain.registration import PersonForm
    from checkpoint.services import registration

    from checkpoint.domain.registration import VehicleForm

    for i in range(6):
        registration.register(station, leader, [PersonForm(
            name=f"欧阳测试{'一二三四五六'[i]}", doc_no="110108198506123015", phone="13800001111", origin="本地",
            temp="37.9", recheck_temp="37.6", direction="in", disposition="hold")],
            VehicleForm(plate="粤BD12345"), now=FIXED_NOW)
    registration.register(station, leader, [PersonForm(
        name="李芳", doc_no="11010519491231002X", phone="13900002222", origin="本地", temp="36.5",
        direction="out", disposition="home-isolation")], now=FIXED_NOW)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        table = app.screen.query_one("#entries", DataTable)
        await pilot.pause()
        assert table.size.height - 1 >= 5                           # header + at least 5 rows
        # every column fits 80: no horizontal scrollbar eats a row (a 8-character plate, a re-measure,
        # 居家隔离 among them); the ID still masked to its first 6 and last 4
        assert table.virtual_size.width <= table.size.width, (table.virtual_size, table.size)
        assert "110105…002X" in str(table.get_row_at(0)) and "37.6⚠" in str(table.get_row_at(1))
        await pilot.press("ctrl+s")                                 # nothing typed
        await pilot.pause()
        assert "没有要保存" in status(app)
        assert not app._notifications                                # no toast over the list
        assert table.size.height - 1 >= 5


async def test_a_returning_person_on_foot_takes_five_keys_after_the_id_and_stays_on_foot(make_app, station, leader):
    from checkpoint.domain.registration import PersonForm, VehicleForm
    from checkpoint.services import registration

    registration.register(station, leader, [PersonForm(
        name="赵敏", doc_no="110108198506123015", phone="13811112222", address="青山镇西村",
        origin="四川省成都市", temp="36.4", direction="in", disposition="release")],
        VehicleForm(plate="川A12345"), now=FIXED_NOW)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")                                   # no plate: a person on foot
        await pilot.press(*"110108198506123015")                     # a whole ID moves on by itself
        await pilot.pause()
        assert app.focused.id == "f-temp"
        note = message(app, "doc_no")
        assert "回访" in note and "川A12345" in note and "Ctrl+Y" in note   # offered, not attached
        assert "回访" in status(app) and "川A12345" in status(app)          # in view while at 体温
        assert app.cursor_position == app.focused.cursor_screen_offset      # the terminal's cursor there too
        assert value(app, "plate") == ""
        keys = [*"365", "enter", "enter"]                            # temperature, to 处置, confirm ★ and save
        await pilot.press(*keys)
        await pilot.pause()
        assert len(keys) <= 5
        assert "已保存：1人" in status(app) and "川A12345" not in status(app)
        assert app.focused.id == "f-plate"
    again = entries(app.store)[-1]
    assert (again["name"], again["phone"], again["temp"], again["vehicle_id"]) == ("赵敏", "13811112222", 36.5, None)
    assert (again["disposition"], again["disposition_source"]) == ("release", "confirmed")


async def test_the_last_vehicle_is_attached_only_with_ctrl_y(make_app, station, leader):
    from checkpoint.domain.registration import PersonForm, VehicleForm
    from checkpoint.services import registration

    registration.register(station, leader, [PersonForm(
        name="赵敏", doc_no="110108198506123015", phone="13811112222", origin="四川省成都市", temp="36.4",
        direction="in", disposition="release")], VehicleForm(plate="川A12345", vehicle_type="van"), now=FIXED_NOW)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter", *"110108198506123015")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert value(app, "plate") == "川A12345"
        assert "川A12345" in str(app.screen.query_one("#person-bar").render())
        await pilot.press(*"365", "enter", "enter", "ctrl+s")   # with a vehicle, Enter adds the next person
        await pilot.pause()
    again = entries(app.store)[-1]
    vehicle = rows(app.store, "SELECT plate, vehicle_type FROM vehicles WHERE id = ?", (again["vehicle_id"],))
    assert [(v["plate"], v["vehicle_type"]) for v in vehicle] == [("川A12345", "van")]


async def test_a_car_of_three_from_wuhan_takes_at_most_30_keys_beyond_names_ids_phones_and_plate(make_app):
    """Driver and passenger with IDs, a child without a document, all from 湖北省武汉市; nothing
    Chinese typed but the names. Every key pressed is counted; the content's own characters apart."""
    app = make_app(clock=lambda: FIXED_NOW)
    content = 0    # characters of the names, ID numbers, phone numbers and plate
    other = []     # every other key

    async def data(text):
        nonlocal content
        content += len(text)
        await pilot.press(*text)

    async def keys(*names):
        other.extend(names)
        await pilot.press(*names)

    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await data("鄂A12345")
        await keys("enter")
        # the driver
        await data(DRIVER)                                     # a whole ID: on to the name by itself
        await data("张伟")
        await keys("enter")
        await data("13800001111")                              # a whole mobile: on to 从哪来
        await keys(*"whs", "enter")                            # 湖北省武汉市, no Chinese typed
        await keys("enter")                                    # key-area travel: no
        await keys("enter")                                    # address: none
        await keys(*"365", "enter")
        assert app.focused.id == "f-disposition"
        await keys("enter")                                    # confirm ★: next person of the car
        assert app.focused.id == "f-doc_no"
        # the passenger: where from and key-area travel carried from the driver, visibly
        assert value(app, "origin") == "湖北省武汉市"
        await data(PASSENGER)
        await data("李芳")
        await keys("enter")
        await data("13900002222")
        assert app.focused.id == "f-address"
        await keys("enter", "enter")                           # the Enter after the jump is absorbed; skip
        assert app.focused.id == "f-temp"
        await keys(*"366", "enter", "enter")
        # the child: no document (an empty number), no phone
        await keys("enter")
        assert app.focused.id == "f-name"
        await data("王小宝")
        await keys("enter")
        assert app.focused.id == "f-address"
        await keys("enter")
        await keys(*"365", "enter", "enter")
        await keys("ctrl+s")
        await pilot.pause()
        assert "已保存：3人" in status(app)
    assert len(other) <= 30, (len(other), other)
    saved = entries(app.store)
    assert [(e["name"], e["doc_type"], e["origin"], e["temp"]) for e in saved] == [
        ("张伟", "resident-id", "湖北省武汉市", 36.5), ("李芳", "resident-id", "湖北省武汉市", 36.6),
        ("王小宝", "none", "湖北省武汉市", 36.5)]
    assert {e["disposition_source"] for e in saved} == {"confirmed"}
    vehicles = rows(app.store, "SELECT * FROM vehicles")
    assert len(vehicles) == 1 and vehicles[0]["plate"] == "鄂A12345" and vehicles[0]["occupants"] == 3
    assert {e["vehicle_id"] for e in saved} == {vehicles[0]["id"]}


async def test_a_fever_is_remeasured_another_way_and_the_confirmation_says_what_next(make_app, station, leader):
    from checkpoint.services.settings import change_setting

    change_setting(station, leader, "fever-instruction", "打镇卫生院 0710-1234567 派车")
    rung = []
    app = make_app(clock=lambda: FIXED_NOW)
    app.bell = lambda: rung.append(1)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "本地", "青山镇红旗村", "378", "376")
        method = app.screen.query_one("#f-recheck_method")
        assert method.value == "axillary"                         # forehead first, under the arm again
        assert app.focused.id == "f-disposition"
        assert app.screen.query_one("#f-disposition").suggested == "hold"
        await pilot.press("enter")                                # confirm 留验 (on foot: save asks first)
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        question = str(app.screen.query_one("#confirm-question").render())
        assert "37.6" in question and "留验" in question and "0710-1234567" in question
        assert rung
        await pilot.press("y")
        await pilot.pause()
    saved = entries(app.store)[-1]
    assert (saved["temp"], saved["recheck_temp"], saved["recheck_method"], saved["fever"], saved["disposition"]) == (
        37.8, 37.6, "axillary", 1, "hold")


async def test_save_does_not_confirm_a_suggestion_nobody_confirmed(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        assert app.screen.query_one("#f-disposition").suggested is None   # no ★ on an empty form
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "本地", "", "365")
        assert app.screen.query_one("#f-disposition").suggested == "release"
        await pilot.press("ctrl+s")                               # ★ highlighted, never confirmed
        await pilot.pause()
        assert app.focused.id == "f-disposition" and "确认处置" in status(app)
        assert entries(app.store) == []
        await pilot.press("2", "enter")                           # 劝返 picked by hand
        await pilot.pause()
    saved = entries(app.store)
    assert [(e["disposition"], e["disposition_source"], e["suggested"]) for e in saved] == [
        ("turn-back", "chosen", "release")]


async def test_a_confirmed_suggestion_that_no_longer_holds_must_be_confirmed_again(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await type_in(pilot, "鄂A12345")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "本地", "", "365")
        await pilot.press("enter")                             # ★ 放行 confirmed: the next person
        await pilot.press("f3")                                # taken back to correct the temperature
        await pilot.pause()
        disposition = app.screen.query_one("#f-disposition")
        assert disposition.value == "release" and disposition.confirmed_suggestion
        app.screen.focus_field("temp")
        await pilot.press("end", "backspace", "backspace", "backspace", *"378")
        await pilot.pause()
        assert disposition.value is None                       # the fever changes what is suggested


async def test_fresh_forms_carry_no_stale_message(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "本地", "", "365")
        await pilot.press("enter")                                # confirm and save (on foot)
        await pilot.pause()
        assert "已保存" in status(app)
        for field in ("doc_no", "name", "phone", "origin", "temp"):
            assert message(app, field) == "", field
        await pilot.press("enter")                                # no vehicle
        await pilot.press("down", "1", "up")                      # 身份证 chosen by hand, back to the number
        await pilot.press("enter")                                # no number: required
        await pilot.pause()
        assert app.focused.id == "f-doc_no" and "证件号码" in message(app, "doc_no")
        await pilot.press("down", "5")                            # 无证件: the message goes
        await pilot.pause()
        assert message(app, "doc_no") == ""


async def test_temperature_may_be_typed_without_the_point(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "本地", "", "365")
        assert app.focused.id == "f-disposition" and message(app, "temp") == ""
        await pilot.press("enter")
        await pilot.pause()
    assert entries(app.store)[-1]["temp"] == 36.5


async def test_the_number_says_the_document_age_and_sex(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter", *CHILD_ID)
        await pilot.pause()
        aside = str(app.screen.query_one("#row-doc_no .row-aside").render())
        assert "身份证" in aside and "8岁" in aside and "儿童" in aside and "男" in aside
        assert app.screen.query_one("#f-doc_type").value == "resident-id"
        assert app.focused.id == "f-name"
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused.id == "f-doc_no"
        for _ in range(18):
            await pilot.press("backspace")
        await type_in(pilot, "E12345678")                         # a passport's shape
        assert app.screen.query_one("#f-doc_type").value == "passport"
        assert app.focused.id == "f-name"


async def test_a_child_without_a_document_goes_through_with_its_age(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await type_in(pilot, "6")                                 # the age, typed in place of a number
        assert app.screen.query_one("#f-doc_type").value == "none"
        assert value(app, "age") == "6" and value(app, "doc_no") == "" and message(app, "doc_no") == ""
        assert app.focused.id == "f-name"
        await type_in(pilot, "王小宝")
        assert app.focused.id == "f-origin"                       # no phone asked of a child
        await type_in(pilot, "本地")
        await pilot.press("enter", "enter")
        await type_in(pilot, "365")
        await pilot.press("enter")
        await pilot.pause()
    saved = entries(app.store)[-1]
    assert (saved["doc_type"], saved["doc_no"], saved["age"], saved["phone"]) == ("none", "", 6, "")


async def test_nothing_typed_is_lost_without_a_question(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await type_in(pilot, "鄂A12345")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "本地", "", "365")
        await pilot.press("enter")                                # person 1 added
        await type_in(pilot, "11010519491231002X")
        await pilot.press(*"李芳")
        # F3 swaps: the person being typed goes into the vehicle's list, the first comes back
        await pilot.press("f3")
        await pilot.pause()
        assert value(app, "name") == "张伟"
        await pilot.press("f3")
        await pilot.pause()
        assert value(app, "name") == "李芳" and value(app, "doc_no") == "11010519491231002X"
        # Ctrl+Q asks; Enter (the default) keeps everything
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen" and value(app, "name") == "李芳"
        # Ctrl+R asks too; N keeps
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("n")
        await pilot.pause()
        assert value(app, "plate") == "鄂A12345" and value(app, "name") == "李芳"
        assert app.is_running


async def test_ctrl_q_on_an_empty_desk_quits_at_once(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_arrows_move_between_fields_not_the_scroll(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        assert app.focused.id == "f-plate"
        await pilot.press("down")
        assert app.focused.id == "f-vehicle_type"
        await pilot.press("down", "down", "down")
        assert app.focused.id == "f-doc_no"
        await pilot.press("up")
        assert app.focused.id == "f-vehicle_flags"


async def test_an_odd_name_is_a_warning_and_is_saved(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123015", "张3abc", "13800001111", "本地", "", "365")
        assert "姓名看起来不对" in message(app, "name")
        await pilot.press("enter")
        await pilot.pause()
    assert entries(app.store)[-1]["name"] == "张3abc"


async def test_a_place_missing_from_the_list_is_kept_as_typed(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter", *DRIVER, *"张伟", "enter", *"13800001111")
        await pilot.press(*"xyzq")                                # nothing starts so
        await pilot.pause()
        assert not app.screen.query_one("#row-origin .row-choices").has_class("-shown")
        await pilot.press("enter")
        assert value(app, "origin") == "xyzq" and app.focused.id == "f-key_area_travel"
        await pilot.press("up", "ctrl+a", "ctrl+k", *"wuhan")      # back, another try
        await pilot.pause()
        assert app.screen.query_one("#row-origin .row-choices").has_class("-shown")
        await pilot.press("escape", "enter")                      # Esc: keep what was typed
        assert value(app, "origin") == "wuhan"


async def test_the_stations_villages_complete_the_address_and_make_a_resident(make_app, station, leader):
    from checkpoint.services import places

    places.add_village(station, leader, "红旗村")
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter", *DRIVER, *"张伟", "enter", *"13800001111")
        await type_in(pilot, "本地")
        await pilot.press("enter")
        await pilot.press(*"hqc")
        await pilot.pause()
        assert "红旗村" in str(app.screen.query_one("#row-address .row-choices").render())
        await pilot.press("enter")
        assert value(app, "address") == "红旗村"
        assert app.screen.query_one("#f-resident").value is True
        assert app.focused.id == "f-temp"


async def test_a_scanner_burst_into_the_origin_is_kept_with_a_warning(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter", *DRIVER, *"张伟", "enter", *"13800001111")
        await pilot.press(*"CPAE7QX2K4M9", "enter")
        await pilot.pause()
        assert value(app, "origin") == "CPAE7QX2K4M9"
        assert "看起来不对" in message(app, "origin")
        assert app.focused.id == "f-key_area_travel"
    assert entries(app.store) == []


async def test_a_wrong_id_is_explained_beside_the_field_and_nothing_is_lost(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await type_in(pilot, "110108198506123016")
        await pilot.pause()
        assert app.focused.id == "f-doc_no" and "校验位" in message(app, "doc_no")
        await pilot.press(*"张伟")                                 # typed on: it stays where it was seen
        assert value(app, "doc_no").endswith("张伟") and value(app, "name") == ""
    assert entries(app.store) == []


async def test_lock_keeps_the_form_and_the_next_person_is_recorded(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await type_in(pilot, "粤B12345", then="")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert type(app.screen).__name__ == "LoginScreen"
        await login(pilot, "李四", "2222")
        assert type(app.screen).__name__ == "DeskScreen"
        assert app.screen.query_one("#f-plate", Input).value == "粤B12345"
        assert app.account.name == "李四"
        assert "李四" in str(app.screen.query_one("#topbar").render())


async def test_wrong_pin_is_refused_with_tries_left(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "王队长", "9999")
        assert type(app.screen).__name__ == "LoginScreen"
        assert "还可再试4次" in str(app.screen.query_one("#login-message").render())


async def test_staff_cannot_open_the_accounts_screen(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("f4")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"


async def test_leader_adds_an_account_on_the_accounts_screen(make_app):
    from checkpoint.services import accounts

    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await login(pilot)
        await pilot.press("f4")
        await pilot.pause()
        assert type(app.screen).__name__ == "StaffScreen"
        await type_in(pilot, "周杰")
        await pilot.press("enter")              # role: 值守
        await type_in(pilot, "4321")
        await type_in(pilot, "4321")            # the PIN again, as at set-up
        await pilot.pause()
        await pilot.press("escape")
    assert accounts.authenticate(app.store, "周杰", "4321").role == "staff"
