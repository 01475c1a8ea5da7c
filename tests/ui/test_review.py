"""The review by keyboard: F9 from the desk, search "zs", open the entry, amend its temperature
with a reason, see the marker and the history, flag it, sign the day off with the PIN."""

from __future__ import annotations

import datetime as dt

from checkpoint.domain.registration import PersonForm
from tests.ui.conftest import FIXED_NOW, login

SIZE = (100, 34)
DAY = "2026-11-24"


def form(name, doc_no, phone, **changes) -> PersonForm:
    values = dict(name=name, doc_no=doc_no, phone=phone, address="青山镇红旗村", origin="湖北省宜昌市",
                  temp="36.9", direction="in", disposition="release")
    values.update(changes)
    return PersonForm(**values)


def fill_log(station):
    from checkpoint.services import accounts, registration
    clerk = accounts.authenticate(station, "李四", "2222")
    at = FIXED_NOW - dt.timedelta(hours=3)
    for i, (name, doc, phone) in enumerate([("张三", "110108198506123015", "13800001111"),
                                            ("李明", "110101200001010037", "13712345678"),
                                            ("张三丰", "11010519491231002X", "13900002222")]):
        registration.register(station, clerk, [form(name, doc, phone)], now=at + dt.timedelta(minutes=i))


def detail_body(app) -> str:
    """The detail pane's text, rendered as the screen draws it."""
    from rich.console import Console

    from checkpoint.screens.review_detail import detail_text
    console = Console(width=100, record=True, file=open("/dev/null", "w"))
    console.print(detail_text(app.screen.detail))
    return console.export_text()


def table_names(app) -> list[str]:
    from checkpoint.widgets.paged_table import PagedTable
    table = app.screen.query_one(PagedTable)
    return [table.row_at(i).cells["name"].plain for i in range(table.total)]


