"""A field holds more text than it shows: the cursor and the last characters typed stay in view
(the form fields repaint without relaying out the desk, and scroll themselves)."""

from __future__ import annotations

from tests.ui.conftest import FIXED_NOW, login


async def test_typing_past_the_edge_keeps_the_end_in_view(make_app, station):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "李四", "2222")
        field = app.screen.query_one("#f-address")
        app.screen.set_focus(field)
        text = "青山镇红旗村三组" * 6 + "末尾"
        await pilot.press(*text)
        await pilot.pause()
        assert field.value == text
        shown = field.render_line(0).text
        assert "末尾" in shown and field.scroll_x > 0
        await pilot.press("home")
        await pilot.pause()
        assert field.render_line(0).text.lstrip().startswith("青山镇")
