"""The persons of one vehicle at the desk: adding the next person (carrying the car-level answers),
taking one back (F3), a person seen before filled from their last visit (their car offered, Ctrl+Y),
and clearing — never without asking when something typed would be lost."""

from __future__ import annotations

from checkpoint.domain import documents
from checkpoint.domain.registration import PersonCheck, PersonForm
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import registration

# Carried to the next person of the same vehicle: in one car they share these answers.
CAR_LEVEL = ("origin", "key_area_travel", "travel_where", "purpose", "destination", "direction", "temp_method")
# Carried from one registration to the next: a lane faces one way and has one thermometer.
LANE_LEVEL = ("direction", "temp_method")
# The person's fields a person types into (the choices always have a value).
TYPED_FIELDS = ("name", "doc_no", "phone", "address", "origin", "travel_where", "destination", "temp",
                "not_measured_reason", "recheck_temp", "age")


class VehiclePersons:
    """Part of DeskScreen (screens/desk.py): the persons waiting to be saved with one vehicle."""

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

    def nothing_typed(self) -> bool:
        """No vehicle, no person waiting, not a character in the person's fields."""
        return not self.pending and not self.vehicle.text("plate").strip() and not any(
            self.person.text(name).strip() for name in TYPED_FIELDS)
