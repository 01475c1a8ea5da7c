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
from checkpoint.domain.temperature import METHODS, RECHECK_METHOD
from checkpoint.i18n import t
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.completion_input import CompletionInput
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.form_row import FormRow

YES_NO = [(False, t("yesno.no")), (True, t("yesno.yes"))]


def text_input(name: str, placeholder: str = "", max_length: int = 100, **kw) -> FormInput:
    return FormInput(placeholder=placeholder, id=f"f-{name}", compact=True, max_length=max_length,
                     select_on_focus=False, **kw)


def completion_input(name: str, placeholder: str, choices, max_length: int = 100) -> CompletionInput:
    return CompletionInput(placeholder=placeholder, id=f"f-{name}", compact=True, max_length=max_length,
                           select_on_focus=False, choices=choices)


VEHICLE_FLAGS = ("disinfected", "live_poultry", "illegal_passengers")


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
    """The vehicle: plate, type, occupants, and its three flags as one row of check boxes."""

    def compose(self) -> ComposeResult:
        yield FormRow(t("field.plate"), text_input("plate", t("ui.plate_hint"), 16), name="plate")
        yield FormRow(t("field.vehicle_type"), ChoiceField(
            [(k, t(f"vehicle_type.{k}")) for k in VEHICLE_TYPES], id="f-vehicle_type"), name="vehicle_type")
        yield FormRow(t("field.occupants"), text_input("occupants", t("ui.occupants_hint"), 3,
                                                      restrict=r"[0-9]*"), name="occupants")
        yield FormRow(t("field.vehicle_flags"), ChoiceField(
            [(k, t(f"field.{k}")) for k in VEHICLE_FLAGS], multi=True, id="f-vehicle_flags"), name="vehicle_flags")

    def read(self) -> VehicleForm:
        flags = set(self.control("vehicle_flags").value)
        return VehicleForm(plate=self.text("plate"), vehicle_type=self.control("vehicle_type").value,
                           occupants=self.text("occupants"), disinfected="disinfected" in flags,
                           live_poultry="live_poultry" in flags,
                           illegal_passengers="illegal_passengers" in flags)

    def fill(self, form: VehicleForm) -> None:
        self.control("plate").value = form.plate
        self.control("vehicle_type").set_value(form.vehicle_type)
        self.control("occupants").value = form.occupants
        self.control("vehicle_flags").set_value(tuple(k for k in VEHICLE_FLAGS if getattr(form, k)))

    def clear(self) -> None:
        self.fill(VehicleForm())
        self.clear_messages()


