"""Where an error nobody expected goes: its traceback into a log file under the user data folder
(platformdirs), never onto the screen - a traceback may carry a name or an ID number from a local
variable or the exception's own text. The person reads one sentence without data (the CLI and both
apps), and the exit code says "internal error" (exit_codes.INTERNAL)."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

import platformdirs

from checkpoint.config import APP_NAME

LOG_NAME = "checkpoint-errors.log"


def log_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "logs" / LOG_NAME


def write(error: BaseException, where: str = "") -> Path:
    """Append `error`'s traceback to the log; returns the log's path (even when the disk refused it:
    the sentence still says where to look)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(f"--- {dt.datetime.now().isoformat()} {where}\n")
            out.write("".join(traceback.format_exception(error)))
    except OSError:
        pass
    return path
