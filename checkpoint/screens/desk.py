"""The registration desk (一问二测三登记): the vehicle, then each person, then Save.

Keyboard flow, in the order staff work: Enter moves to the next field; an empty plate jumps to
the person; a known ID number fills the person in and jumps to the temperature; a temperature
of 37.3 or more asks for the re-measure; the disposition shows the policy's suggestion, which
the person confirms with Enter (or picks another). F2 adds the next person of the same vehicle,
Ctrl+S saves the vehicle and all its persons in one transaction.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from checkpoint.domain import temperature
from checkpoint.domain.policy import disposition_label
from checkpoint.domain.registration import PersonCheck, PersonForm, check_person, check_vehicle
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import export, ledger, registration, review
from checkpoint.store.shifts import open_shift as current_shift
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.entry_list import EntryList
from checkpoint.widgets.registration_fields import PersonFields, VehicleFields
from checkpoint.widgets.key_footer import KeyFooter

LIST_LIMIT = 50
# Fields whose value carries over to the next person: a lane usually faces one way, one thermometer.
CARRIED = ("direction", "temp_method")
# The person's fields a person types into (the choices always have a value).
TYPED_FIELDS = ("name", "doc_no", "phone", "address", "origin", "travel_where", "destination", "temp",
                "not_measured_reason", "recheck_temp")


class DeskScreen(Screen):
    BINDINGS = [
        Binding("ctrl+s,f10", "save", t("ui.key_save")),
        Binding("f2", "next_person", t("ui.key_next")),
        Binding("f3", "take_back", t("ui.key_undo"), show=False),
        Binding("ctrl+r", "clear", t("ui.key_clear"), show=False),
        Binding("f4", "open_staff", t("ui.key_staff"), show=False),
        Binding("f5", "open_policy", t("ui.key_policy"), show=False),
        Binding("f6", "open_check", t("ui.key_check")),
        Binding("f7", "open_issue", t("ui.key_issue")),
        Binding("f8", "open_shift", t("ui.key_shift")),
        Binding("f9", "open_review", t("review.title")),
    ]
    HELP_TOPIC = "desk"
    # who may do what, for the command palette (the actions check again with app.require)
    ACTION_NEEDS = {"open_staff": "staff.manage", "open_policy": "policy.edit", "open_check": "pass.check",
                    "open_issue": "pass.issue", "open_shift": "shift.lead", "open_review": "review.read"}

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[PersonForm] = []
        self.touched: set[str] = set()
        self.resident_set_by_hand = False
        self.ctx = None

    # ---- building -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="topbar", markup=False)
        yield Static(t("shift.no_shift_banner"), id="banner", markup=False)
        yield Static("", id="signoff-banner", markup=False)
        yield Static("", id="export-banner", markup=False)
        with Vertical(id="desk-body"):
            with VerticalScroll(id="form-scroll"):
                yield Static(t("ui.vehicle_section"), classes="section")
                yield VehicleFields(id="vehicle")
                yield Static("", id="person-title", classes="section", markup=False)
                yield Static("", id="pending", markup=False)
                yield PersonFields(health_code=self.app.health_code_enabled, id="person")
            yield EntryList(id="entry-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        # The banners follow the clock (the report cut-off, a new day) while the desk stays open.
        self.set_interval(60, self.refresh_account)
        self.refresh_context()
        self.refresh_account()
        self.refresh_titles()
        self.refresh_list()
        self.recheck()
        self.query_one("#f-plate", Input).focus()

    @property
    def person(self) -> PersonFields:
        return self.query_one("#person", PersonFields)

    @property
    def vehicle(self) -> VehicleFields:
        return self.query_one("#vehicle", VehicleFields)

    def refresh_context(self) -> None:
        self.ctx = registration.context(self.app.store)

    def refresh_account(self) -> None:
        station, account = self.app.station, self.app.account
        shift = current_shift(self.app.store)
        shift_text = t("ui.topbar_shift", id=shift["id"], kind=t(f"shift.kind_{shift['kind']}")) if shift else ""
        self.query_one("#topbar", Static).update(t(
            "ui.topbar", station=station.name, township=station.township,
            role=account.role_label if account else "", user=account.name if account else "") + shift_text)
        self.query_one("#banner", Static).display = shift is None
        try:
            unsigned = review.unsigned_yesterday(self.app.store, self.app.now())
        except CheckpointError:
            unsigned = None
        try:
            due = export.report_due(self.app.store, self.app.now())
        except CheckpointError:
            due = None
        banner = self.query_one("#export-banner", Static)
        banner.display = due is not None
        if due:
            banner.update(t("export.due_banner", day=due))
        signoff = self.query_one("#signoff-banner", Static)
        signoff.display = unsigned is not None
        if unsigned:
            signoff.update(t("review.unsigned_banner", day=unsigned))

    def refresh_titles(self) -> None:
        self.query_one("#person-title", Static).update(t("ui.person_section", number=len(self.pending) + 1))
        pending = self.query_one("#pending", Static)
        pending.display = bool(self.pending)
        pending.update(t("ui.pending", persons="  ".join(
            f"{i}.{p.name} {p.temp or '-'} {disposition_label(p.disposition)}"
            for i, p in enumerate(self.pending, 1))))

    def refresh_list(self) -> None:
        """This shift's latest entries and counts; the day's when no shift is open."""
        store = self.app.store
        try:
            shift = current_shift(store)
            if shift is not None:
                title = t("ui.shift_label", id=shift["id"], kind=t(f"shift.kind_{shift['kind']}"))
                self.query_one(EntryList).show(title, ledger.shift_counts(store, shift["id"]),
                                               ledger.shift_lines(store, shift["id"], LIST_LIMIT))
                return
            day = ledger.today(store, self.app.now())
            self.query_one(EntryList).show(day, ledger.day_counts(store, day),
                                           ledger.day_lines(store, day, LIST_LIMIT, newest_first=True))
        except CheckpointError as exc:
            self.notify(exc.message, severity="error")

    # ---- checking as the person types ----------------------------------------------------------
    def recheck(self) -> PersonCheck:
        if self.ctx is None:
            self.refresh_context()
        person = self.person
        if not self.resident_set_by_hand:
            auto = bool(self.ctx.township) and self.ctx.township in person.text("address")
            resident = person.control("resident")
            if resident.value != auto:
                resident.set_value(auto)
        form = person.read()
        result = check_person(form, self.ctx)
        if "temp" in self.touched:
            self.touched.add("recheck_temp")  # a fever asks for the re-measure at once
        person.update_visibility(result.fever.status != temperature.NORMAL)
        person.show_problems(result.problems, self.touched)
        disposition = person.control("disposition")
        if result.suggestion is not None:
            disposition.set_suggested(result.suggestion.disposition)
            if "disposition" not in self.touched or not any(p.field == "disposition" and p.is_error and
                                                            p.key != "disposition.required" for p in result.problems):
                kind = "warning" if result.fever.confirmed else "info"
                person.row("disposition").show(t("ui.suggestion", disposition=disposition_label(
                    result.suggestion.disposition), reason=result.suggestion.reason), kind)
        if result.fever.status == temperature.FEVER and "recheck_temp" in self.touched:
            person.row("recheck_temp").show(t("temp.fever_confirmed", limit=self.ctx.fever_at), "warning")
        elif result.fever.status == temperature.CLEARED:
            person.row("recheck_temp").show(t("temp.fever_cleared"), "info")
        return result

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        if name in ("plate", "occupants"):
            self.check_vehicle_fields(touch={name})
            return
        self.recheck()  # a field's problems show once the person has left it, then live

    def on_descendant_blur(self, event) -> None:
        name = (getattr(event, "widget", None) and event.widget.id or "").removeprefix("f-")
        if name and name != "disposition" and self.person.has_field(name):
            self.touched.add(name)
            self.recheck()

    @on(ChoiceField.Changed)
    def _chosen(self, event: ChoiceField.Changed) -> None:
        name = (event.field.id or "").removeprefix("f-")
        if name == "resident" and event.field.has_focus:
            self.resident_set_by_hand = True
        if name == "disposition" and event.value is not None:
            self.touched.add("disposition")
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
        value = getattr(widget, "value", None)
        self.touched.add(name)
        if name == "plate" and not str(value or "").strip():
            self.focus_field("doc_no")
            return
        if name == "doc_no" and self.fill_returning(str(value or "")):
            self.focus_field("temp")
            return
        result = self.recheck()
        if name == "temp":
            self.focus_field("recheck_temp" if result.fever.status != temperature.NORMAL else "disposition")
        elif name in ("recheck_temp", "not_measured_reason"):
            self.focus_field("disposition")
        elif name == "temp_method" and value == "none":
            self.focus_field("not_measured_reason")
        elif name != "disposition":
            self.focus_next()

    def focus_field(self, name: str) -> None:
        widget = self.query_one(f"#f-{name}")
        self.set_focus(widget)  # now, not later: the next key typed belongs to this field
        row = self.query(f"#row-{name}")
        if row:
            # the message line under the field must be in view too
            self.call_after_refresh(row.first().scroll_visible, animate=False)

    def fill_returning(self, doc_no: str) -> bool:
        """Fill a person seen before from their last visit; True when found."""
        if self.person.text("name").strip():
            return False
        try:
            found = registration.returning_person(self.app.store, doc_no)
        except CheckpointError:
            return False
        if found is None:
            return False
        current = self.person.read()
        carried = {k: getattr(current, k) for k in CARRIED}
        form = found.person
        form.direction, form.temp_method = carried["direction"], carried["temp_method"]
        self.resident_set_by_hand = True
        self.person.fill(form)
        if found.vehicle and not self.pending and not self.vehicle.text("plate").strip():
            self.vehicle.fill(found.vehicle)
        self.touched |= {"name", "doc_no", "phone", "origin"}
        self.recheck()
        self.person.row("doc_no").show(t("ui.returning", when=found.last_seen), "info")
        return True

    # ---- persons of one vehicle -----------------------------------------------------------------
    def check_current(self) -> PersonCheck | None:
        """Check the person being typed, showing every problem; None when it can be saved."""
        person = self.person
        disposition = person.control("disposition")
        if disposition.has_focus and disposition.value is None:
            disposition.action_toggle()  # Save on the highlighted suggestion confirms it
        self.touched |= person.field_names()
        result = self.recheck()
        errors = result.errors
        if errors:
            first = errors[0]
            self.focus_field(first.field if person.has_field(first.field) else "doc_no")
            self.notify(t("ui.fix_first", field=t(f"field.{first.field}"), message=first.message),
                        severity="error")
            return result
        return None

    def action_next_person(self) -> None:
        if self.check_current() is not None:
            return
        self.pending.append(self.person.read())
        self.clear_person()
        self.refresh_titles()
        self.notify(t("ui.person_added", number=len(self.pending)))
        self.focus_field("doc_no")

    def action_take_back(self) -> None:
        if not self.pending:
            self.notify(t("ui.nothing_to_undo"), severity="warning")
            return
        form = self.pending.pop()
        self.person.fill(form)
        self.resident_set_by_hand = True
        self.refresh_titles()
        self.recheck()
        self.notify(t("ui.undo_person"))
        self.focus_field("doc_no")

    def clear_person(self) -> None:
        carried = self.person.read()
        self.person.fill(PersonForm(direction=carried.direction, temp_method=carried.temp_method))
        self.touched.clear()
        self.resident_set_by_hand = False
        self.person.clear_messages()
        self.recheck()

    def clear_all(self) -> None:
        self.pending.clear()
        self.vehicle.clear()
        self.clear_person()
        self.refresh_titles()
        self.focus_field("plate")

    def action_clear(self) -> None:
        from checkpoint.screens.confirm import ConfirmModal

        def answered(yes: bool | None) -> None:
            if yes:
                self.clear_all()

        self.app.push_screen(ConfirmModal(t("ui.clear_confirm"), danger=True), answered)

    # ---- saving ---------------------------------------------------------------------------------
    def nothing_typed(self) -> bool:
        """No vehicle, no person waiting, not a character in the person's fields."""
        return not self.pending and not self.vehicle.text("plate").strip() and not any(
            self.person.text(name).strip() for name in TYPED_FIELDS)

    def action_save(self) -> None:
        if self.nothing_typed():
            # Ctrl+S pressed twice, or again while the saved car drives off: say so, and leave the
            # keyboard where it is, so the next plate typed lands in the plate field.
            self.notify(t("desk.nothing_to_save"))
            return
        persons = list(self.pending)
        current_blank = self.person.is_blank() and bool(self.pending)
        if not current_blank:
            result = self.check_current()
            if result is not None:
                return
            persons.append(self.person.read())
        vehicle_errors = self.check_vehicle_fields(all_fields=True) if self.vehicle.text("plate").strip() else []
        if vehicle_errors:
            self.focus_field(vehicle_errors[0].field)
            self.notify(t("ui.vehicle_problem", message=vehicle_errors[0].message), severity="error")
            return
        fevers = [p for p in persons if check_person(p, self.ctx).fever.confirmed]
        if fevers:
            from checkpoint.screens.confirm import ConfirmModal

            p = fevers[0]
            self.app.alert()
            question = t("fever.confirm", value=p.recheck_temp, disposition=disposition_label(p.disposition))

            def answered(yes: bool | None) -> None:
                if yes:
                    self.save(persons)

            self.app.push_screen(ConfirmModal(question, danger=True), answered)
            return
        self.save(persons)

    def save(self, persons: list[PersonForm]) -> None:
        vehicle = self.vehicle.read()
        try:
            saved = registration.register(self.app.store, self.app.account, persons,
                                          vehicle if vehicle.present else None)
        except registration.PersonProblems as exc:
            first = exc.problems[0]
            self.notify(t("ui.fix_first", field=t(f"field.{first.field}"), message=first.message),
                        severity="error")
            return
        except CheckpointError as exc:
            self.notify(exc.message, severity="error", timeout=10)
            return
        plate = t("ui.saved_vehicle", plate=vehicle.plate.strip().upper()) if saved.vehicle_id else ""
        self.notify(t("ui.saved", count=len(saved.entry_ids), vehicle=plate))
        self.refresh_context()
        self.clear_all()
        self.refresh_list()

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
        screen = HandoverScreen() if current_shift(self.app.store) else ShiftStartScreen()
        self.app.push_screen(screen, done)

    def action_open_review(self) -> None:
        from checkpoint.screens.review import ReviewScreen

        if self.app.account is None:
            return
        if not review.may_review(self.app.store, self.app.account):
            self.notify(t("review.not_allowed"), severity="warning")
            return

        def back(_: object) -> None:
            self.refresh_account()
            self.refresh_list()

        self.app.push_screen(ReviewScreen(), back)
