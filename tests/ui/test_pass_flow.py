"""Issue 3, as a new user does it: issue a household pass on screen, save its card, read the
code back from the PNG at the check screen, go out, try again, come back; forged and revoked."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import FIXED_NOW, login

SIZE = (100, 40)


def verdict(app) -> str:
    return str(app.screen.query_one("#verdict-word").render())


async def test_issue_print_scan_out_again_back_forged_revoked(make_app, station, db_path):
    from checkpoint.services import passes

    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f7")
        await pilot.pause()
        assert type(app.screen).__name__ == "PassIssueScreen"
        await pilot.press("enter")                                   # kind: household
        await pilot.press(*"张三丰", "enter", *"11010519491231002X", "enter", *"红旗村", "enter")
        await pilot.press(*"张小明:110108198506123015", "enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "IssuedModal"
        qr = str(app.screen.query_one("#issued-qr").render())
        assert "▀" in qr or "▄" in qr or "█" in qr                  # the QR drawn in the terminal
        await pilot.press("s")                                       # save the card as PNG (P prints it)
        await pilot.pause()
        card = Path(db_path).parent / "cards" / "K01-000001.png"
        assert card.exists()
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen"

        await pilot.press("f6")
        await pilot.pause()
        await pilot.press(*str(card), "enter")                        # the code read back from the PNG
        await pilot.pause()
        assert "有 效" in verdict(app)
        token = passes.read_code_from_image(card)
        await pilot.press(*token, "enter")
        await pilot.pause()
        assert "未 返 回" in verdict(app)
        await pilot.press("f6", *token, "enter")                      # coming back in
        await pilot.pause()
        assert "有 效" in verdict(app)
        forged = token[:50] + ("Q" if token[50] != "Q" else "R") + token[51:]
        await pilot.press(*forged, "enter")
        await pilot.pause()
        assert "伪 造" in verdict(app) or "未 知 签 发 方" in verdict(app)
        await pilot.press(*"K01-000001", "enter", "f8")
        await pilot.pause()
        await pilot.press(*"冒用", "enter")
        await pilot.pause()
        await pilot.press(*token, "enter")
        await pilot.pause()
        assert "已 吊 销" in verdict(app)


async def test_a_wrong_id_on_the_pass_form_is_said_under_its_row_and_focused(make_app):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("enter")                                   # kind: household
        await pilot.press(*"张三丰", "enter", *"11010519491231002", "1", "enter")   # check character wrong
        await pilot.press(*"红旗村")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "PassIssueScreen"       # nothing issued
        assert app.focused.id == "f-doc_no"
        assert "校验" in str(app.screen.query_one("#row-doc_no .row-message").render())
        assert app.screen.query_one("#f-village").value == "红旗村"  # what was typed stays