async def test_search_open_amend_flag_and_sign_off(make_app, station):
    from checkpoint.services import review
    fill_log(station)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
        assert table_names(app) == ["张三丰", "李明", "张三"]
        await pilot.press("slash", "z", "s")
        await pilot.pause()
        assert table_names(app) == ["张三丰", "张三"]
        await pilot.press("backspace", "backspace", *"3015", "enter")   # the ID's last digits
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"                 # Enter leaves the box only
        assert table_names(app) == ["张三"]
        assert "110108********3015" in str(app.screen.query_one("#review-log").render_line(1))

        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DetailModal"
        body = detail_body(app)
        assert "张三" in body and "110108********3015" in body and "110108198506123015" not in body
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "AmendScreen"
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"36.5", "ctrl+s")
        await pilot.pause()
        await pilot.press(*"读数抄错", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
        assert table_names(app) == ["张三✎"]

        await pilot.press("enter")
        await pilot.pause()
        body = detail_body(app)
        assert "36.9 → 36.5" in body and "读数抄错" in body and "王队长" in body
        await pilot.press("escape", "f")
        await pilot.pause()
        await pilot.press(*"明天回访", "enter")
        await pilot.pause()
        assert table_names(app) == ["张三✎⚑"]

        await pilot.press("slash", *["backspace"] * 4, "enter", "g")
        await pilot.pause()
        await pilot.press(*"1234", "enter")
        await pilot.pause()
        assert "已签核" in str(app.screen.query_one("#review-top").render())
    entry = station.read_one("SELECT * FROM entries WHERE name = '张三'")
    assert entry["temp"] == 36.9                                        # the original stays
    assert review.amendment_form(station, entry["id"]).temp == "36.5"   # the log shows the correction
    assert review.signed(station, DAY) is not None


async def test_staff_read_only_and_the_banner_for_yesterday(make_app, station):
    fill_log(station)
    tomorrow = FIXED_NOW + dt.timedelta(days=1)
    app = make_app(clock=lambda: tomorrow)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        notices = str(app.screen.query_one("#notices").render())
        assert "未签核" in notices and DAY[5:] in notices
        await pilot.press("f9")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
        assert table_names(app) == []             # today: nothing yet
        await pilot.press("left")                 # yesterday
        await pilot.pause()
        assert len(table_names(app)) == 3
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"   # staff never amend
        await pilot.press("u")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"   # nor unmask
    assert station.read_one("SELECT count(*) AS n FROM amendments")["n"] == 0
    assert station.read_one("SELECT count(*) AS n FROM audit WHERE action = 'entry.unmask'")["n"] == 0


def test_review_screen_snapshot(make_app, station, snap_compare):
    fill_log(station)

    async def run_before(pilot):
        await login(pilot)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.pause(0.3)

    assert snap_compare(make_app(clock=lambda: FIXED_NOW), terminal_size=(80, 24), run_before=run_before)


async def test_export_banner_after_the_cut_off_until_exported(make_app, station, tmp_path, township_keys):
    township_keys.give(station)  # the station can seal the day's personal files to its township
    fill_log(station)
    evening = FIXED_NOW + dt.timedelta(hours=3)        # 17:30 in 青山镇
    app = make_app(clock=lambda: evening)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        notices = str(app.screen.query_one("#notices").render())
        assert "日报未导出" in notices and DAY[5:] in notices
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExportModal"
        folder = app.screen.query_one("#export-folder")
        folder.value = str(tmp_path / "usb")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = str(app.screen.query_one("#export-result").render())
        assert "K01-2026-11-24-r1" in result
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
        assert "日报未导出" not in str(app.screen.query_one("#notices").render())
    assert (tmp_path / "usb" / "K01-2026-11-24-r1" / "manifest.json").is_file()
    assert (tmp_path / "usb" / "K01-2026-11-24-r1.zip").is_file()


async def test_audit_screen_filters_and_checks_the_chain(make_app, station):
    from checkpoint.widgets.paged_table import PagedTable

    fill_log(station)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert type(app.screen).__name__ == "AuditScreen"
        table = app.screen.query_one(PagedTable)
        everything = table.total
        assert everything > 3 and table.row_at(0).cells["action"]          # newest first, all kinds
        await pilot.press("slash", *"entry.", "enter")
        await pilot.pause()
        assert table.total == 3
        assert {table.row_at(i).cells["action"] for i in range(3)} == {"登记"}       # in words
        by_person = {}
        for _ in range(len(app.screen.staff) - 1):                            # each person in turn
            await pilot.press("m")
            await pilot.pause()
            by_person[app.screen.staff[app.screen.staff_index][1]] = table.total
        assert by_person == {"王队长": 0, "李四": 3}                          # 李四 registered them
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("审计链完整" in str(n.message) for n in app._notifications)


async def test_t_reads_dates_as_checkpoint_search_does(make_app, station):
    # one parser (domain/date_range) for the screen and the CLI: a range in either order, all, and a
    # clear message for anything else (the scope stays as it was)
    from checkpoint.domain.date_range import ALL_FROM, ALL_TO
    from checkpoint.services.review import Scope
    fill_log(station)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f9")
        await pilot.pause()

        async def dates(text: str) -> None:
            await pilot.press("t")
            await pilot.pause()
            assert type(app.screen).__name__ == "AskTextModal"
            app.screen.query_one("#answer").value = text
            await pilot.press("enter")
            await pilot.pause()

        await dates("2026-11-24～2026-11-20")
        assert app.screen.scope == Scope("2026-11-20", "2026-11-24")
        await dates("全部")
        assert app.screen.scope == Scope(ALL_FROM, ALL_TO)
        assert table_names(app) == ["张三丰", "李明", "张三"]
        await dates("2026-11-01至2026-11-24")   # not what the CLI accepts, so not here either
        assert app.screen.scope == Scope(ALL_FROM, ALL_TO)
        assert any("日期格式不对：2026-11-01至2026-11-24" in n.message for n in app._notifications)
