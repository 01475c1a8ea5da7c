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
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from checkpoint.domain import contact, documents, temperature
from checkpoint.domain.policy import disposition_label
from checkpoint.domain.registration import (PersonCheck, PersonForm, VehicleForm, address_is_local,
                                            age_of, check_person, check_vehicle)
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import clock, export, ledger, places, registration, review, settings, shifts
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.completion_input import CompletionInput
from checkpoint.widgets.entry_list import EntryList
from checkpoint.widgets.key_footer import KeyFooter
from checkpoint.widgets.registration_fields import PersonFields, VehicleFields

LIST_LIMIT = 50
# Carried to the next person of the same vehicle: in one car they share these answers.
CAR_LEVEL = ("origin", "key_area_travel", "travel_where", "purpose", "destination", "direction", "temp_method")
# Carried from one registration to the next: a lane faces one way and has one thermometer.
LANE_LEVEL = ("direction", "temp_method")
# The person's fields a person types into (the choices always have a value).
TYPED_FIELDS = ("name", "doc_no", "phone", "address", "origin", "travel_where", "destination", "temp",
                "not_measured_reason", "recheck_temp", "age")


class DeskScreen(Screen):
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
        # back from a screen the palette opened (收班, 导出日报): no callback of ours ran
        self.refresh_account()
        self.refresh_list()

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

    def refresh_account(self) -> None:
        station, account, store = self.app.station, self.app.account, self.app.store
        shift = registration.open_shift_row(store)
        shift_text = t("ui.topbar_shift", id=shift["id"], kind=t(f"shift.kind_{shift['kind']}")) if shift else ""
        self.query_one("#topbar", Static).update(t(
            "ui.topbar", station=station.name, township=station.township,
            role=account.role_label if account else "", user=account.name if account else "") + shift_text)
        notices = [] if shift else [t("desk.notice_no_shift")]
        try:
            staffing = shifts.staffing_banner(store)
        except CheckpointError:
            staffing = None
        if staffing:
            notices.append(staffing)
        for check, key in ((review.unsigned_yesterday, "desk.notice_unsigned"), (export.report_due, "desk.notice_export")):
            try:
                day = check(store, self.app.now())
            except CheckpointError:
                day = None
            if day:
                notices.append(t(key, day=str(day)[5:]))  # MM-DD: the three fit one line at 80
        bar = self.query_one("#notices", Static)
        bar.display = bool(notices)
        bar.update(" │ ".join(notices))

    def refresh_bar(self) -> None:
        """The vehicle and the person number, above the form: always in view while typing."""
        vehicle = self.vehicle.read()
        number = len(self.pending) + 1
        occupants = vehicle.occupants.strip()
        who = t("desk.bar_person_of", number=number, of=occupants) if occupants.isdecimal() else \
            t("desk.bar_person", number=number)
        car = t("desk.bar_vehicle", plate=vehicle.plate.strip().upper(),
                kind=t(f"vehicle_type.{vehicle.vehicle_type}")) if vehicle.present else t("desk.bar_on_foot")
        done = "  ".join(f"{i}.{p.name} {self.temp_shown(p)} {disposition_label(p.disposition) if p.disposition else '?'}"
                         for i, p in enumerate(self.pending, 1))
        self.query_one("#person-bar", Static).update(f"{car} · {who}" + (f" │ {done}" if done else ""))

    @staticmethod
    def temp_shown(p: PersonForm) -> str:
        value, _ = temperature.parse_temperature(p.recheck_temp or p.temp)
        return str(value) if value is not None else "-"

    def status(self, text: str, kind: str = "info") -> None:
        line = self.query_one("#status", Static)
        line.set_classes(f"-{kind}")
        line.update(text)

    def refresh_list(self) -> None:
        """This shift's latest entries and counts; the day's when no shift is open."""
        store = self.app.store
        try:
            shift = registration.open_shift_row(store)
            if shift is not None:
                title = t("ui.shift_label", id=shift["id"], kind=t(f"shift.kind_{shift['kind']}"))
                self.query_one(EntryList).show(title, ledger.shift_counts(store, shift["id"]),
                                               ledger.shift_lines(store, shift["id"], LIST_LIMIT))
                return
            day = ledger.today(store, self.app.now())
            self.query_one(EntryList).show(day, ledger.day_counts(store, day),
                                           ledger.day_lines(store, day, LIST_LIMIT, newest_first=True))
        except CheckpointError as exc:
            self.status(exc.message, "error")

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

    def set_focus(self, widget, scroll_visible: bool = True, **kw) -> None:
        # Textual centres a newly focused widget with an animated scroll, which lags behind a fast
        # typist; the desk scrolls the field (and its message line) into view itself, at once.
        super().set_focus(widget, scroll_visible=False, **kw)

    def scroll_to_focus(self) -> None:
        focused = self.focused
        if focused is None:
            return
        row = next((a for a in focused.ancestors if a.id and a.id.startswith("row-")), None)
        (row or focused).scroll_visible(animate=False)
        self.call_after_refresh(self.place_cursor)

    def place_cursor(self) -> None:
        """Put the terminal's cursor where the focused field now is. (An Input places it when it
        gets the focus; a row shown or a scroll after that would leave it blinking on another
        row than the one typed into.)"""
        focused = self.focused
        if self.app.screen is not self or focused is None:
            return
        if isinstance(focused, Input):
            self.app.cursor_position = focused.cursor_screen_offset
        elif isinstance(focused, ChoiceField):
            self.app.cursor_position = focused.content_region.offset

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

    # ---- Enter moves on -------------------------------------------------------------------------
    def field_submitted(self, widget) -> None:
        """Enter in a field (called at once by the field, see widgets.keyflow): where to go next."""
        name = (widget.id or "").removeprefix("f-")
        value = str(getattr(widget, "value", "") or "")
        if name == self.jumped_to and not value.strip():
            self.jumped_to = None   # the Enter after a whole ID or mobile number: already moved on
            return
        self.jumped_to = None
        self.touched.add(name)
        if name in ("plate", "vehicle_type", "occupants", "vehicle_flags"):
            if self.check_vehicle_fields(touch={name}):
                return
            self.focus_field("doc_no" if name in ("plate", "vehicle_flags") else None)
            return
        if name == "doc_no":
            self.document_entered(value)
            return
        if name == "disposition":
            self.disposition_entered()
            return
        result = self.recheck()
        if any(p.field == name and p.is_error for p in result.problems):
            self.call_after_refresh(self.scroll_to_focus)  # stays; its message, now shown, in view
            return
        self.focus_field(self.next_on_path(name, result))

    def next_on_path(self, name: str, result: PersonCheck) -> str | None:
        """The field after `name` for a person as the barrier sees most: None = the next shown.

        Persons after the first of a vehicle skip where-from and key-area travel (carried from the
        one before, shown above); a person without a document skips the phone; a healthy person
        goes from the temperature straight to the disposition."""
        form = self.person.read()
        measure = "not_measured_reason" if form.temp_method == "none" else "temp"
        carried = bool(self.pending) and bool(form.origin.strip())
        asked = "address" if carried else "origin"
        if name == "doc_type":
            return "age" if form.doc_type == "none" else ("doc_no" if not form.doc_no.strip() else "name")
        if name == "age":
            return "name"
        if name == "name":
            return "phone" if form.doc_type != "none" else asked
        if name == "phone":
            return asked
        if name == "origin":
            return "key_area_travel"
        if name == "key_area_travel":
            return "travel_where" if form.key_area_travel else "address"
        if name == "travel_where":
            return "address"
        if name in ("address", "temp_method"):
            return measure
        if name == "temp":
            return "recheck_temp" if result.fever.status != temperature.NORMAL else "disposition"
        if name in ("recheck_temp", "recheck_method"):
            return "symptoms" if result.fever.confirmed else "disposition"
        if name in ("not_measured_reason", "health_code"):
            return "disposition"
        if name == "symptoms":
            return "health_code" if self.person.has_field("health_code") else "disposition"
        return None

    def focus_field(self, name: str | None, jumped: bool = False) -> None:
        if name is None:
            self.focus_next()
            return
        widget = self.query_one(f"#f-{name}")
        self.set_focus(widget)  # now, not later: the next key typed belongs to this field
        self.jumped_to = name if jumped else None
        self.call_after_refresh(self.scroll_to_focus)

    def field_typed(self, widget) -> None:
        """A key changed a field: a whole resident ID or mobile number moves on by itself."""
        if self.filling:
            return
        name = (widget.id or "").removeprefix("f-")
        value = str(widget.value or "")
        if name == "doc_no" and len(documents.normalize_doc_number(value)) == 18 and \
                documents.type_by_shape(value) == "resident-id" and not self.doc_type_by_hand and \
                not [p for p in documents.check_resident_id(value, self.ctx.today) if p.is_error]:
            self.touched.add("doc_no")
            self.document_entered(value, jumped=True)
        elif name == "phone" and contact.is_complete_mobile(value):
            self.touched.add("phone")
            result = self.recheck()
            self.focus_field(self.next_on_path("phone", result), jumped=True)

    def document_entered(self, value: str, jumped: bool = False) -> None:
        """The number decides what it can: its type, an age instead of a number, a person seen before."""
        person = self.person
        number = documents.normalize_doc_number(value)
        shape = documents.type_by_shape(number)
        doc_type = person.control("doc_type")
        if not number or shape == "none":
            if not self.doc_type_by_hand or doc_type.value == "none":
                doc_type.set_value("none")
                self.filling = True
                try:
                    person.control("doc_no").value = ""
                    person.control("age").value = str(documents.typed_age(number)) if shape == "none" else ""
                finally:
                    self.filling = False
                person.row("doc_no").show("")
                self.recheck()
                self.focus_field("name")
                return
        elif shape and not self.doc_type_by_hand and doc_type.value != shape:
            doc_type.set_value(shape)
        result = self.recheck()
        if any(p.field in ("doc_no", "doc_type") and p.is_error for p in result.problems):
            self.focus_field("doc_no")
            return
        if self.fill_returning(number):
            self.focus_field("temp" if person.control("temp_method").value != "none" else "not_measured_reason",
                             jumped=jumped)
            return
        self.focus_field("name", jumped=jumped)

    def disposition_entered(self) -> None:
        """Enter on the disposition confirms it; then the next person of a vehicle, or save."""
        disposition = self.person.control("disposition")
        if disposition.value is None:
            return
        self.touched.add("disposition")
        result = self.recheck()
        if result.errors:
            self.check_current()
            return
        if self.vehicle.read().present:
            self.action_next_person()
        else:
            self.action_save()

    def fill_returning(self, doc_no: str) -> bool:
        """Fill a person seen before from their last visit; True when found. Their last vehicle is
        offered (Ctrl+Y), never attached: today they may be on foot."""
        if self.person.text("name").strip():
            return False
        try:
            found = registration.returning_person(self.app.store, doc_no)
        except CheckpointError:
            return False
        if found is None:
            return False
        current = self.person.read()
        form = found.person
        for name in LANE_LEVEL + (CAR_LEVEL if self.pending else ()):
            setattr(form, name, getattr(current, name))
        self.filling = True
        try:
            self.resident_set_by_hand = True
            self.person.fill(form)
        finally:
            self.filling = False
        how = t(f"direction.{found.last_direction}") if found.last_direction else ""
        if found.vehicle is not None:
            plate = found.vehicle.plate
            self.returning_note = t("desk.returning_car", when=found.last_seen, plate=plate, direction=how)
            if not self.pending and not self.vehicle.read().present:
                self.offered_vehicle = found.vehicle
                self.returning_note += t("desk.offer_vehicle", plate=plate)
        else:
            self.returning_note = t("desk.returning_foot", when=found.last_seen, direction=how)
        self.returning_for = documents.normalize_doc_number(doc_no)
        self.touched |= {"name", "doc_no", "phone", "origin"}
        self.recheck()
        # also in the status line: the cursor jumps to the temperature, the number scrolls away
        self.status(self.returning_note + t("desk.returning_check"))
        return True

    def forget_returning(self) -> None:
        if self.returning_note:
            self.person.row("doc_no").show("")
        self.returning_note, self.returning_for, self.offered_vehicle = "", "", None

    def action_use_last_vehicle(self) -> None:
        vehicle = self.offered_vehicle
        if vehicle is None or self.vehicle.read().present:
            self.status(t("desk.no_vehicle_offered"), "warning")
            return
        self.vehicle.fill(vehicle)
        self.forget_returning()
        self.refresh_bar()
        self.recheck()
        self.status(t("desk.vehicle_taken", plate=vehicle.plate))

    # ---- persons of one vehicle -----------------------------------------------------------------
    def check_current(self) -> PersonCheck | None:
        """Check the person being typed, showing every problem; None when it can be saved."""
        person = self.person
        self.touched |= person.field_names()
        result = self.recheck()
        errors = result.errors
        if errors:
            first = errors[0]
            self.focus_field(first.field if person.has_field(first.field) else "doc_no")
            self.status(t("ui.fix_first", field=t(f"field.{first.field}"), message=first.message), "error")
            return result
        return None

    def action_next_person(self) -> None:
        if self.check_current() is not None:
            return
        self.pending.append(self.person.read())
        self.clear_person(carry=CAR_LEVEL)
        self.refresh_bar()
        self.status(t("desk.person_added", number=len(self.pending), next=len(self.pending) + 1))
        self.focus_field("doc_no")

    def action_take_back(self) -> None:
        """F3: the last person added comes back into the form; one being typed takes its place
        (swapped, never overwritten — F3 again swaps back)."""
        if not self.pending:
            self.status(t("ui.nothing_to_undo"), "warning")
            return
        back = self.pending.pop()
        if not self.person.is_blank():
            self.pending.append(self.person.read())
        self.load_person(back)
        self.refresh_bar()
        self.status(t("desk.taken_back", name=back.name or "?"))
        self.focus_field("doc_no")

    def load_person(self, form: PersonForm) -> None:
        self.filling = True
        try:
            self.person.fill(form)
        finally:
            self.filling = False
        self.resident_set_by_hand = True
        self.doc_type_by_hand = True
        self.forget_returning()
        self.touched = set(self.person.field_names())
        self.recheck()

    def clear_person(self, carry: tuple[str, ...] = LANE_LEVEL) -> None:
        current = self.person.read()
        fresh = PersonForm(**{name: getattr(current, name) for name in carry})
        self.filling = True
        try:
            self.person.fill(fresh)
        finally:
            self.filling = False
        self.touched.clear()
        self.resident_set_by_hand = False
        self.doc_type_by_hand = False
        self.forget_returning()
        self.jumped_to = None
        self.person.clear_messages()
        self.recheck()

    def clear_all(self) -> None:
        self.pending.clear()
        self.vehicle.clear()
        self.clear_person()
        self.refresh_bar()
        self.focus_field("plate")

    def holds_typed_input(self) -> bool:
        """Something typed that is not saved yet (the app asks before quitting or switching user)."""
        return not self.nothing_typed()

    def action_clear(self) -> None:
        from checkpoint.screens.confirm import ConfirmModal

        if self.nothing_typed():
            self.clear_all()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.clear_all()
                self.status(t("desk.cleared"))

        self.app.push_screen(ConfirmModal(t("ui.clear_confirm"), danger=True, default_no=True), answered)

    # ---- saving ---------------------------------------------------------------------------------
    def nothing_typed(self) -> bool:
        """No vehicle, no person waiting, not a character in the person's fields."""
        return not self.pending and not self.vehicle.text("plate").strip() and not any(
            self.person.text(name).strip() for name in TYPED_FIELDS)

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

    # ---- other screens --------------------------------------------------------------------------
    def action_open_staff(self) -> None:
        from checkpoint.screens.staff import StaffScreen

        if self.app.require("staff.manage"):
            self.app.push_screen(StaffScreen())

    def action_open_policy(self) -> None:
        from checkpoint.screens.policy import PolicyScreen

        def changed(_: object) -> None:
            self.refresh_context()
            self.recheck()

        if self.app.require("policy.edit"):
            self.app.push_screen(PolicyScreen(), changed)

    def action_open_check(self) -> None:
        from checkpoint.screens.check import CheckScreen

        if self.app.require("pass.check"):
            self.app.push_screen(CheckScreen())

    def action_open_issue(self) -> None:
        from checkpoint.screens.pass_issue import PassIssueScreen

        self.app.push_screen(PassIssueScreen())

    def action_open_shift(self) -> None:
        """F8: start a shift when none is open, otherwise the handover."""
        from checkpoint.screens.shift import HandoverScreen, ShiftStartScreen

        def done(_: object) -> None:
            self.refresh_account()
            self.refresh_list()  # the list follows the new shift

        if not self.app.require("shift.lead"):
            return
        screen = HandoverScreen() if registration.open_shift_row(self.app.store) else ShiftStartScreen()
        self.app.push_screen(screen, done)

    def action_open_review(self) -> None:
        from checkpoint.screens.review import ReviewScreen

        if self.app.account is None:
            return
        if not review.may_review(self.app.store, self.app.account):
            self.status(t("review.not_allowed"), "warning")
            return

        def back(_: object) -> None:
            self.refresh_account()
            self.refresh_list()

        self.app.push_screen(ReviewScreen(), back)
