"""The Textual App: opens the station database, asks who is on duty, shows the desk.

It holds only what every screen shares: the store, the station, who is logged in. Each screen
owns its own behaviour.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import Binding

from checkpoint import exit_codes
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import accounts
from checkpoint.services.clock import utc_now
from checkpoint.services.station import Station, get_station
from checkpoint.store import Store, open_store


class CheckpointApp(App):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = t("app.title")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("f1", "help", t("ui.key_help")),
        Binding("ctrl+l", "lock", t("ui.key_lock")),
        Binding("ctrl+q", "quit", t("ui.key_quit"), priority=True, show=False),
    ]

    def __init__(self, store: Store, demo: bool = False,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        super().__init__()
        self.store = store
        self.demo = demo
        self.now = clock or utc_now  # tests and snapshots pass a fixed clock
        self.backup_daily = clock is None
        self.station: Station | None = None
        self.account: accounts.Account | None = None
        self.health_code_enabled = False

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.station = get_station(self.store)
        if self.station is None:
            from checkpoint.screens.setup import SetupScreen

            self.push_screen(SetupScreen(), self._after_setup)
        else:
            self._ask_login()

    @work(thread=True, exclusive=True, exit_on_error=False, group="backup")
    def daily_backup(self) -> None:
        """Once a day, in the background (a year's file takes a while), the newest 14 kept."""
        from checkpoint.services.backup import daily_backup

        try:
            daily_backup(self.store.path)
        except CheckpointError as exc:
            self.call_from_thread(self.notify, exc.message, severity="warning")

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm-up")
    def warm_up(self) -> None:
        """Load the pinyin dictionaries (a third of a second) while the person looks at the desk, so
        the first save does not wait for them."""
        from checkpoint.domain.search import entry_terms

        entry_terms("张三")

    def _after_setup(self, done: bool | None) -> None:
        self.station = get_station(self.store)
        self._ask_login()

    def _load_settings(self) -> None:
        from checkpoint.services.registration import context

        try:
            self.health_code_enabled = context(self.store).health_code_enabled
        except CheckpointError:
            self.health_code_enabled = False

    def _ask_login(self, locked: bool = False) -> None:
        from checkpoint.screens.login import LoginScreen

        self.push_screen(LoginScreen(locked=locked), self._logged_in)

    def _logged_in(self, account: accounts.Account | None) -> None:
        if account is None:
            return
        first_login = self.account is None
        self.account = account
        if first_login and self.backup_daily:
            self.daily_backup()
        if first_login:
            self.warm_up()
        from checkpoint.screens.desk import DeskScreen

        desk = next((s for s in self.screen_stack if isinstance(s, DeskScreen)), None)
        if desk is None:
            self._load_settings()
            self.push_screen(DeskScreen())
        else:
            desk.refresh_account()

    def _handle_exception(self, error: Exception) -> None:
        """An error nobody expected: the traceback goes to a log file beside the database, the
        person reads one sentence. (Textual's only hook for this is private; its default prints a
        full traceback with local variables, personal data included, on the terminal.)"""
        log = write_crash_log(self.store.path, error)
        self._return_code = 1
        if self._exception is None:  # Pilot re-raises it in tests
            self._exception = error
            self._exception_event.set()
        self.panic(Text(t("error.crashed", log=str(log))))

    def alert(self) -> None:
        """The bell, unless the station turned it off."""
        from checkpoint.services.settings import setting

        if setting(self.store, "bell"):
            self.bell()

    def require(self, action: str) -> bool:
        """True when the person logged in may do `action`; otherwise says why."""
        if self.account is None:
            return False
        try:
            accounts.require(self.account, action)
        except CheckpointError as exc:
            self.notify(exc.message, severity="warning")
            return False
        return True

    def action_lock(self) -> None:
        from checkpoint.screens.login import LoginScreen

        if self.account is None or isinstance(self.screen, LoginScreen):
            return
        self._ask_login(locked=True)

    def action_help(self) -> None:
        from checkpoint.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        topic = getattr(self.screen, "HELP_TOPIC", "desk")
        self.push_screen(HelpScreen(topic))


def write_crash_log(db_path: Path, error: BaseException) -> Path:
    import traceback

    folder = Path(db_path).parent / "logs"
    try:
        folder.mkdir(exist_ok=True)
        log = folder / "checkpoint-errors.log"
        with log.open("a", encoding="utf-8") as out:
            out.write(f"--- {dt.datetime.now().isoformat()}\n")
            out.write("".join(traceback.format_exception(error)))
        return log
    except OSError:
        return folder


def run_app(path: Path, demo: bool = False) -> None:
    """Open the database and run the UI; a database problem is one sentence and exit code 2."""
    try:
        store = open_store(path)
    except CheckpointError as exc:
        print(exc.message, file=sys.stderr)
        sys.exit(exit_codes.BAD_INPUT)
    try:
        CheckpointApp(store, demo=demo).run()
    finally:
        store.close()
