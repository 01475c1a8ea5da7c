"""Add one account without leaving the form in front (a second leader from the handover): name,
role, the PIN typed twice. Returns the new account's name, or None when abandoned."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from checkpoint.domain.roles import ROLES
from checkpoint.errors import CheckpointError, InputError
from checkpoint.i18n import t
from checkpoint.services import accounts
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.form_input import FormInput
from checkpoint.screens.leaving import GuardedForm, ask_before_leaving
from checkpoint.widgets.form_row import FormRow

FIELDS = ("name", "role", "pin", "pin_again")


def pin_fields() -> list[FormRow]:
    """The new account's PIN and the same PIN again (as at set-up: a typing slip is caught now)."""
    return [FormRow(t("ui.pin"), FormInput(id="f-pin", compact=True, password=True, max_length=8,
                                           restrict=r"[0-9]*"), name="pin"),
            FormRow(t("ui.pin_again"), FormInput(id="f-pin_again", compact=True, password=True, max_length=8,
                                                 restrict=r"[0-9]*"), name="pin_again")]


def add_from_form(screen, role: str) -> accounts.Account | None:
    """Add the account typed in `screen`'s name / pin / pin_again fields; the problem is shown
    under its field (and focused) when there is one. Returns the account added, or None."""
    for name in ("name", "pin", "pin_again"):
        screen.query_one(f"#row-{name}", FormRow).show("")
    name = screen.query_one("#f-name", Input).value
    pin = screen.query_one("#f-pin", Input).value
    again = screen.query_one("#f-pin_again", Input).value
    try:
        accounts.check_name(name)
        accounts.check_pin_format(pin)
        if pin != again:
            raise InputError("ui.pin_mismatch", field="pin_again")
        added = accounts.add_staff(screen.app.store, name, role, pin, screen.app.account)
    except CheckpointError as exc:
        field = exc.field if exc.field in ("name", "pin", "pin_again") else "name"
        screen.query_one(f"#row-{field}", FormRow).show(exc.message)
        screen.set_focus(screen.query_one(f"#f-{field}", Input))
        return None
    return added


class AddAccountModal(GuardedForm, ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", t("ui.key_back")), Binding("ctrl+s", "add", t("ui.key_add"))]

    def __init__(self, role: str = "leader") -> None:
        super().__init__()
        self.role = role

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(t("dayclose.add_account_title"), id="confirm-question", markup=False)
            yield FormRow(t("field.name"), FormInput(id="f-name", compact=True, max_length=40), name="name")
            yield FormRow(t("field.role"), ChoiceField([(r, t(f"role.{r}")) for r in ROLES], self.role,
                                                       id="f-role"), name="role")
            yield from pin_fields()
            yield Static(t("dayclose.add_account_hint"), classes="hint", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-name", Input))
        self.remember_fields()

    def field_submitted(self, widget) -> None:
        if widget.id == "f-pin_again":
            self.action_add()
        else:
            self.focus_next()

    def action_add(self) -> None:
        added = add_from_form(self, self.query_one("#f-role", ChoiceField).value)
        if added is not None:
            self.app.notify(t("account.added", name=added.name, role=added.role_label))
            self.dismiss(added.name)

    def action_cancel(self) -> None:
        ask_before_leaving(self, lambda: self.dismiss(None))
