"""The one message catalogue: every word a person reads comes from locale/*.toml.

Chinese is the default; English is chosen with CHECKPOINT_LANG=en or the station's config.
Nothing here imports Textual, so the domain, the services and the CLI all share it.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import platformdirs

LANGUAGES = ("zh", "en")
_current: list[str] = [os.environ.get("CHECKPOINT_LANG", "zh") if os.environ.get("CHECKPOINT_LANG", "zh") in LANGUAGES else "zh"]


def _flatten(prefix: str, table: dict, into: dict[str, dict[str, str]]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and ("zh" in value or "en" in value):
            into[name] = value
        elif isinstance(value, dict):
            _flatten(name, value, into)


def cache_folder() -> Path:
    """Where the parsed catalogue is kept between starts (the user's cache folder)."""
    return Path(platformdirs.user_cache_dir("checkpoint", appauthor=False))


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    # One file per capability (messages.toml, review.toml, ...), read in name order. Parsing the TOML
    # took 45-150 ms of every start (bench/measured-by-hand.md), so the result is kept as JSON named
    # by a digest of the files' bytes: a changed, added or removed file is parsed again, and a cache
    # that cannot be read or written is only slower.
    folder = resources.files("checkpoint").joinpath("locale")
    texts = [(item.name, item.read_bytes()) for item in sorted(folder.iterdir(), key=lambda f: f.name)
             if item.name.endswith(".toml")]
    digest = hashlib.sha256()
    for name, data in texts:
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    cached = cache_folder() / f"catalogue-{digest.hexdigest()[:32]}.json"
    try:
        return json.loads(cached.read_text("utf-8"))
    except (OSError, ValueError):
        pass
    import tomllib   # only when parsing (a tenth of the parse's cost again, to import)

    flat: dict[str, dict[str, str]] = {}
    for _, data in texts:
        _flatten("", tomllib.loads(data.decode("utf-8")), flat)
    _keep(cached, flat)
    return flat


def _keep(cached: Path, flat: dict[str, dict[str, str]]) -> None:
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("catalogue-*.json"):
            old.unlink(missing_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(flat, ensure_ascii=False), "utf-8")
        os.replace(partial, cached)   # a reader never sees half a file
    except OSError:
        pass


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
