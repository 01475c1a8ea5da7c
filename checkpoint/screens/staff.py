"""Accounts, for leaders: the list, add one (name, role, the PIN typed twice), disable one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from checkpoint.domain.roles import ROLES
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.screens.add_account import add_from_form, pin_fields
from checkpoint.screens.leaving import GuardedForm
from checkpoint.services import accounts
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.form_row import FormRow
from checkpoint.widgets.key_footer import KeyFooter


class StaffScreen(GuardedForm, Screen):
    HELP_TOPIC = "staff"
    BINDINGS = [
        Binding("escape", "back", t("ui.key_back")),
        Binding("ctrl+s", "add", t("ui.key_add")),
        Binding("f8", "disable", t("ui.key_disable")),
    ]

    def compose(self) -> ComposeResult:
        yield Static(t("ui.staff_title"), classes="title")
        yield DataTable(id="staff-table", cursor_type="row")
        with Vertical(id="staff-form"):
            yield Static(t("ui.staff_add_title"), classes="section")
            yield FormRow(t("field.name"), FormInput(id="f-name", compact=True, max_length=40), name="name")
            yield FormRow(t("field.role"), ChoiceField([(r, t(f"role.{r}")) for r in ROLES], id="f-role"),
                          name="role")
            yield from pin_fields()
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in ("col_name", "col_role", "col_state"):
            table.add_column(t(f"ui.{key}"), key=key)
        self.reload()
        self.query_one("#f-name", Input).focus()
        self.remember_fields()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in accounts.list_staff(self.app.store):
            table.add_row(row["name"], t(f"role.{row['role']}"),
                          t("ui.active") if row["active"] else t("ui.disabled"), key=row["name"])

    def field_submitted(self, widget) -> None:
        """Enter: the next field, or add the account on the second PIN (called at once by the field)."""
        if widget.id == "f-pin_again":
            self.action_add()
        else:
            self.focus_next()

    def action_add(self) -> None:
        added = add_from_form(self, self.query_one("#f-role", ChoiceField).value)
        if added is None:
            return
        self.notify(t("account.added", name=added.name, role=added.role_label))
        for name in ("name", "pin", "pin_again"):
            self.query_one(f"#f-{name}", Input).value = ""
        self.set_focus(self.query_one("#f-name", Input))
        self.reload()
        self.remember_fields()

    def action_disable(self) -> None:
        from checkpoint.screens.confirm import ConfirmModal

        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        name = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                accounts.disable_staff(self.app.store, name, self.app.account)
            except CheckpointError as exc:
                self.notify(exc.message, severity="error")
                return
            self.notify(t("account.disabled_done", name=name))
            self.reload()

        self.app.push_screen(ConfirmModal(t("ui.disable_confirm", name=name), danger=True), answered)
