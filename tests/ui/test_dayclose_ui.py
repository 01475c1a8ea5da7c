"""Closing the day by keyboard (#14), as a leader meets it: register, 收班, sign-off, export marked
已签核; the handover's matters, roster and a leader added on the spot; Esc and 换人 that ask first;
the pass card at 80×24; the palette everywhere; the footer and toasts; vehicles corrected."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
import re
from pathlib import Path

from checkpoint.domain.registration import PersonForm, VehicleForm
from tests.ui.conftest import fill_person, login

TZ = dt.timezone(dt.timedelta(hours=8))
DAY = "2026-11-24"
EVENING = dt.datetime(2026, 11, 24, 17, 30, tzinfo=TZ)
MORNING = dt.datetime(2026, 11, 24, 8, 0, tzinfo=TZ)
SIZE = (100, 34)


def text_of(widget) -> str:
    return str(widget.render())


def screen_text(app) -> str:
    """Everything the screen shows now, line by line, read from the screenshot (SVG) Textual takes."""
    import html

    rows: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text[^>]*?x="([\d.]+)"[^>]*?y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()):
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), html.unescape(m.group(3))))
    return "\n".join("".join(text for _, text in sorted(cells)).replace("\xa0", " ") for _, cells in sorted(rows.items()))


def person(name="张三", doc="110108198506123015", disposition="release", temp="36.5", recheck=""):
    return PersonForm(name=name, doc_no=doc, phone="13800001111", address="青山镇红旗村", origin="湖北省宜昌市",
                      temp=temp, recheck_temp=recheck, direction="in", disposition=disposition)


def morning_shift(station, roster=(("李四", "police"),)):
    from checkpoint.services import accounts, shifts

    leader = accounts.authenticate(station, "王队长", "1234")
    shifts.start_shift(station, leader, "day", list(roster), now=MORNING)


async def wait_for(pilot, condition, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
    assert condition()


# ---- the whole day's close ---------------------------------------------------------------------------------
async def test_register_close_the_shift_sign_off_and_export_marked_signed(make_app, station, tmp_path,
                                                                          township_keys):
    township_keys.give(station)   # the export seals what names a person to the township's key
    morning_shift(station)
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        # register one traveller at the desk, as the duty officer does
        await pilot.press("enter")
        await fill_person(pilot, "110101200001010037", "王强", "13700003333", "本地", "", "36.5")
        await pilot.press("enter")                                  # confirm ★ (on foot: saves)
        await pilot.pause()
        assert station.read_one("SELECT count(*) AS n FROM entries")["n"] == 1

        # G before 收班: the notice names the open shift; no PIN is asked
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert type(app.screen).__name__ == "NoticeModal"
        assert "第1班" in app.screen.text and "还在值守" in app.screen.text
        await pilot.press("enter", "escape")
        await pilot.pause()

        # 收班: F8, choose 收班, the stock, the outgoing PIN
        await pilot.press("f8")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        await pilot.press(*"150", "enter", *"4", "enter")                 # masks, disinfectant
        app.screen.set_focus(app.screen.query_one("#f-mode"))
        await pilot.press("2")                                          # 收班（不再开下一班）
        await pilot.pause()
        assert not app.screen.query_one("#next-box").display
        app.screen.set_focus(app.screen.query_one("#f-outgoing_pin"))
        await pilot.press(*"1234", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
        assert "F8" in str(app.screen.query_one("#notices").render())   # no shift open now
        assert app.account.name == "王队长"

        # sign-off: the PIN prompt says what it covers
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        assert type(app.screen).__name__ == "AskTextModal"
        assert "第1班白班 08:00–17:30（收班）" in app.screen.question
        await pilot.press(*"1234", "enter")
        await pilot.pause()
        assert "已签核" in text_of(app.screen.query_one("#review-top"))

        # export: the modal says 已签核, and so does the bundle
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExportModal"
        assert "已签核" in text_of(app.screen.query_one("#export-signoff"))
        app.screen.query_one("#export-folder").value = str(tmp_path / "usb")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "K01-2026-11-24-r1" in text_of(app.screen.query_one("#export-result"))
    report = (tmp_path / "usb" / "K01-2026-11-24-r1" / "report.md").read_text("utf-8")
    assert "**已签核**：王队长，" in report and "未签核" not in report
    record = station.read_one("SELECT * FROM handovers WHERE shift_id = 1")
    assert record["incoming_id"] is None and '"count": 150' in record["stock"]


# ---- the handover: a leader added on the spot, the roster, the kind by the clock ---------------------------
async def test_a_leader_added_from_the_handover_keeps_the_counts_typed(make_app, station):
    from checkpoint.services import shifts

    morning_shift(station, roster=(("李四", "police"),))
    late = dt.datetime(2026, 11, 24, 21, 27, tzinfo=TZ)
    app = make_app(clock=lambda: late)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press(*"200", "enter", *"3", "enter")
        assert app.screen.query_one("#f-next_kind").value == "night"     # 21:27 names a 夜班
        assert app.screen.query("#no-incoming")                           # nobody to hand over to yet
        await pilot.press("f5")
        await pilot.pause()
        assert type(app.screen).__name__ == "AddAccountModal"
        await pilot.press(*"刘夜班", "enter", "enter", *"4444", "enter", *"4445", "enter")
        await pilot.pause()
        assert "两次" in text_of(app.screen.query_one("#row-pin_again .row-message"))   # typed twice, differently
        app.screen.query_one("#f-pin_again").value = ""
        app.screen.set_focus(app.screen.query_one("#f-pin_again"))
        await pilot.press(*"4444", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        assert app.screen.query_one("#f-stock-masks").value == "200"       # nothing typed was lost
        assert app.screen.query_one("#f-stock-disinfectant").value == "3"
        assert app.screen.query_one("#f-incoming").value == "刘夜班"
        names = [r["name"] for r in app.screen.staff]
        assert app.screen.query_one(f"#f-next{names.index('李四')}").value == "police"   # kept by default
        app.screen.set_focus(app.screen.query_one("#f-outgoing_pin"))
        await pilot.press(*"1234", "enter", "enter", *"4444", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen" and app.account.name == "刘夜班"
    night = shifts.shift_status(station)
    assert night.shift["kind"] == "night"
    assert sorted((m.name, m.category) for m in night.roster) == [("刘夜班", "township-cadre"), ("李四", "police")]


async def test_esc_with_typed_counts_asks_and_no_keeps_them(make_app, station):
    morning_shift(station)
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press(*"120")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        assert app.screen.query_one("#f-stock-masks").value == "120"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
        await pilot.press("f8")                                           # nothing typed: Esc leaves at once
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"


async def test_matters_are_closed_from_the_handover_with_a_note_and_show_their_age(make_app, station):
    from checkpoint.services import accounts, registration, shifts

    morning_shift(station)
    clerk = accounts.authenticate(station, "李四", "2222")
    registration.register(station, clerk, [person(temp="37.8", recheck="37.6", disposition="hold")],
                          now=MORNING + dt.timedelta(hours=1))
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f8")
        await pilot.pause()
        listing = app.screen.query_one("#handover-matter-list")
        line = str(listing.get_option_at_index(0).prompt)
        assert "张三" in line and "（已8小时）" in line
        app.screen.set_focus(listing)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "AskTextModal"
        await pilot.press("enter")                                      # an empty note closes nothing
        await pilot.pause()
        assert type(app.screen).__name__ == "AskTextModal"
        await pilot.press(*"已由120转运", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        assert not listing.display and "无" in text_of(app.screen.query_one("#handover-matters"))
    assert shifts.open_matters(station) == []
    assert station.read_one("SELECT note FROM closures")["note"] == "已由120转运"


async def test_a_matter_is_closed_from_the_review_detail(make_app, station):
    from checkpoint.services import accounts, registration

    clerk = accounts.authenticate(station, "李四", "2222")
    registration.register(station, clerk, [person(disposition="escorted")], now=MORNING)
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DetailModal"
        assert "专人带入未销号" in app.screen.detail.matter and "已9小时" in app.screen.detail.matter
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"已带至村委会登记", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DetailModal"
        assert app.screen.detail.matter == "" and "已带至村委会登记" in app.screen.detail.closed


# ---- switching user -------------------------------------------------------------------------------------------
async def test_switch_user_asks_when_a_form_holds_input_then_starts_clean(make_app, station):
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f4")                                          # accounts: type a name
        await pilot.pause()
        await pilot.press(*"周杰")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#f-name").value == "周杰"
        await pilot.press("ctrl+p", *"hr")                              # 换人 in the palette, by pinyin
        await pilot.pause(0.5)
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("y")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "LoginScreen" and app.account is None
        assert "王队长已退出" in text_of(app.screen.query_one("#login-hint"))
        await login(pilot, "李四", "2222")
        assert type(app.screen).__name__ == "DeskScreen" and app.account.name == "李四"
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["DeskScreen"]


async def test_the_lock_screen_says_how_to_switch_and_hides_toasts(make_app, station):
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await login(pilot)
        app.notify("一条提示")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert type(app.screen).__name__ == "LoginScreen"
        assert "换人" in text_of(app.screen.query_one("#login-hint"))
        await pilot.pause(0.2)
        held = list(app.screen.query("ToastHolder"))
        assert held and not any(h.display for h in held)                     # the notice waits below the lock
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        app.notify("又一条提示")
        await pilot.pause(0.2)
        held = list(app.screen.query("ToastHolder"))
        assert held and not any(h.display for h in held)                     # nor over the help
        help_text = app.screen.text
        assert "Ctrl+O" in help_text and "换人" in help_text


# ---- staff accounts: the PIN twice ------------------------------------------------------------------------
async def test_a_new_accounts_pin_is_typed_twice(make_app, station):
    from checkpoint.services import accounts

    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press(*"周杰", "enter", "enter", *"4321", "enter", *"4322", "enter")
        await pilot.pause()
        assert "两次" in text_of(app.screen.query_one("#row-pin_again .row-message"))
        assert all(r["name"] != "周杰" for r in accounts.list_staff(station))
        app.screen.query_one("#f-pin_again").value = ""
        app.screen.set_focus(app.screen.query_one("#f-pin_again"))
        await pilot.press(*"4321", "enter")
        await pilot.pause()
        await pilot.press("escape")                                     # saved: nothing left to lose
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
    assert accounts.authenticate(station, "周杰", "4321").role == "staff"


# ---- passes -----------------------------------------------------------------------------------------------
def decode_half_blocks(text: str) -> list[str]:
    """Turn the on-screen half-block text back into an image, as a camera sees the screen, and
    read it with zxing-cpp."""
    import zxingcpp
    from PIL import Image

    rows = []
    for line in text.splitlines():
        rows.append([ch in "█▀" for ch in line])
        rows.append([ch in "█▄" for ch in line])
    width = max(len(r) for r in rows)
    image = Image.new("L", (width + 8, len(rows) + 8), 255)
    image.putdata([255] * ((width + 8) * (len(rows) + 8)))
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                image.putpixel((x + 4, y + 4), 0)
    image = image.resize(((width + 8) * 8, (len(rows) + 8) * 8), Image.NEAREST)
    return [code.text for code in zxingcpp.read_barcodes(image)]


async def test_the_issued_card_fits_80x24_shows_the_token_and_scans_from_the_screen(make_app, station):
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("enter", *("买" + "提" * 37 + "力"), "enter", *"11010519491231002X", "enter", *"红旗村")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "IssuedModal"
        token = station.read_one("SELECT token FROM passes")["token"]
        qr = app.screen.query_one("#issued-qr")
        assert qr.region.bottom <= 24 and qr.region.right <= 80 and qr.region.height <= 23
        assert app.screen.query_one("#issued-keys").region.bottom <= 24          # the keys in view too
        token_widget = app.screen.query_one("#issued-token")
        assert text_of(token_widget) == token and token_widget.region.bottom <= 24
        assert decode_half_blocks(text_of(qr)) == [token]
        details = text_of(app.screen.query_one("#issued-details"))
        assert "持证人 买*" in details and "力（身份证 110105********002X）" in details


async def test_p_prints_the_card_from_the_issue_screen(make_app, station, tmp_path, monkeypatch):
    from checkpoint.domain.passes import PassForm
    from checkpoint.screens.pass_issue import IssuedModal
    from checkpoint.services import accounts, passes

    leader = accounts.authenticate(station, "王队长", "1234")
    issued = passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "lp.txt"
    (bin_dir / "lp").write_text(f"#!/bin/sh\necho \"$@\" > {log}\n", encoding="utf-8")
    (bin_dir / "lp").chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        app.push_screen(IssuedModal(issued.number))
        await pilot.pause()
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "已送打印机" in text_of(app.screen.query_one("#issued-hint"))
    assert Path(log.read_text("utf-8").strip()).name == "K01-000001.pdf"


async def test_the_check_screen_hides_a_forged_codes_words_and_reads_typed_numbers(make_app, station):
    from checkpoint.domain.passes import PassForm
    from checkpoint.services import accounts, passes

    leader = accounts.authenticate(station, "王队长", "1234")
    issued = passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X"),
                               now=EVENING)
    forged = issued.token[:60] + ("B" if issued.token[60] != "B" else "C") + issued.token[61:]
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press(*forged, "enter")
        await pilot.pause()
        word = text_of(app.screen.query_one("#verdict-word"))
        assert "伪 造" in word or "未 知 签 发 方" in word
        assert text_of(app.screen.query_one("#verdict-holder")) == ""       # nothing read from a forged code
        await pilot.press(*"hello", "enter")
        await pilot.pause()
        assert "无 法 识 别" in text_of(app.screen.query_one("#verdict-word"))
        await pilot.press(*"k01 - 000001", "enter")
        await pilot.pause()
        assert "有 效" in text_of(app.screen.query_one("#verdict-word"))
        assert "张*丰" in text_of(app.screen.query_one("#verdict-holder"))


async def test_esc_on_the_issue_form_asks_when_something_is_typed(make_app, station):
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("enter", *"张三丰", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("escape")                                    # Esc on the question: stay
        await pilot.pause()
        assert app.screen.query_one("#f-name").value == "张三丰"


# ---- the palette, the footer ------------------------------------------------------------------------------
async def test_export_is_found_from_the_desk_and_nothing_found_is_said_in_chinese(make_app, station):
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("ctrl+p", *"导出")
        await pilot.pause(0.6)
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "ExportModal" and app.screen.day == DAY
        assert "还没签核" in text_of(app.screen.query_one("#export-signoff"))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p", *"qqqq")
        await pilot.pause(1.0)
        from textual.command import CommandList

        listing = app.screen.query_one(CommandList)
        shown = " ".join(str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count))
        assert "没有找到" in shown and "No matches" not in shown


async def test_every_screen_is_reached_from_any_screen_by_the_palette(make_app, station):
    from checkpoint.widgets.palette import ActionsProvider, actions_of

    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f6")                                         # from the check screen ...
        await pilot.pause()
        everywhere = {a.zh for a in actions_of(app, app)}
        for name in ("复核登记记录", "导出日报（今天，U盘报乡镇）", "收班（结束今天最后一班）", "签核今天", "换人 / 退出登录",
                     "发放通行证", "开班 / 交接班", "账号管理（添加、停用值守人员）", "回到登记台"):
            assert name in everywhere, name
        await pilot.press("ctrl+p", *"fh")                              # ... to the review
        await pilot.pause(0.6)
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "ReviewScreen"
        listed = [item.zh for item in ActionsProvider(app.screen).items()]
        assert len(listed) == len(set(listed))                        # each name once


async def test_read_only_staff_see_no_amend_flag_sign_or_export_keys(make_app, station):
    from checkpoint.services import accounts, registration

    clerk = accounts.authenticate(station, "李四", "2222")
    registration.register(station, clerk, [person()], now=EVENING)
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=(120, 34)) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("f9")
        await pilot.pause(0.5)
        keys = {k.action for k in app.screen.query("FooterKey") if k.display}
        assert "search" in keys and not keys & {"amend", "flag", "sign_off", "export"}
        await pilot.press("g")                                          # the key still answers, saying who may
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
        await pilot.press("ctrl+l")
        await pilot.pause()
        await login(pilot)
        await pilot.pause(0.5)
        keys = {k.action for k in app.screen.query("FooterKey") if k.display}
        assert {"amend", "flag", "sign_off", "export"} <= keys       # a leader's footer after the switch


# ---- the review: vehicles, the detail in words at 80×24 ----------------------------------------------------
async def test_a_vehicle_is_corrected_from_the_detail_and_its_history_shown(make_app, station):
    from checkpoint.services import accounts, registration

    clerk = accounts.authenticate(station, "李四", "2222")
    registration.register(station, clerk, [person()], VehicleForm(plate="粤B12345"), now=MORNING)
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert type(app.screen).__name__ == "AmendVehicleScreen"
        await pilot.press(*["backspace"] * 8, *"粤B54321", "ctrl+s")
        await pilot.pause()
        await pilot.press(*"车牌抄错", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DetailModal"
        assert ("车牌", "粤B54321") in app.screen.detail.vehicle
        [history] = app.screen.detail.vehicle_history
        assert history.reason == "车牌抄错" and history.changes[0].before == "粤B12345"
        await pilot.press("escape", "slash", *"54321")
        await pilot.pause()
        from checkpoint.widgets.paged_table import PagedTable

        assert app.screen.query_one(PagedTable).total == 1


async def test_the_detail_fits_80x24_in_words(make_app, station):
    from checkpoint.services import accounts, registration

    clerk = accounts.authenticate(station, "李四", "2222")
    confirmed = replace(person(), disposition_source="confirmed")   # as the desk's Enter on ★ records it
    registration.register(station, clerk, [confirmed], VehicleForm(plate="粤B12345"), now=MORNING)
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.3)
        box = app.screen.query_one("#help-box")
        assert box.virtual_size.height <= box.size.height                 # one screen, no scrolling
        shown = screen_text(app)
        assert "值守人员确认了系统建议" in shown or "按系统建议" in shown
        assert "登记" in shown and "entry.register" not in shown
        assert not re.search(r"\b[a-z]+\.[a-z_]+\b", shown), re.findall(r"\b[a-z]+\.[a-z_]+\b", shown)


async def test_going_back_to_the_desk_from_the_palette_asks_before_dropping_a_form(make_app, station):
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("enter", *"张三丰")
        await pilot.pause()
        app.action_go_desk()                                            # 回到登记台, as the palette runs it
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmModal"
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "PassIssueScreen" and app.screen.query_one("#f-name").value == "张三丰"
        app.action_go_desk()
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"


async def test_shou_ban_from_the_palette_opens_the_handover_with_close_chosen(make_app, station):
    morning_shift(station)
    app = make_app(clock=lambda: EVENING)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("ctrl+p", *"sb")                              # 收班 by its pinyin initials
        await pilot.pause(0.6)
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "HandoverScreen"
        assert app.screen.query_one("#f-mode").value == "close" and not app.screen.query_one("#next-box").display
        await pilot.press("escape")                                     # nothing typed: leaves at once
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"
