"""The registration desk, driven with the keys a duty officer presses."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.conftest import login, type_in

SIZE = (100, 40)


def rows(store, sql, params=()):
    return store.read(sql, params)


async def fill_person(pilot, doc_no, name, phone, address, origin, temp, recheck=None):
    """From the ID field: ID, type (Enter), name, phone, address, resident, origin, key area,
    purpose, destination, symptoms, direction, method, temperature (and re-measure)."""
    await type_in(pilot, doc_no)
    await pilot.press("enter")               # document type: resident ID
    await type_in(pilot, name)
    await type_in(pilot, phone)
    await type_in(pilot, address)
    await pilot.press("enter")               # resident: set from the address
    await type_in(pilot, origin)
    await pilot.press("enter", "enter")      # key-area travel: no; purpose: -
    await pilot.press("enter")               # destination: empty
    await pilot.press("enter", "enter", "enter")  # symptoms, direction, method
    await type_in(pilot, temp)
    if recheck is not None:
        await type_in(pilot, recheck)


async def test_car_with_three_people_one_with_fever_is_saved_as_one_registration(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        assert type(app.screen).__name__ == "DeskScreen"
        await type_in(pilot, "粤B12345")
        await pilot.press("enter", "enter", "enter", "enter", "enter")  # type, occupants, three flags
        assert app.focused.id == "f-doc_no"

        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "青山镇红旗村", "湖北省宜昌市", "36.5")
        assert app.focused.id == "f-disposition"
        await pilot.press("enter")  # confirm the suggestion 放行
        await pilot.press("f2")
        assert app.focused.id == "f-doc_no"

        await fill_person(pilot, "11010519491231002X", "李芳", "13900002222", "青山镇红旗村", "湖北省宜昌市", "36.7")
        await pilot.press("enter", "f2")

        await fill_person(pilot, "110101200001010037", "王强", "13700003333", "青山镇东村", "湖北省宜昌市", "37.8")
        # 37.8 asks for the re-measure before anything else
        assert app.focused.id == "f-recheck_temp"
        await type_in(pilot, "37.6")
        assert app.focused.id == "f-disposition"
        disposition = app.screen.query_one("#f-disposition")
        assert disposition.suggested == "hold"
        await pilot.press("enter")           # confirm 留验
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"  # fever: asked once more
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
        assert app.focused.id == "f-plate"     # cleared, back on the first field
        assert app.screen.query_one("#f-plate", Input).value == ""

    store = app.store
    vehicles = rows(store, "SELECT * FROM vehicles")
    entries = rows(store, "SELECT * FROM entries ORDER BY id")
    assert len(vehicles) == 1 and vehicles[0]["plate"] == "粤B12345"
    assert vehicles[0]["occupants"] == 3
    assert [e["name"] for e in entries] == ["张伟", "李芳", "王强"]
    assert {e["vehicle_id"] for e in entries} == {vehicles[0]["id"]}
    fever = entries[2]
    assert fever["temp"] == 37.8 and fever["recheck_temp"] == 37.6
    assert fever["fever"] == 1 and fever["disposition"] == "hold"
    assert [e["disposition"] for e in entries[:2]] == ["release", "release"]
    assert all(e["staff_id"] == entries[0]["staff_id"] for e in entries)
    assert entries[0]["resident"] == 1  # 青山镇 in the address


async def test_returning_person_takes_seven_keys_after_the_id(make_app, station, leader):
    from checkpoint.domain.registration import PersonForm, VehicleForm
    from checkpoint.services import registration

    registration.register(station, leader, [PersonForm(
        name="赵敏", doc_no="110108198506123015", phone="13811112222", address="青山镇西村",
        origin="四川省成都市", temp="36.4", direction="in", disposition="release")],
        VehicleForm(plate="川A12345"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")               # no plate typed: straight to the person
        await pilot.press(*"110108198506123015")
        keys = ["enter", *"36.5", "enter", "ctrl+s"]
        await pilot.press(*keys)
        await pilot.pause()
        assert len(keys) == 7
        assert app.focused.id == "f-plate"
    entries = rows(app.store, "SELECT * FROM entries ORDER BY id")
    assert len(entries) == 2
    again = entries[1]
    assert (again["name"], again["phone"], again["address"]) == ("赵敏", "13811112222", "青山镇西村")
    assert again["temp"] == 36.5 and again["disposition"] == "release"
    vehicle = rows(app.store, "SELECT plate FROM vehicles WHERE id = ?", (again["vehicle_id"],))
    assert vehicle[0]["plate"] == "川A12345"  # the last vehicle was filled in too


async def test_a_wrong_id_is_explained_beside_the_field_and_nothing_is_lost(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123016", "张伟", "13800001111", "青山镇", "本地", "36.5")
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        message = app.screen.query_one("#row-doc_no .row-message").render()
        assert "校验位" in str(message)
        assert app.focused.id == "f-doc_no"
        assert app.screen.query_one("#f-name", Input).value == "张伟"   # what was typed stays
        assert app.screen.query_one("#f-temp", Input).value == "36.5"
    assert rows(app.store, "SELECT count(*) AS n FROM entries")[0]["n"] == 0


async def test_fever_without_remeasure_cannot_be_saved(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "青山镇", "本地", "38.1")
        assert app.focused.id == "f-recheck_temp"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.focused.id == "f-recheck_temp"
        assert "复测" in str(app.screen.query_one("#row-recheck_temp .row-message").render())
    assert rows(app.store, "SELECT count(*) AS n FROM entries")[0]["n"] == 0


async def test_temperature_out_of_range_is_a_typing_error(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "青山镇", "本地", "365")
        await pilot.pause()
        assert "小数点" in str(app.screen.query_one("#row-temp .row-message").render())


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
    async with app.run_test(size=SIZE) as pilot:
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
