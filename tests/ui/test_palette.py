"""The command palette (Ctrl+P): every action of every screen has a name in both languages, is found
by Chinese, English, its key or pinyin initials, runs like its key, and is offered only to a role
that may do it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

from checkpoint.widgets.palette import PaletteAction, action_key, actions_of, names_of, score
from tests.ui.conftest import FIXED_NOW, login

SIZE = (100, 34)


def checkpoint_screen_classes() -> list[type]:
    import checkpoint.screens
    from checkpoint.app import CheckpointApp

    found: list[type] = [CheckpointApp]
    for info in pkgutil.iter_modules(checkpoint.screens.__path__):
        module = importlib.import_module(f"checkpoint.screens.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and cls.__dict__.get("BINDINGS"):
                found.append(cls)
    return found


@pytest.mark.parametrize("cls", checkpoint_screen_classes(), ids=lambda c: c.__name__)
def test_every_action_of_every_screen_has_a_chinese_and_an_english_name(cls):
    mro = [c for c in cls.__mro__ if c.__module__.startswith("checkpoint")]
    actions = [b.action for b in cls.__dict__["BINDINGS"]] + list(cls.__dict__.get("PALETTE_ACTIONS", ()))
    for action in actions:
        if action_key(action) == "command_palette":
            continue
        names = names_of(mro, action)
        assert names is not None, f"{cls.__name__}: no palette name for {action!r}"
        zh, en = names
        assert zh and en and zh != en, f"{cls.__name__}.{action}: {names}"
        assert any("\u4e00" <= c <= "\u9fff" for c in zh), zh


def item(zh: str, en: str, key: str = "") -> PaletteAction:
    return PaletteAction("x", zh, en, key, None)


def test_pinyin_initials_chinese_english_and_keys_find_the_action():
    save = item("保存登记（本车全部人员）", "Save the entry", "^s")
    review = item("复核登记记录", "Review the log", "f9")
    shift = item("开班 / 交接班", "Start a shift / hand over", "f8")
    assert score("dj", save) > 0 and score("dj", review) > 0        # 登记 in both
    assert score("dj", shift) == 0
    assert score("fh", review) > score("dj", review) > 0             # initials from the start rank higher
    assert score("jjb", shift) > 0 and score("jiaojieban", shift) > 0
    assert score("复核", review) > 0 and score("交接", shift) > 0
    assert score("review", review) > 0 and score("hand", shift) > 0
    assert score("f9", review) == 1.0
    assert score("zz", review) == 0 and score("", review) == 0


async def test_leader_finds_the_review_by_pinyin_and_opens_it(make_app, station):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press("f", "h")
        await pilot.pause(0.5)
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "ReviewScreen"


async def test_the_palette_offers_only_what_the_role_may_do(make_app, station):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        desk = {a.action for a in actions_of(app.screen, app)}
        assert {"save", "next_person", "open_check", "open_review"} <= desk
        assert not desk & {"open_staff", "open_policy", "open_shift", "open_issue"}
        assert "auto_lock" not in {a.action for a in actions_of(app, app)}     # a leader's setting
        assert "theme('sunlight')" in {a.action for a in actions_of(app, app)}  # the sun shines on staff too
        await pilot.press("f9")
        await pilot.pause()
        review = {a.action for a in actions_of(app.screen, app)}
        assert {"search", "dates", "toggle('fever')"} <= review               # read-only viewing
        assert not review & {"amend", "flag", "unmask", "sign_off", "audit", "export"}
        await pilot.press("ctrl+l")
        await pilot.pause()
        await login(pilot, "王队长", "1234")
        leader_review = {a.action for a in actions_of(app.screen, app)}
        assert {"amend", "flag", "unmask", "sign_off", "audit", "export"} <= leader_review


async def test_an_action_chosen_in_the_palette_runs_as_its_key_does(make_app, station):
    app = make_app(clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "李四", "2222")
        await pilot.press("ctrl+p", *"check")       # English: "Check a pass (scan)"
        await pilot.pause(0.5)
        await pilot.press("down", "enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "CheckScreen"
        assert app.focused.id == "scan"             # ready for the scanner, as after F6
