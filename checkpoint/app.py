"""The Textual App: opens the station database, asks who is on duty, shows the desk.

It holds only what every screen shares: the store, the station, who is logged in. Each screen
owns its own behaviour.
Over 300 lines: logging in (the desk composed beneath the login screen while it waits), the idle
lock and the station's theme are the app's because they outlive every screen.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding

from checkpoint import exit_codes, themes
from checkpoint.errors import CheckpointError, DatabaseError
from checkpoint.i18n import t
from checkpoint.services import accounts, settings
from checkpoint.domain.clock import utc_now
from checkpoint.services.station import Station, get_station, open_station
from checkpoint.widgets.crash_guard import CrashGuard
from checkpoint.screens.everywhere import EverywhereActions
from checkpoint.widgets.palette import ActionsProvider, open_palette
from checkpoint.widgets.background_error import unexpected

if TYPE_CHECKING:   # the UI holds the store only to hand it to services (checked: [tool.importlinter])
    from checkpoint.screens.login import LoginScreen
    from checkpoint.store import Store


class CheckpointApp(CrashGuard, EverywhereActions, App):
    # absolute paths: subclasses live elsewhere
    CSS_PATH = [Path(__file__).with_name("app.tcss"), Path(__file__).with_name("dayclose.tcss")]
    TITLE = t("app.title")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    COMMANDS = {ActionsProvider}  # our actions in both languages and pinyin, not Textual's English ones
    BINDINGS = [
        Binding("f1", "help", t("ui.key_help")),
        Binding("ctrl+l", "lock", t("ui.key_lock")),
        Binding("ctrl+o", "logout", t("dayclose.key_logout"), show=False, priority=True),
        Binding("ctrl+t", "cycle_theme", t("theme.key"), show=False, priority=True),
        Binding("ctrl+p", "command_palette", t("palette.key"), show=False, priority=True),
        Binding("ctrl+q", "quit", t("ui.key_quit"), priority=True, show=False),
    ]
    # Found in the palette though they have no key of their own (widgets/palette.py).
    PALETTE_ACTIONS = ("theme('default')", "theme('sunlight')", "theme('night')", "auto_lock",
                       *EverywhereActions.PALETTE_ACTIONS)
    ACTION_NEEDS = {"lock": "register", "auto_lock": "settings.edit", **EverywhereActions.ACTION_NEEDS}
    IDLE_CHECK_SECONDS = 15.0  # how often the idle lock looks at the time since the last key

    def __init__(self, store: Store, demo: bool = False,
                 clock: Callable[[], dt.datetime] | None = None, check_clock: bool | None = None) -> None:
        super().__init__()
        self.store = store
        self.demo = demo
        self.now = clock or utc_now  # tests and snapshots pass a fixed clock
        self.backup_daily = clock is None
        # The clock check is about the computer's real clock; a test's fixed clock is not one.
        self.check_clock = clock is None if check_clock is None else check_clock
        self.station: Station | None = None
        self.account: accounts.Account | None = None
        self.health_code_enabled = False
        self.last_input = self.now()
        self.session_started = False   # the first login starts the backup, the idle lock
        self.warming_started = False   # the warm-up: started while the first login screen waits

    def on_mount(self) -> None:
        themes.register(self)
        self.apply_station_theme()
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
        except Exception as exc:   # noqa: BLE001 — logged and said, not lost with the thread
            self.call_from_thread(self.notify, unexpected(exc, "daily backup"), severity="warning", timeout=15)

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm-up")
    def warm_up(self) -> None:
        """Load the pinyin dictionaries and the place list (half a second and more) while the login
        screen waits for the PIN, so that neither the desk's first drawing nor the first save or
        completion waits for them."""
        from checkpoint.domain.search import entry_terms
        from checkpoint.services.places import warm_up

        entry_terms("张三")
        warm_up()  # the place list the origin completes from

    def _start_warm_up(self) -> None:
        if not self.warming_started:
            self.warming_started = True
            self.warm_up()

    def prepare_desk(self, login: LoginScreen) -> None:
        """Compose the desk beneath the login screen while it waits for the PIN, so that Enter only
        uncovers it: composing, styling and laying out the desk's widgets after the PIN made the
        person wait over a second (bench/README.md). Only for a station set up and no desk yet (the
        first login, after 换人)."""
        # run by the app itself: a screen's result goes to whoever pushed it
        self.call_later(self._compose_desk_beneath, login)

    def _compose_desk_beneath(self, login: LoginScreen) -> None:
        from checkpoint.screens.desk import DeskScreen

        if self.screen is not login or self.station is None or self.account is not None or \
                any(isinstance(s, DeskScreen) for s in self.screen_stack):
            return
        self._start_warm_up()
        self._load_settings()
        # Textual composes a screen when it is pushed, on top: the login screen is taken off, the
        # desk pushed and the same login screen (still mounted: Textual removes a popped screen
        # only if it is in no stack when the pop completes, after this method) put back over it,
        # in one step: no key can arrive in between, and what was chosen and typed stays.
        self.pop_screen()
        self.push_screen(DeskScreen())
        self.push_screen(login, self._logged_in)

    def _after_setup(self, done: bool | None) -> None:
        self.station = get_station(self.store)
        self._ask_login()

    def _load_settings(self) -> None:
        from checkpoint.services.registration import context

        try:
            self.health_code_enabled = context(self.store).health_code_enabled
        except CheckpointError:
            self.health_code_enabled = False

    def _ask_login(self, locked: bool = False, why: str = "") -> None:
        from checkpoint.screens.login import LoginScreen

        self.push_screen(LoginScreen(locked=locked, why=why), self._logged_in)

    def _logged_in(self, account: accounts.Account | None) -> None:
        if account is None:
            return
        first_login = not self.session_started
        self.session_started = True
        # a desk composed beneath the login screen showed the keys of nobody
        role_changed = self.account is None or self.account.role != account.role
        self.account = account
        self.last_input = self.now()
        if first_login and self.backup_daily:
            self.daily_backup()
        self._start_warm_up()
        if first_login:
            self.set_interval(self.IDLE_CHECK_SECONDS, self.lock_when_idle)
        if not first_login:
            self.clear_notifications()   # what was said to the person before belongs to them
        if role_changed:   # the footers show the keys of the person now logged in
            for screen in self.screen_stack:
                screen.refresh_bindings()
        from checkpoint.screens.desk import DeskScreen

        desk = next((s for s in self.screen_stack if isinstance(s, DeskScreen)), None)
        if desk is None:
            self._load_settings()
            self.push_screen(DeskScreen())
        else:
            desk.refresh_account()
        if first_login and self.check_clock:
            self.warn_about_clock()

    def warn_about_clock(self) -> None:
        """A clock more than a day behind the newest record (a flat CMOS battery) writes wrong dates
        into the ledger: say so before the first entry, in a notice that must be acknowledged."""
        from checkpoint.screens.notice import NoticeModal
        from checkpoint.services.clock_check import check_clock

        warning = check_clock(self.store, self.now())
        if warning is not None and self.station is not None:
            self.push_screen(NoticeModal(t("clock.title"), warning.message(self.station.tz)))

    # ---- the idle lock -----------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self.last_input = self.now()
        await super().on_event(event)

    def lock_when_idle(self) -> None:
        """Lock the screen (the form kept, as Ctrl+L) after the station's auto-lock minutes without
        a key: a laptop left in the tent must not stay open on the ledger."""
        from checkpoint.screens.login import LoginScreen

        if self.account is None or any(isinstance(s, LoginScreen) for s in self.screen_stack):
            return
        idle = self.now() - self.last_input
        if idle < dt.timedelta(minutes=1):
            return  # the setting is whole minutes: no need to read it yet
        try:
            minutes = settings.auto_lock_minutes(self.store)
        except CheckpointError:
            return
        if minutes and idle >= dt.timedelta(minutes=minutes):
            # said on the lock screen itself: no notice sits on top of it
            self._ask_login(locked=True, why=t("autolock.locked", minutes=minutes))

    def action_auto_lock(self) -> None:
        from checkpoint.screens.ask_text import AskTextModal

        if not self.require("settings.edit"):
            return

        def given(text: str | None) -> None:
            if text is None:
                return
            try:
                kept = settings.change_setting(self.store, self.account, "auto-lock", text)
            except CheckpointError as exc:
                self.notify(exc.message, severity="error")
                return
            self.notify(t("autolock.set", minutes=kept) if int(kept) else t("autolock.off"))

        self.push_screen(AskTextModal(t("autolock.prompt", minutes=settings.auto_lock_minutes(self.store)),
                                      t("autolock.hint"), max_length=4), given)

    # ---- themes ------------------------------------------------------------------------------
    def apply_station_theme(self) -> None:
        try:
            name = settings.theme(self.store)
        except CheckpointError:
            name = "default"
        self.theme = themes.THEME_NAMES[name]

    def action_theme(self, name: str) -> None:
        """Show theme `name` now and keep it for this station (anyone on duty may: it is about
        the light at the barrier, not about the records)."""
        if name not in themes.THEME_NAMES:
            return
        self.theme = themes.THEME_NAMES[name]
        label = t(f"theme.{name}")
        if self.account is None:
            self.notify(t("theme.changed_not_kept", name=label))
            return
        try:
            settings.change_setting(self.store, self.account, "theme", name)
        except CheckpointError as exc:
            self.notify(exc.message, severity="warning")
            return
        self.notify(t("theme.changed", name=label))

    def action_cycle_theme(self) -> None:
        current = next((k for k, v in themes.THEME_NAMES.items() if v == self.theme), "default")
        self.action_theme(themes.next_theme(current))

    def action_command_palette(self) -> None:
        open_palette(self)

    def alert(self) -> None:
        """The bell, unless the station turned it off."""
        from checkpoint.services.settings import setting

        if setting(self.store, "bell"):
            self.bell()

    def may(self, action: str) -> bool:
        """True when the person logged in may do `action` (quietly: the palette asks this)."""
        if self.account is None:
            return False
        if action == "review.read":
            from checkpoint.services import review

            return review.may_review(self.store, self.account)
        if action == "pass.issue":   # the station's setting pass-issue-staff lets duty staff issue too
            from checkpoint.services.passes import may_issue

            return may_issue(self.store, self.account)
        return self.account.may(action)

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

    def holds_typed_input(self) -> bool:
        """Some screen holds input typed and not saved yet (a half-filled form)."""
        return any(getattr(screen, "holds_typed_input", lambda: False)() for screen in self.screen_stack)

    async def action_quit(self) -> None:
        """Ctrl+Q: quit, but never throw away a half-filled form without asking (Enter keeps it)."""
        from checkpoint.screens.confirm import ConfirmModal

        if not self.holds_typed_input():
            self.exit()
            return
        if isinstance(self.screen, ConfirmModal):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmModal(t("desk.quit_typed"), danger=True, default_no=True), answered)

    def action_help(self) -> None:
        from checkpoint.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        topic = getattr(self.screen, "HELP_TOPIC", "desk")
        self.push_screen(HelpScreen(topic))


def run_app(path: Path, demo: bool = False) -> None:
    """Open the database and run the UI; a database problem is one sentence and exit code 2."""
    try:
        if Path(path).is_file() and Path(path).stat().st_size == 0:   # only `init` fills an empty file
            raise DatabaseError("db.empty_file", path=str(path))
        store = open_station(path)
    except CheckpointError as exc:
        print(exc.message, file=sys.stderr)
        sys.exit(exit_codes.BAD_INPUT)
    try:
        app = CheckpointApp(store, demo=demo)
        app.run()
    finally:
        store.close()
    if app.return_code:
        sys.exit(app.return_code)
