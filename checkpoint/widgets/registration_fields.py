"""The vehicle and person parts of the registration form, in the order staff work.

They only read and fill their fields and show messages; checking and saving belong to the desk
screen and the services below it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from checkpoint.domain import policy
from checkpoint.domain.documents import DOC_TYPES
from checkpoint.domain.problems import Problem
from checkpoint.domain.registration import DIRECTIONS, VEHICLE_TYPES, PersonForm, VehicleForm
from checkpoint.domain.temperature import METHODS
from checkpoint.i18n import t
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.form_row import FormRow

YES_NO = [(False, t("yesno.no")), (True, t("yesno.yes"))]


def text_input(name: str, placeholder: str = "", max_length: int = 100, **kw) -> FormInput:
    return FormInput(placeholder=placeholder, id=f"f-{name}", compact=True, max_length=max_length,
                 select_on_focus=False, **kw)


class FieldGroup(Vertical):
    """Common plumbing: find a field's control and row, show problems beside the fields."""

    DEFAULT_CSS = "FieldGroup { height: auto; }"

    def on_mount(self) -> None:
        # Looked up once: checking runs on every keystroke and a DOM query per field is too slow.
        self._rows = {row.field_name: row for row in self.query(FormRow)}
        self._controls = {name: row.control for name, row in self._rows.items()}

    def control(self, name: str):
        return self._controls[name]

    def row(self, name: str) -> FormRow:
        return self._rows[name]

    def text(self, name: str) -> str:
        return self.control(name).value

    def has_field(self, name: str) -> bool:
        return name in self._rows

    def field_names(self) -> set[str]:
        return set(self._rows)

    def clear_messages(self) -> None:
        for row in self._rows.values():
            row.show("")

    def show_problems(self, problems: list[Problem], touched: set[str]) -> None:
        shown: set[str] = set()
        for p in problems:
            if p.field in shown or not self.has_field(p.field):
                continue
            if p.field in touched:
                self.row(p.field).show(p.message, "error" if p.is_error else "warning")
                shown.add(p.field)
        for name, row in self._rows.items():
            if name not in shown and name not in self.info_rows:
                row.show("")

    info_rows: set[str] = set()


class VehicleFields(FieldGroup):
    def compose(self) -> ComposeResult:
        yield FormRow(t("field.plate"), text_input("plate", t("ui.plate_hint"), 16), name="plate")
        yield FormRow(t("field.vehicle_type"), ChoiceField(
            [(k, t(f"vehicle_type.{k}")) for k in VEHICLE_TYPES], id="f-vehicle_type"), name="vehicle_type")
        yield FormRow(t("field.occupants"), text_input("occupants", t("ui.occupants_hint"), 3,
                                                      restrict=r"[0-9]*"), name="occupants")
        yield FormRow(t("field.disinfected"), ChoiceField(YES_NO, False, id="f-disinfected"), name="disinfected")
        yield FormRow(t("field.live_poultry"), ChoiceField(YES_NO, False, id="f-live_poultry"), name="live_poultry")
        yield FormRow(t("field.illegal_passengers"), ChoiceField(YES_NO, False, id="f-illegal_passengers"),
                      name="illegal_passengers")

    def read(self) -> VehicleForm:
        return VehicleForm(plate=self.text("plate"), vehicle_type=self.control("vehicle_type").value,
                           occupants=self.text("occupants"), disinfected=self.control("disinfected").value,
                           live_poultry=self.control("live_poultry").value,
                           illegal_passengers=self.control("illegal_passengers").value)

    def fill(self, form: VehicleForm) -> None:
        self.control("plate").value = form.plate
        self.control("vehicle_type").set_value(form.vehicle_type)
        self.control("occupants").value = form.occupants
        self.control("disinfected").set_value(form.disinfected)
        self.control("live_poultry").set_value(form.live_poultry)
        self.control("illegal_passengers").set_value(form.illegal_passengers)

    def clear(self) -> None:
        self.fill(VehicleForm())
        self.clear_messages()


