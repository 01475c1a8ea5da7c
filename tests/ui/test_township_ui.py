"""The township dashboard by keyboard, in an 80×24 terminal: today's grid shows the station that
reported, the zero report and the MISSING one; H shows the last 14 days; ← goes back a day; Q quits."""

from __future__ import annotations

import datetime as dt

import pytest

from checkpoint.domain.registration import PersonForm
from checkpoint.services import accounts, export, keys, registration
from checkpoint.township import office as township_service
from checkpoint.township import collect as township_collect
from checkpoint.services.setup import init_station
from checkpoint.store import open_store
from checkpoint.township.schema import open_township_store

TZ = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 18, 0, tzinfo=TZ)  # after the 17:00 cut-off: a silent station is MISSING


@pytest.fixture
def township(tmp_path, township_keys):
    """K01 reported a fever held, K02 sent a zero report, K03 reported yesterday but not today."""
    town = open_township_store(township_keys.copy_db(tmp_path / "township.db"))
    for code, name in (("K01", "东口卡点"), ("K02", "西口卡点"), ("K03", "北口卡点")):
        store = open_store(tmp_path / f"{code}.db")
        init_station(store, code, name, "青山镇", "王队长", "1234")
        township_keys.give(store)
        keys.export_public_key(store, tmp_path / f"{code}.key")
        township_service.add_station(town, tmp_path / f"{code}.key")
        if code == "K01":
            leader = accounts.authenticate(store, "王队长", "1234")
            registration.register(store, leader, [PersonForm(
                name="王强", doc_no="110108198506123015", phone="13912345678", address="青山镇红旗村",
                origin="湖北省宜昌市", temp="37.9", recheck_temp="38.0", direction="in", disposition="hold")],
                now=NOW - dt.timedelta(hours=6))
        day = DAY - dt.timedelta(days=1) if code == "K03" else DAY
        export.export_day(store, day, tmp_path / "usb", now=dt.datetime.combine(day, dt.time(16), tzinfo=TZ))
        store.close()
    assert all(o.accepted for o in township_collect.collect(town, [tmp_path / "usb"], now=NOW))
    yield town
    town.close()


def grid_rows(app) -> dict[str, list[str]]:
    from textual.widgets import DataTable

    table = app.screen.query_one(DataTable)
    return {str(key.value): [str(c) for c in table.get_row(key)] for key in table.rows}


def text_of(app, selector: str) -> str:
    from textual.widgets import Static

    return str(app.screen.query_one(selector, Static).render())


async def test_dashboard_shows_missing_and_zero_report(township):
    from checkpoint.township.dashboard import TownshipApp

    app = TownshipApp(township, clock_fn=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = grid_rows(app)
        assert rows["K01"][2] == "已报" and rows["K02"][2] == "零报告" and rows["K03"][2] == "未报 MISSING"
        assert rows["K01"][3:6] == ["1", "1", "1"] and rows["K03"][3] == "-"
        assert "未报 1" in text_of(app, "#tw-headline") and "2026-11-20" in text_of(app, "#tw-top")
        follow = text_of(app, "#tw-pane-body")
        assert "青山镇红旗村" in follow and "王强" in follow and "东口卡点" in follow
        assert "110108********3015" in follow and "139****5678" in follow   # masked on screen
        assert "110108198506123015" not in follow                         # full numbers only in the file

        await pilot.press("h")
        history = text_of(app, "#tw-pane-body").splitlines()
        assert len(history) == 14 and history[-1].startswith("11-20") and "未报 1" in history[-1]
        # yesterday only K03 was expected (K01 and K02 were set up and first reported today)
        assert "已报1/1" in history[-2] and "未报" not in history[-2]

        await pilot.press("left")
        assert "2026-11-19" in text_of(app, "#tw-top")
        assert list(grid_rows(app)) == ["K03"] and grid_rows(app)["K03"][2] == "零报告"
        await pilot.press("t")
        assert "2026-11-20" in text_of(app, "#tw-top")
        await pilot.press("q")
    assert app.return_code == 0


async def test_everything_fits_80_by_24(township):
    from textual.widgets import DataTable, Footer

    from checkpoint.township.dashboard import TownshipApp

    app = TownshipApp(township, clock_fn=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        grid = screen.query_one(DataTable)
        assert grid.region.height >= 4 and grid.region.bottom <= 24
        assert screen.query_one(Footer).region.bottom == 24
        assert screen.query_one("#tw-pane").region.height >= 3
        await pilot.press("escape")
    assert app.return_code == 0
