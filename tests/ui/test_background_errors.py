"""Background work that meets an error nobody expected (not a CheckpointError): the traceback goes
to the log file, the person reads one sentence naming it — no personal data — and the screen does
not wait for ever: the review's count does not stay at 正在统计…, the export screen can be closed."""

from __future__ import annotations

from checkpoint import crash_log
from tests.ui.conftest import FIXED_NOW, export_from_review, login
from tests.ui.test_review_count_later import SIZE, all_dates, fill_days, top

SECRET = "张三 110105194912310021"   # what an error's text might carry: never on the screen


def broken(*_args, **_kwargs):
    raise RuntimeError(f"unexpected: {SECRET}")


async def test_a_count_that_fails_says_so_and_logs_it(make_app, station, monkeypatch):
    from checkpoint.services import review

    fill_days(station)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await login(pilot)
        await all_dates(app, pilot)
        monkeypatch.setattr(review, "count_aside", broken)
        await pilot.press("slash", "z", "h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert any("这项工作出错，没有完成" in m and str(crash_log.log_path()) in m for m in said), said
        assert not any(SECRET in m for m in said) and SECRET not in top(app)
    assert SECRET in crash_log.log_path().read_text(encoding="utf-8")   # the details, for whoever fixes it


async def test_an_export_that_fails_says_so_and_the_screen_closes(make_app, station, monkeypatch, tmp_path):
    from checkpoint.services import export

    monkeypatch.setattr(export, "export_day", broken)
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await login(pilot)
        said = await export_from_review(app, pilot, tmp_path / "usb")
        assert "这项工作出错，没有完成" in said and SECRET not in said
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
