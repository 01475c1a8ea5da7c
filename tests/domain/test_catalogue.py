"""The message catalogue kept parsed between starts: what a person reads is always what the TOML
files say now, whatever the cache holds."""

from __future__ import annotations

import json

import pytest

from checkpoint import i18n


@pytest.fixture
def locale(tmp_path, monkeypatch):
    """A package of our own with one catalogue file, and a cache folder of its own."""
    package = tmp_path / "package"
    (package / "locale").mkdir(parents=True)
    (package / "locale" / "messages.toml").write_text('[desk]\nsaved = { zh = "已保存", en = "Saved" }\n', "utf-8")
    monkeypatch.setattr(i18n.resources, "files", lambda _name: package)
    monkeypatch.setattr(i18n, "cache_folder", lambda: tmp_path / "cache")
    i18n.catalogue.cache_clear()
    yield package / "locale"
    i18n.catalogue.cache_clear()


def reread() -> str:
    i18n.catalogue.cache_clear()   # a new start of the program
    return i18n.t_in("zh", "desk.saved")


def test_the_parsed_catalogue_is_kept_and_read_back_at_the_next_start(locale, tmp_path):
    assert reread() == "已保存"
    kept = list((tmp_path / "cache").glob("catalogue-*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text("utf-8"))["desk.saved"]["zh"] == "已保存"
    # the next start reads the kept file, not the TOML: a TOML that could no longer be parsed shows it
    kept[0].write_text(json.dumps({"desk.saved": {"zh": "从缓存读出", "en": "x"}}), "utf-8")
    assert reread() == "从缓存读出"


def test_a_changed_or_added_file_is_read_again_and_the_old_cache_removed(locale, tmp_path):
    assert reread() == "已保存"
    (locale / "messages.toml").write_text('[desk]\nsaved = { zh = "已登记", en = "Saved" }\n', "utf-8")
    assert reread() == "已登记"
    (locale / "more.toml").write_text('[desk]\nnew = { zh = "新的", en = "New" }\n', "utf-8")
    assert reread() == "已登记" and i18n.t_in("zh", "desk.new") == "新的"
    assert len(list((tmp_path / "cache").glob("catalogue-*.json"))) == 1


def test_a_broken_or_unwritable_cache_only_costs_the_parse(locale, tmp_path, monkeypatch):
    assert reread() == "已保存"
    [kept] = (tmp_path / "cache").glob("catalogue-*.json")
    kept.write_text("{ half a fi", "utf-8")
    assert reread() == "已保存"
    blocked = tmp_path / "a-file"
    blocked.write_text("", "utf-8")
    monkeypatch.setattr(i18n, "cache_folder", lambda: blocked / "cache")   # cannot be made
    (locale / "messages.toml").write_text('[desk]\nsaved = { zh = "已登记", en = "Saved" }\n', "utf-8")
    assert reread() == "已登记"
