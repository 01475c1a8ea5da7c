"""At the station's screens: the pass check screen says how old the township list is that passes
are checked against, and warns when it is older than the station's maximum (trust-max-age, default
3 days) or missing; an export without the township's key says how to get it and writes nothing."""

from __future__ import annotations

import datetime as dt

from tests.ui.conftest import FIXED_NOW, export_from_review, login

SIZE = (80, 24)


def line_of(app) -> str:
    return str(app.screen.query_one("#list-age").render())


async def test_no_township_list_yet_is_said(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("f6")
        await pilot.pause()
        assert line_of(app).startswith("⚠ 还没有导入乡镇名单")
        assert app.focused.id == "scan"  # the scanner's field keeps the focus


async def test_the_list_age_and_the_warning_past_the_maximum(make_app, station, leader, tmp_path, township_keys):
    from checkpoint.services import settings, township_import
    from checkpoint.township import bundle as township_bundle
    from checkpoint.township.schema import open_township_store

    town = open_township_store(township_keys.copy_db(tmp_path / "town.db"))
    issued = FIXED_NOW - dt.timedelta(days=2, hours=5)
    bundle = township_bundle.write_bundle(town, tmp_path / "back", now=issued)
    town.close()
    township_import.import_bundle(station, leader, bundle.zip_path, township_keys.key_file)

    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("f6")
        await pilot.pause()
        assert line_of(app) == "乡镇名单第1号，已2天5小时"
    settings.change_setting(station, leader, "trust-max-age", "2")
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("f6")
        await pilot.pause()
        assert line_of(app) == "乡镇名单第1号，已2天5小时 ⚠ 超过2天，请导入新的乡镇下发包"
        region = app.screen.query_one("#list-age").region
        assert region.width <= SIZE[0] and region.y < SIZE[1] - 1  # on the screen at 80×24


async def test_export_from_the_review_without_the_township_key_says_how_to_get_it(make_app, station, tmp_path):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        said = await export_from_review(app, pilot, tmp_path / "usb")
        assert "还没有乡镇的加密公钥" in said and "--township-key" in said
    assert not (tmp_path / "usb").exists() or not any((tmp_path / "usb").iterdir())
