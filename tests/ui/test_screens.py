"""Policy, settings, restart and language, as a leader and a duty officer meet them."""

from __future__ import annotations

from textual.widgets import DataTable, TextArea

from tests.ui.conftest import fill_person, login

SIZE = (100, 40)


async def test_leader_adds_a_key_area_and_the_desk_suggests_turning_back_a_visitor(make_app):
    from checkpoint.services.policy import current_policy

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert type(app.screen).__name__ == "PolicyScreen"
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"武汉")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
        await pilot.press("enter")
        await fill_person(pilot, "110108198506123015", "张伟", "13800001111", "湖北省武汉市", "外省某村", "365")
        await pilot.pause()
        disposition = app.screen.query_one("#f-disposition")
        assert disposition.suggested == "turn-back"
        message = str(app.screen.query_one("#row-disposition .row-message").render())
        assert "劝返" in message and "武汉" in message
    assert current_policy(app.store).key_areas == ("武汉",)
    assert current_policy(app.store).version == 2


async def test_health_code_field_appears_only_when_switched_on(make_app, station, leader):
    from checkpoint.services.settings import change_setting

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        assert not app.screen.query("#f-health_code")
    change_setting(station, leader, "health-code", "on")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        assert app.screen.query("#f-health_code")


async def test_saved_entries_are_there_after_quitting_and_starting_again(make_app, db_path):
    from checkpoint.app import CheckpointApp
    from checkpoint.store import open_store

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("enter", *"110108198506123015", "enter", "enter", *"张伟", "enter",
                          *"13800001111", "enter", "enter", "enter", *"本地", "enter", "enter", "enter",
                          "enter", "enter", "enter", "enter", *"36.6", "enter", "enter", "ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+q")
    store = open_store(db_path)
    again = CheckpointApp(store)
    async with again.run_test(size=SIZE) as pilot:
        await login(pilot)
        table = again.screen.query_one("#entries", DataTable)
        assert table.row_count == 1
        row = table.get_row_at(0)
        assert row[1] == "张伟" and row[2] == "110108********3015" and row[3] == "138****1111"
    store.close()


async def test_english_labels_when_chosen(make_app):
    from checkpoint import i18n

    i18n.set_language("en")
    try:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot)
            labels = " ".join(str(label.render()) for label in app.screen.query(".row-label"))
            assert "Document no." in labels and "Temperature" in labels
    finally:
        i18n.set_language("zh")
