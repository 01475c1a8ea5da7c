"""The one message catalogue: every word a person reads comes from locale/*.toml.

Chinese is the default; English is chosen with CHECKPOINT_LANG=en or the station's config.
Nothing here imports Textual, so the domain, the services and the CLI all share it.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from importlib import resources

LANGUAGES = ("zh", "en")
_current: list[str] = [os.environ.get("CHECKPOINT_LANG", "zh") if os.environ.get("CHECKPOINT_LANG", "zh") in LANGUAGES else "zh"]


def _flatten(prefix: str, table: dict, into: dict[str, dict[str, str]]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and ("zh" in value or "en" in value):
            into[name] = value
        elif isinstance(value, dict):
            _flatten(name, value, into)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    # One file per capability (messages.toml, review.toml, ...), read in name order.
    folder = resources.files("checkpoint").joinpath("locale")
    flat: dict[str, dict[str, str]] = {}
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if item.name.endswith(".toml"):
            _flatten("", tomllib.loads(item.read_text("utf-8")), flat)
    return flat


def set_language(lang: str) -> None:
    if lang in LANGUAGES:
        _current[0] = lang


def language() -> str:
    return _current[0]


def t(key: str, /, **params: object) -> str:
    """The text for `key` in the current language, with `{name}` placeholders filled.

    An unknown key returns the key itself, so a missing translation shows up in tests
    instead of crashing the desk.
    """
    return t_in(_current[0], key, **params)


def t_in(lang: str, key: str, /, **params: object) -> str:
    """`t` in a given language (files for the township are always Chinese)."""
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("zh") or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text
    return text
