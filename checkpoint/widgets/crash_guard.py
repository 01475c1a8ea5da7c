"""The guard both apps (the station's desk and the township's dashboard) run under: an error
nobody expected closes the app with one sentence and the internal-error exit code, its traceback
in the log file (checkpoint.crash_log), never on the terminal."""

from __future__ import annotations

from rich.text import Text

from checkpoint import crash_log, exit_codes
from checkpoint.i18n import t


class CrashGuard:
    """Mixed into an App before `App` itself (`class X(CrashGuard, App)`)."""

    def _handle_exception(self, error: Exception) -> None:
        # Textual's only hook for this is private; its default prints a full traceback with local
        # variables (personal data included) on the terminal.
        log = crash_log.write(error, type(self).__name__)
        self._return_code = exit_codes.INTERNAL
        if self._exception is None:  # Pilot re-raises it in tests
            self._exception = error
            self._exception_event.set()
        self.panic(Text(t("error.crashed", log=str(log))))
