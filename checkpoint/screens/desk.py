"""The registration desk (一问二测三登记): the vehicle, then each person, then Save.

Enter moves along the path a healthy traveller needs — document, name, phone, address, where from,
key-area travel, temperature, disposition — and never past a required field that is wrong: it stays
and says why. What carries no information costs no key: a whole resident ID or mobile number moves
on by itself (an Enter that follows it is absorbed), the ID sets the document type, an empty number
means no document (a child; one or two digits are its age), the persons of one vehicle carry the
car-level answers of the one before them, visibly. The disposition shows the policy's suggestion
(★) once the facts it rests on are typed; Enter confirms it — and then saves a person on foot, or
starts the next person of a vehicle (Ctrl+S saves the whole vehicle).

Where the officer is stays plain: the focused field's label is highlighted and scrolled into view,
the bar above the form names the vehicle and the person number, save messages go to the status line
under the form (no toast covers the list), and nothing typed is lost without a question.

The screen is one class in five modules, each a job: this one builds the form, checks the person as
they are typed and saves; desk_path.py the Enter path, desk_persons.py the persons of one vehicle,
desk_header.py the lines around the form, desk_navigation.py the other screens. This one is just over
300 lines: building, checking and saving share the form's state.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from checkpoint.domain import clock, documents, temperature
from checkpoint.domain.policy import disposition_label
from checkpoint.domain.registration import (PersonCheck, PersonForm, VehicleForm, address_is_local, age_of,
                                            check_person, check_vehicle)
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.screens.desk_header import DeskHeader
from checkpoint.screens.desk_navigation import DeskNavigation
from checkpoint.screens.desk_path import EnterPath
from checkpoint.screens.desk_persons import VehiclePersons
from checkpoint.services import places, registration, settings
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.entry_list import EntryList
from checkpoint.widgets.key_footer import KeyFooter
from checkpoint.widgets.registration_fields import PersonFields, VehicleFields


class DeskScreen(DeskHeader, EnterPath, VehiclePersons, DeskNavigation, Screen):
    BINDINGS = [
        Binding("ctrl+s,f10", "save", t("ui.key_save")),
        Binding("f2", "next_person", t("ui.key_next")),
        Binding("f3", "take_back", t("ui.key_undo"), show=False),
        Binding("ctrl+y", "use_last_vehicle", t("desk.key_last_vehicle"), show=False),
        Binding("ctrl+r", "clear", t("ui.key_clear"), show=False),
        Binding("f4", "open_staff", t("ui.key_staff"), show=False),
        Binding("f5", "open_policy", t("ui.key_policy"), show=False),
        Binding("f6", "open_check", t("ui.key_check")),
        Binding("f7", "open_issue", t("ui.key_issue")),
        Binding("f8", "open_shift", t("ui.key_shift")),
        Binding("f9", "open_review", t("review.title")),
    ]
    HELP_TOPIC = "desk"
    ARROWS_MOVE_FOCUS = True  # ↑/↓ go to the previous/next field (widgets.keyflow)
    # who may do what, for the command palette (the actions check again with app.require)
    ACTION_NEEDS = {"open_staff": "staff.manage", "open_policy": "policy.edit", "open_check": "pass.check",
                    "open_issue": "pass.issue", "open_shift": "shift.lead", "open_review": "review.read"}

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[PersonForm] = []
        self.touched: set[str] = set()
        self.resident_set_by_hand = False
        self.doc_type_by_hand = False
        self.jumped_to: str | None = None      # a field reached without Enter, not typed in yet
        self.offered_vehicle: VehicleForm | None = None
        self.returning_note = ""
        self.returning_for = ""
        self.filling = False
        self.ctx = None
        self.place_lists = places.PlaceLists()

    # ---- building -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="topbar", markup=False)
        yield Static("", id="notices", markup=False)
        yield Static("", id="person-bar", markup=False)
        with VerticalScroll(id="form-scroll", can_focus=False):
            yield Static(t("ui.vehicle_section"), classes="section")
            yield VehicleFields(id="vehicle")
            yield Static(t("desk.person_section"), classes="section", id="person-title")
            yield PersonFields(health_code=self.app.health_code_enabled, id="person",
                               origin_choices=self.origin_choices, village_choices=self.village_choices)
        yield Static("", id="status", markup=False)
        yield EntryList(id="entry-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        # The notices follow the clock (the report cut-off, a new day) while the desk stays open.
        self.set_interval(60, self.refresh_account)
        self.refresh_context()
        self.refresh_account()
        self.refresh_bar()
        self.refresh_list()
        self.recheck()
        self.focus_field("plate")

    def on_screen_resume(self) -> None:
        # back from a screen the palette opened (收班, 导出日报), or shown from beneath the login:
        # no callback of ours ran, and the terminal's cursor is still where that screen left it
        self.refresh_account()
        self.refresh_list()
        self.call_after_refresh(self.place_cursor)

    @property
    def person(self) -> PersonFields:
        return self.query_one("#person", PersonFields)

    @property
    def vehicle(self) -> VehicleFields:
        return self.query_one("#vehicle", VehicleFields)

    def origin_choices(self, text: str) -> list[str]:
        return places.origin_choices(text, self.place_lists)

    def village_choices(self, text: str) -> list[str]:
        return places.village_choices(text, self.place_lists)

    def refresh_context(self) -> None:
        self.ctx = registration.context(self.app.store)
        self.place_lists = places.lists(self.app.store)

    # ---- checking as the person types ----------------------------------------------------------
    def recheck(self) -> PersonCheck:
        if self.ctx is None:
            self.refresh_context()
        person = self.person
        form = person.read()
        if not self.resident_set_by_hand:
            auto = address_is_local(form.address, self.ctx.township, self.ctx.villages)
            resident = person.control("resident")
            if resident.value != auto:
                resident.set_value(auto)
                form = person.read()
        result = check_person(form, self.ctx)
        if "temp" in self.touched:
            self.touched.add("recheck_temp")  # a fever asks for the re-measure at once
        person.update_visibility(result.fever.status != temperature.NORMAL)
        person.show_problems(result.problems, self.touched)
        self.show_document(form)
        address = person.row("address")
        address.aside(t("who.resident") if form.resident else (t("who.outsider") if form.address.strip() else ""))
        disposition = person.control("disposition")
        ready = self.suggestion_ready(form, result)
        disposition.set_suggested(result.suggestion.disposition if ready and result.suggestion else None)
        row = person.row("disposition")
        errors_here = [p for p in result.problems if p.field == "disposition" and p.is_error
                       and p.key != "disposition.required"]
        if errors_here and "disposition" in self.touched:
            row.show(errors_here[0].message, "error")
        elif ready and result.suggestion:
            kind = "warning" if result.fever.confirmed else "info"
            row.show(t("desk.suggestion", disposition=disposition_label(result.suggestion.disposition),
                       reason=result.suggestion.reason), kind)
        else:
            row.show(t("desk.suggestion_waits"), "info")
        self.call_after_refresh(self.place_cursor)   # rows shown or hidden move the fields
        if result.fever.status == temperature.FEVER and "recheck_temp" in self.touched:
            person.row("recheck_temp").show(t("temp.fever_confirmed", limit=self.ctx.fever_at), "warning")
        elif result.fever.status == temperature.CLEARED:
            person.row("recheck_temp").show(t("temp.fever_cleared"), "info")
        return result

    @staticmethod
    def suggestion_ready(form: PersonForm, result: PersonCheck) -> bool:
        """The suggestion rests on where from and the temperature: shown once both are typed."""
        fields = {p.field for p in result.errors}
        measured = (form.temp_method == "none" and "not_measured_reason" not in fields) or \
                   (form.temp_method != "none" and "temp" not in fields and "recheck_temp" not in fields)
        return measured and bool(form.origin.strip()) and "origin" not in fields

    def disposition_hint(self) -> str:
        """What Enter on the disposition will do, said in the status line while it has the focus."""
        return t("desk.enter_next") if self.vehicle.read().present else t("desk.enter_save")

    def show_document(self, form: PersonForm) -> None:
        """Beside the number: what it is, and the age and sex it says (a child, an elderly person)."""
        row = self.person.row("doc_no")
        parts = []
        if form.doc_type == "none":
            parts.append(t("doc_type.none"))
        elif documents.normalize_doc_number(form.doc_no):
            parts.append(t(f"doc_type.{form.doc_type}"))
        age = age_of(form, self.ctx.today)
        if age is not None:
            parts.append(t("desk.age", age=age))
            if age < documents.CHILD_UNDER:
                parts.append(t("desk.child"))
            elif age >= documents.ELDERLY_FROM:
                parts.append(t("desk.elderly"))
        sex = documents.sex_of(form.doc_type, form.doc_no)
        if sex:
            parts.append(t(f"desk.sex_{sex}"))
        row.aside(" · ".join(parts))
        if self.returning_note:
            row.show(self.returning_note, "info")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        if name == self.jumped_to and event.value:
            self.jumped_to = None
        if name in ("plate", "occupants"):
            self.check_vehicle_fields(touch={name})
            self.refresh_bar()
            return
        if name == "doc_no" and self.returning_for != documents.normalize_doc_number(event.value):
            self.forget_returning()   # another number now: what the last one brought no longer holds
        self.recheck()  # a field's problems show once the person has left it, then live

    def on_descendant_blur(self, event) -> None:
        # Left with something in it: its problems show from now on. (Left empty, it says nothing
        # until Enter or Save: a fresh form after a save carries no stale "required".)
        widget = getattr(event, "widget", None)
        name = (widget and widget.id or "").removeprefix("f-")
        if name and name != "disposition" and self.person.has_field(name) and \
                str(getattr(widget, "value", "") or "").strip():
            self.touched.add(name)
            self.recheck()

    def on_descendant_focus(self, event) -> None:
        # The field and its message line in view, at once: the next key belongs to what is seen.
        self.call_after_refresh(self.scroll_to_focus)
        if getattr(event.widget, "id", "") == "f-disposition":
            self.status(self.disposition_hint())

    @on(ChoiceField.Changed)
    def _chosen(self, event: ChoiceField.Changed) -> None:
        name = (event.field.id or "").removeprefix("f-")
        if name == "resident" and event.field.has_focus:
            self.resident_set_by_hand = True
        if name == "doc_type" and event.field.has_focus:
            self.doc_type_by_hand = True
            if event.value == "none" and not self.person.text("doc_no").strip():
                self.person.row("doc_no").show("")   # no number is what "no document" means
        if name == "disposition" and event.value is not None:
            self.touched.add("disposition")
        if name == "vehicle_type":
            self.refresh_bar()
        if name == "temp_method":
            self.person.follow_temp_method()
        if self.is_mounted:
            self.recheck()

    def check_vehicle_fields(self, touch: set[str] = frozenset(), all_fields: bool = False) -> list:
        form = self.vehicle.read()
        _, problems = check_vehicle(form, self.person.control("direction").value, max(1, len(self.pending) + 1))
        touched = {"plate", "occupants", "vehicle_type"} if all_fields else set(touch) | {
            n for n in ("plate", "occupants") if self.vehicle.text(n)}
        self.vehicle.show_problems(problems, touched)
        return [p for p in problems if p.is_error]

    # ---- saving ---------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.nothing_typed():
            # Ctrl+S pressed twice, or again while the saved car drives off: say so, and leave the
            # keyboard where it is, so the next plate typed lands in the plate field.
            self.status(t("desk.nothing_to_save"))
            return
        persons = list(self.pending)
        if not (self.person.is_blank() and self.pending):
            if self.check_current() is not None:
                return
            persons.append(self.person.read())
        vehicle_errors = self.check_vehicle_fields(all_fields=True) if self.vehicle.text("plate").strip() else []
        if vehicle_errors:
            self.focus_field(vehicle_errors[0].field)
            self.status(t("ui.vehicle_problem", message=vehicle_errors[0].message), "error")
            return
        fevers = [p for p in persons if check_person(p, self.ctx).fever.confirmed]
        if fevers:
            self.confirm_fever(fevers[0], persons)
            return
        self.save(persons)

    def confirm_fever(self, p: PersonForm, persons: list[PersonForm]) -> None:
        """Ask once more, saying what happens next (the station's instruction), with the bell."""
        from checkpoint.screens.confirm import ConfirmModal

        self.app.alert()
        try:
            instruction = settings.fever_instruction(self.app.store) or t("fever.next_default")
        except CheckpointError:
            instruction = t("fever.next_default")
        question = t("desk.fever_confirm", value=self.temp_shown(p), disposition=disposition_label(p.disposition),
                     next=instruction)

        def answered(yes: bool | None) -> None:
            if yes:
                self.save(persons)

        self.app.push_screen(ConfirmModal(question, danger=True), answered)

    def save(self, persons: list[PersonForm]) -> None:
        vehicle = self.vehicle.read()
        try:
            saved = registration.register(self.app.store, self.app.account, persons,
                                          vehicle if vehicle.present else None)
        except registration.PersonProblems as exc:
            first = exc.problems[0]
            if 0 <= exc.person_index < len(self.pending):  # a person added earlier: back in the form
                wrong = self.pending.pop(exc.person_index)
                if not self.person.is_blank():
                    self.pending.append(self.person.read())
                self.load_person(wrong)
                self.refresh_bar()
            self.status(t("ui.fix_first", field=t(f"field.{first.field}"), message=first.message), "error")
            if self.person.has_field(first.field):
                self.focus_field(first.field)
            return
        except CheckpointError as exc:
            self.status(exc.message, "error")
            return
        plate = t("ui.saved_vehicle", plate=vehicle.plate.strip().upper()) if saved.vehicle_id else ""
        self.refresh_context()
        self.clear_all()
        self.refresh_list()
        at = clock.local(self.app.now(), self.app.station.tz).strftime("%H:%M")
        self.status(t("desk.saved", time=at, count=len(saved.entry_ids), vehicle=plate), "saved")
