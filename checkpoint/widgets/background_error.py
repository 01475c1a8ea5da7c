"""An error that background work (a worker thread: a count, an export, a print, a backup) did not
expect: its traceback goes to the log file (checkpoint.crash_log), the person reads one sentence. The
work's own expected errors (CheckpointError) keep their own sentences; without this, anything else
ended the thread in silence — a count left at 正在统计…, an export screen that could not be closed."""

from __future__ import annotations

from checkpoint import crash_log
from checkpoint.i18n import t


def unexpected(error: BaseException, where: str) -> str:
    """Log `error` (from the work named `where`); the sentence to show, naming the log, no data."""
    return t("error.background", log=str(crash_log.write(error, where)))
