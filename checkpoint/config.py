"""Where the station's database lives: --db, else CHECKPOINT_DB, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "checkpoint"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "checkpoint.db"


def demo_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo.db"


def resolve_db(option: str | None) -> Path:
    if option:
        return Path(option).expanduser()
    env = os.environ.get("CHECKPOINT_DB")
    if env:
        return Path(env).expanduser()
    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
