"""Correct a vehicle from the review (V in an entry's detail): plate, type, occupants and the three
flags, checked as the desk checks them; saving asks for the reason and writes a vehicle amendment
(the original row stays). Esc asks before dropping what was changed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from checkpoint.domain.registration import VEHICLE_TYPES, VehicleForm
from checkpoint.errors import CheckpointError, FieldProblems
from checkpoint.i18n import t
from checkpoint.screens.leaving import GuardedForm, ask_before_leaving
from checkpoint.services import vehicle_amend
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.form_row import FormRow, show_problems_on_rows
from checkpoint.widgets.key_footer import KeyFooter

FLAGS = ("disinfected", "live_poultry", "illegal_passengers")


class AmendVehicleScreen(GuardedForm, Screen[bool]):
    HELP_TOPIC = "review"
    BINDINGS = [Binding("ctrl+s,f10", "save", t("ui.key_save")), Binding("escape", "cancel", t("review.key_close"))]

    def __init__(self, vehicle_id: int, entry_id: int, day: str) -> None:
        super().__init__()
        self.vehicle_id = vehicle_id
        self.entry_id = entry_id
        self.day = day

    def compose(self) -> ComposeResult:
        form = vehicle_amend.vehicle_form(self.app.store, self.vehicle_id)
        yes_no = [(False, t("yesno.no")), (True, t("yesno.yes"))]
        yield Static(t("dayclose.amend_vehicle_title", id=self.entry_id, day=self.day), id="amend-title",
                     classes="section", markup=False)
        with VerticalScroll(id="form-scroll"):
            yield FormRow(t("field.plate"), FormInput(id="f-plate", compact=True, value=form.plate, max_length=16),
                          name="plate")
            yield FormRow(t("field.vehicle_type"), ChoiceField([(k, t(f"vehicle_type.{k}")) for k in VEHICLE_TYPES],
                                                               form.vehicle_type, id="f-vehicle_type"),
                          name="vehicle_type")
            yield FormRow(t("field.occupants"), FormInput(id="f-occupants", compact=True, value=form.occupants,
                                                          max_length=3, restrict=r"[0-9]*"), name="occupants")
            for name in FLAGS:
                yield FormRow(t(f"field.{name}"), ChoiceField(yes_no, getattr(form, name), id=f"f-{name}"), name=name)
            for a in vehicle_amend.history(self.app.store, self.vehicle_id):
                changes = "；".join(f"{c.field} {c.before} → {c.after}" for c in a.changes)
                yield Static("✎ " + t("review.history_line", at=a.at, staff=a.staff, changes=changes,
                                      reason=a.reason), classes="hint", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-plate"))
        self.remember_fields()

    def field_submitted(self, widget) -> None:
        self.focus_next()

    def form(self) -> VehicleForm:
        return VehicleForm(plate=self.query_one("#f-plate", Input).value,
                           vehicle_type=self.query_one("#f-vehicle_type", ChoiceField).value,
                           occupants=self.query_one("#f-occupants", Input).value,
                           **{name: bool(self.query_one(f"#f-{name}", ChoiceField).value) for name in FLAGS})

    def action_save(self) -> None:
        from checkpoint.screens.ask_text import AskTextModal

        for row in self.query(FormRow):
            row.show("")
        form = self.form()

        def reason_given(reason: str | None) -> None:
            if reason is None:
                return
            try:
                fields = vehicle_amend.amend_vehicle(self.app.store, self.app.account, self.vehicle_id, form, reason)
            except FieldProblems as exc:
                show_problems_on_rows(self, exc.problems)
                return
            except CheckpointError as exc:
                self.notify(exc.message, severity="error", timeout=8)
                return
            self.app.notify(t("dayclose.vehicle_saved", fields="、".join(t(f"field.{f}") for f in fields)))
            self.dismiss(True)

        self.app.push_screen(AskTextModal(t("review.amend_reason")), reason_given)

    def action_cancel(self) -> None:
        ask_before_leaving(self, lambda: self.dismiss(False))