class PersonFields(FieldGroup):
    """The person's part, in the order of 一问二测三登记 at the barrier: the document (it says the
    type, age and sex), who, where from and where they live, then the temperature and the disposition. Rows that don't
    apply (age, where, re-measure, reason) are hidden; messages and notes sit beside their field."""

    info_rows = {"doc_no", "disposition"}

    def __init__(self, health_code: bool = False, id: str | None = None,
                 origin_choices=None, village_choices=None) -> None:
        super().__init__(id=id)
        self.health_code = health_code
        self.origin_choices = origin_choices
        self.village_choices = village_choices

    def compose(self) -> ComposeResult:
        yield FormRow(t("field.doc_no"), text_input("doc_no", t("ui.doc_no_hint"), 30), name="doc_no")
        yield FormRow(t("field.doc_type"), ChoiceField(
            [(k, t(f"doc_type.{k}")) for k in DOC_TYPES], id="f-doc_type"), name="doc_type")
        yield FormRow(t("field.age"), text_input("age", t("ui.age_hint"), 3, restrict=r"[0-9]*"), name="age")
        yield FormRow(t("field.name"), text_input("name", "", 40), name="name")
        yield FormRow(t("field.phone"), text_input("phone", t("ui.phone_hint"), 20), name="phone")
        yield FormRow(t("field.origin"), completion_input("origin", t("ui.origin_hint"), self.origin_choices),
                      name="origin")
        yield FormRow(t("field.key_area_travel"), ChoiceField(YES_NO, False, id="f-key_area_travel"),
                      name="key_area_travel")
        yield FormRow(t("field.travel_where"), text_input("travel_where"), name="travel_where")
        yield FormRow(t("field.address"), completion_input("address", t("ui.address_hint"), self.village_choices),
                      name="address")
        yield FormRow(t("field.resident"), ChoiceField(YES_NO, False, id="f-resident"), name="resident")
        yield FormRow(t("field.purpose"), ChoiceField(
            [("", "-")] + [(k, t(f"purpose.{k}")) for k in policy.PURPOSES], "", id="f-purpose"), name="purpose")
        yield FormRow(t("field.destination"), text_input("destination", t("ui.destination_hint")), name="destination")
        yield FormRow(t("field.direction"), ChoiceField(
            [(k, t(f"direction.{k}")) for k in DIRECTIONS], id="f-direction"), name="direction")
        yield FormRow(t("field.temp_method"), ChoiceField(
            [(k, t(f"temp_method.{k}")) for k in METHODS], id="f-temp_method"), name="temp_method")
        yield FormRow(t("field.temp"), text_input("temp", t("ui.temp_hint"), 6, restrict=r"[0-9.。]*"), name="temp")
        yield FormRow(t("field.recheck_method"), ChoiceField(
            [(k, t(f"temp_method.{k}")) for k in METHODS[:-1]], id="f-recheck_method"), name="recheck_method")
        yield FormRow(t("field.recheck_temp"), text_input("recheck_temp", t("ui.temp_hint"), 6,
                                                          restrict=r"[0-9.。]*"), name="recheck_temp")
        yield FormRow(t("field.not_measured_reason"), text_input("not_measured_reason", t("ui.no_device")),
                      name="not_measured_reason")
        yield FormRow(t("field.symptoms"), ChoiceField(
            [(k, t(f"symptom.{k}")) for k in policy.SYMPTOMS], multi=True, id="f-symptoms"), name="symptoms")
        if self.health_code:
            yield FormRow(t("field.health_code"), ChoiceField(
                [("", "-")] + [(k, t(f"health_code.{k}")) for k in policy.HEALTH_CODES if k], "",
                id="f-health_code"), name="health_code")
        yield FormRow(t("field.disposition"), ChoiceField(
            [(k, t(f"disposition.{k}")) for k in policy.DISPOSITIONS], allow_none=True, id="f-disposition"),
            name="disposition")

    def on_mount(self) -> None:
        super().on_mount()
        self.follow_temp_method()
        self.update_visibility(None)

    def follow_temp_method(self) -> None:
        """The re-measure is taken another way than the first reading, unless chosen by hand."""
        recheck = self.control("recheck_method")
        if not recheck.has_focus:
            recheck.set_value(RECHECK_METHOD[self.control("temp_method").value])

    def read(self) -> PersonForm:
        has_recheck = self.row("recheck_temp").display and bool(self.text("recheck_temp").strip())
        return PersonForm(
            name=self.text("name"), doc_type=self.control("doc_type").value, doc_no=self.text("doc_no"),
            phone=self.text("phone"), address=self.text("address"), resident=self.control("resident").value,
            origin=self.text("origin"), key_area_travel=self.control("key_area_travel").value,
            travel_where=self.text("travel_where"), purpose=self.control("purpose").value,
            destination=self.text("destination"), symptoms=tuple(self.control("symptoms").value),
            health_code=self.control("health_code").value if self.health_code else "",
            temp=self.text("temp"), temp_method=self.control("temp_method").value,
            not_measured_reason=self.text("not_measured_reason"), recheck_temp=self.text("recheck_temp"),
            recheck_method=self.control("recheck_method").value if has_recheck else "",
            direction=self.control("direction").value, disposition=self.control("disposition").value or "",
            age=self.text("age") if self.control("doc_type").value == "none" else "",
            disposition_source="confirmed" if self.control("disposition").confirmed_suggestion else "")

    def is_blank(self) -> bool:
        f = self.read()
        return not (f.name.strip() or f.doc_no.strip() or f.phone.strip() or f.temp.strip() or f.age.strip())

    def fill(self, form: PersonForm, *, keep_disposition: bool = False) -> None:
        for name in ("name", "doc_no", "phone", "address", "origin", "travel_where", "destination", "temp",
                     "not_measured_reason", "recheck_temp", "age"):
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
        self.control("recheck_method").set_value(form.recheck_method or RECHECK_METHOD[form.temp_method])
        if not keep_disposition:
            disposition = self.control("disposition")
            disposition.set_value(form.disposition or None)
            disposition.confirmed_suggestion = form.disposition_source == "confirmed" and bool(form.disposition)

    def update_visibility(self, needs_recheck: bool | None) -> None:
        method = self.control("temp_method").value
        self.row("temp").display = method != "none"
        self.row("not_measured_reason").display = method == "none"
        recheck = self.row("recheck_temp")
        if needs_recheck is not None:
            recheck.display = needs_recheck or bool(self.text("recheck_temp"))
        self.row("recheck_method").display = recheck.display and method != "none"
        self.row("travel_where").display = bool(self.control("key_area_travel").value)
        self.row("age").display = self.control("doc_type").value == "none"
