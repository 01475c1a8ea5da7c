"""Who is on duty: choose your name, type your PIN. Also the lock screen (Ctrl+L)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import accounts
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.key_footer import KeyFooter


class LoginScreen(Screen[accounts.Account]):
    """The PIN field keeps the keyboard; ↑/↓ choose the name. One place to type, nothing to lose."""

    HELP_TOPIC = "login"
    # priority: the name moves when the arrow arrives, before the digits and Enter typed after it
    # reach the PIN field (keys typed while the desk is composed beneath wait in one queue, and an
    # arrow the field passes up would otherwise come back after the Enter)
    BINDINGS = [Binding("up", "move(-1)", show=False, priority=True),
                Binding("down", "move(1)", show=False, priority=True)]

    def __init__(self, locked: bool = False, why: str = "", logged_out: str = "") -> None:
        super().__init__()
        self.locked = locked
        self.why = why                  # why it locked by itself (idle minutes)
        self.logged_out = logged_out    # who just logged out (换人)

    def compose(self) -> ComposeResult:
        station = self.app.station
        with Vertical(id="login-box"):
            yield Static(f"{station.name} · {station.township}" if station else "", id="login-station",
                         markup=False)
            yield Static(t("ui.locked_title") if self.locked else t("ui.login_title"), id="login-title")
            names = OptionList(id="login-names")
            names.can_focus = False
            yield names
            yield FormInput(placeholder=t("ui.pin"), password=True, id="login-pin", max_length=8,
                            restrict=r"[0-9]*")
            yield Static("", id="login-message", markup=False)
            yield Static(self._hint(), id="login-hint", markup=False)
            yield Static("", id="login-demo", markup=False)
        yield KeyFooter()

    def _hint(self) -> str:
        if self.logged_out:
            return t("dayclose.logged_out", name=self.logged_out)
        if self.locked:
            return "\n".join(x for x in (self.why, t("dayclose.locked_hint")) if x)
        return ""

    def on_mount(self) -> None:
        self.query_one("#login-hint", Static).display = bool(self._hint())
        names = self.query_one("#login-names", OptionList)
        staff = accounts.list_staff(self.app.store, active_only=True)
        for row in staff:
            names.add_option(Option(f"{row['name']}  ({t('role.' + row['role'])})", id=row["name"]))
        if not staff:
            self.query_one("#login-message", Static).update(t("ui.no_accounts"))
        current = self.app.account
        if current is not None:
            index = next((i for i, r in enumerate(staff) if r["name"] == current.name), 0)
            names.highlighted = index
        elif staff:
            names.highlighted = 0
        demo = self.query_one("#login-demo", Static)
        demo.display = False
        if self.app.demo:
            from checkpoint.services import demo as demo_service

            listed = demo_service.demo_accounts(self.app.store)
            if listed:
                demo.display = True
                demo.update(t("ui.demo_accounts") + "\n" + "\n".join(
                    f"  {name}（{t('role.' + role)}）PIN {pin}" for name, role, pin in listed))
        self.set_focus(self.query_one("#login-pin", Input))
        # the desk is composed beneath while this screen waits for a PIN, once this one is drawn
        prepare = getattr(self.app, "prepare_desk", None)
        if prepare is not None:
            self.call_after_refresh(prepare, self)

    def action_move(self, step: int) -> None:
        names = self.query_one("#login-names", OptionList)
        if names.option_count:
            names.highlighted = ((names.highlighted or 0) + step) % names.option_count

    def field_submitted(self, widget: Input) -> None:
        """Enter in the PIN field (called at once by the field)."""
        names = self.query_one("#login-names", OptionList)
        message = self.query_one("#login-message", Static)
        if names.highlighted is None:
            return
        name = names.get_option_at_index(names.highlighted).id or ""
        try:
            account = accounts.authenticate(self.app.store, name, widget.value)
        except CheckpointError as exc:
            message.update(exc.message)
            widget.value = ""
            return
        message.update("")
        self.dismiss(account)