class PersonFields(FieldGroup):
    """The person's part; rows that don't apply (re-measure, reason, where) are hidden."""

    info_rows = {"doc_no", "disposition"}

    def __init__(self, health_code: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.health_code = health_code

    def compose(self) -> ComposeResult:
        yield FormRow(t("field.doc_no"), text_input("doc_no", t("ui.doc_no_hint"), 30), name="doc_no")
        yield FormRow(t("field.doc_type"), ChoiceField(
            [(k, t(f"doc_type.{k}")) for k in DOC_TYPES], id="f-doc_type"), name="doc_type")
        yield FormRow(t("field.name"), text_input("name", "", 40), name="name")
        yield FormRow(t("field.phone"), text_input("phone", t("ui.phone_hint"), 20), name="phone")
        yield FormRow(t("field.address"), text_input("address", t("ui.address_hint")), name="address")
        yield FormRow(t("field.resident"), ChoiceField(YES_NO, False, id="f-resident"), name="resident")
        yield FormRow(t("field.origin"), text_input("origin", t("ui.origin_hint")), name="origin")
        yield FormRow(t("field.key_area_travel"), ChoiceField(YES_NO, False, id="f-key_area_travel"),
                      name="key_area_travel")
        yield FormRow(t("field.travel_where"), text_input("travel_where"), name="travel_where")
        yield FormRow(t("field.purpose"), ChoiceField(
            [("", "-")] + [(k, t(f"purpose.{k}")) for k in policy.PURPOSES], "", id="f-purpose"), name="purpose")
        yield FormRow(t("field.destination"), text_input("destination", t("ui.destination_hint")), name="destination")
        yield FormRow(t("field.symptoms"), ChoiceField(
            [(k, t(f"symptom.{k}")) for k in policy.SYMPTOMS], multi=True, id="f-symptoms"), name="symptoms")
        if self.health_code:
            yield FormRow(t("field.health_code"), ChoiceField(
                [("", "-")] + [(k, t(f"health_code.{k}")) for k in policy.HEALTH_CODES if k], "",
                id="f-health_code"), name="health_code")
        yield FormRow(t("field.direction"), ChoiceField(
            [(k, t(f"direction.{k}")) for k in DIRECTIONS], id="f-direction"), name="direction")
        yield FormRow(t("field.temp_method"), ChoiceField(
            [(k, t(f"temp_method.{k}")) for k in METHODS], id="f-temp_method"), name="temp_method")
        yield FormRow(t("field.temp"), text_input("temp", "36.5", 6, restrict=r"[0-9.。]*"), name="temp")
        yield FormRow(t("field.recheck_temp"), text_input("recheck_temp", "36.5", 6, restrict=r"[0-9.。]*"),
                      name="recheck_temp")
        yield FormRow(t("field.not_measured_reason"), text_input("not_measured_reason", t("ui.no_device")),
                      name="not_measured_reason")
        yield FormRow(t("field.disposition"), ChoiceField(
            [(k, t(f"disposition.{k}")) for k in policy.DISPOSITIONS], allow_none=True, id="f-disposition"),
            name="disposition")

    def on_mount(self) -> None:
        super().on_mount()
        self.update_visibility(None)

    def read(self) -> PersonForm:
        return PersonForm(
            name=self.text("name"), doc_type=self.control("doc_type").value, doc_no=self.text("doc_no"),
            phone=self.text("phone"), address=self.text("address"), resident=self.control("resident").value,
            origin=self.text("origin"), key_area_travel=self.control("key_area_travel").value,
            travel_where=self.text("travel_where"), purpose=self.control("purpose").value,
            destination=self.text("destination"), symptoms=tuple(self.control("symptoms").value),
            health_code=self.control("health_code").value if self.health_code else "",
            temp=self.text("temp"), temp_method=self.control("temp_method").value,
            not_measured_reason=self.text("not_measured_reason"), recheck_temp=self.text("recheck_temp"),
            direction=self.control("direction").value, disposition=self.control("disposition").value or "")

    def is_blank(self) -> bool:
        f = self.read()
        return not (f.name.strip() or f.doc_no.strip() or f.phone.strip() or f.temp.strip())

    def fill(self, form: PersonForm, *, keep_disposition: bool = False) -> None:
        for name in ("name", "doc_no", "phone", "address", "origin", "travel_where", "destination", "temp",
                     "not_measured_reason", "recheck_temp"):
            self.control(name).value = getattr(form, name) or ""
        self.control("doc_type").set_value(form.doc_type)
        self.control("resident").set_value(bool(form.resident))
        self.control("key_area_travel").set_value(form.key_area_travel)
        self.control("purpose").set_value(form.purpose)
        self.control("symptoms").set_value(form.symptoms)
        if self.health_code:
            self.control("health_code").set_value(form.health_code)
        self.control("direction").set_value(form.direction)
        self.control("temp_method").set_value(form.temp_method)
        if not keep_disposition:
            self.control("disposition").set_value(form.disposition or None)

    def update_visibility(self, needs_recheck: bool | None) -> None:
        method = self.control("temp_method").value
        self.row("temp").display = method != "none"
        self.row("not_measured_reason").display = method == "none"
        recheck = self.row("recheck_temp")
        if needs_recheck is not None:
            recheck.display = needs_recheck or bool(self.text("recheck_temp"))
        self.row("travel_where").display = bool(self.control("key_area_travel").value)
