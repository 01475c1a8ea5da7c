"""First run: the station's code and name, township, time zone, and the first leader account."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import setup as setup_service
from checkpoint.domain.clock import DEFAULT_TZ
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.form_row import FormRow
from checkpoint.widgets.key_footer import KeyFooter

FIELDS = ("code", "station_name", "township", "tz", "leader", "pin", "pin_again")


class SetupScreen(Screen[bool]):
    HELP_TOPIC = "setup"
    BINDINGS = [Binding("ctrl+s", "finish", t("ui.key_save"))]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="setup-box"):
            yield Static(t("ui.setup_title"), classes="title")
            yield Static(t("ui.setup_hint"), classes="hint")
            for name in FIELDS:
                label = {"leader": t("ui.leader_name"), "pin": t("ui.pin"), "pin_again": t("ui.pin_again")}.get(
                    name, t(f"field.{name}"))
                secret = name in ("pin", "pin_again")
                yield FormRow(label, FormInput(id=f"f-{name}", compact=True, password=secret,
                                           value=DEFAULT_TZ if name == "tz" else "",
                                           restrict=r"[0-9]*" if secret else None,
                                           max_length=8 if secret else 40), name=name)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#f-code", Input).focus()

    def value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value

    def field_submitted(self, widget) -> None:
        """Enter: the next field, or finish on the last (called at once by the field)."""
        if widget.id == "f-pin_again":
            self.action_finish()
        else:
            self.focus_next()

    def action_finish(self) -> None:
        for row in self.query(FormRow):
            row.show("")
        try:
            setup_service.check_setup(self.value("code"), self.value("station_name"), self.value("township"),
                                        self.value("tz"), self.value("leader"), self.value("pin"))
            if self.value("pin") != self.value("pin_again"):
                self.query_one("#row-pin_again", FormRow).show(t("ui.pin_mismatch"))
                self.set_focus(self.query_one("#f-pin_again", Input))
                return
            setup_service.init_station(self.app.store, self.value("code"), self.value("station_name"),
                                         self.value("township"), self.value("leader"), self.value("pin"),
                                         self.value("tz"))
        except CheckpointError as exc:
            field = {"name": "leader"}.get(exc.field or "", exc.field or "code")
            if field not in FIELDS:
                field = "code"
            self.query_one(f"#row-{field}", FormRow).show(exc.message)
            self.set_focus(self.query_one(f"#f-{field}", Input))
            return
        self.dismiss(True)
