"""UI fixtures: a real station database and the real App, driven by Pilot."""

from __future__ import annotations

import datetime as dt

import pytest

FIXED_NOW = dt.datetime(2026, 11, 24, 6, 30, tzinfo=dt.timezone.utc)  # 14:30 in Asia/Shanghai


def _cursor_always_shown(self) -> None:
    self._cursor_visible = True


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch):
    """A snapshot must not depend on the half second the cursor blinked in (Harlequin's conftest
    turns the blink off for the same reason): the cursor of a focused field is always drawn."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", _cursor_always_shown)


@pytest.fixture
def make_app(station):
    from checkpoint.app import CheckpointApp

    def make(**kw):
        return CheckpointApp(station, **kw)

    return make


async def login(pilot, name: str = "王队长", pin: str = "1234") -> None:
    """Choose `name` with the arrow keys and type the PIN, as a person does."""
    from textual.widgets import OptionList

    await pilot.pause()
    names = pilot.app.screen.query_one(OptionList)
    target = next(i for i in range(names.option_count) if names.get_option_at_index(i).id == name)
    steps = target - (names.highlighted or 0)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    await pilot.press(*pin, "enter")
    await pilot.pause()


async def type_in(pilot, text: str, then: str = "enter") -> None:
    await pilot.press(*text)
    if then:
        await pilot.press(then)


async def fill_person(pilot, doc_no: str, name: str, phone: str, origin: str, address: str, temp: str,
                      recheck: str | None = None) -> None:
    """A first person along the desk's Enter path, from the ID field, as a habitual typist does it:
    Enter after every field (the one after a whole ID or mobile is absorbed: they moved on by
    themselves). ID, name, phone, where from, key-area travel (no), address, temperature (and the
    re-measure). Ends on the disposition."""
    await type_in(pilot, doc_no)
    await type_in(pilot, name)
    await type_in(pilot, phone)
    await type_in(pilot, origin)
    await pilot.press("enter")               # key-area travel: no
    await type_in(pilot, address)
    await type_in(pilot, temp)
    if recheck is not None:
        await type_in(pilot, recheck)
        from checkpoint.domain.temperature import FEVER_AT, parse_temperature

        value, _ = parse_temperature(recheck)
        if value is not None and value >= FEVER_AT:
            await pilot.press("enter")       # symptoms (asked of a confirmed fever): none


async def export_from_review(app, pilot, folder) -> str:
    """F9, X, the folder typed, Enter: what the export screen says once its work is done."""
    await pilot.press("f9")
    await pilot.pause()
    await pilot.press("x")
    await pilot.pause()
    assert type(app.screen).__name__ == "ExportModal"
    app.screen.query_one("#export-folder").value = str(folder)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return str(app.screen.query_one("#export-result").render())
