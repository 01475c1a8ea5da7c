"""The desk's Enter path: which field comes next for the traveller the barrier sees most, what a
whole ID or mobile number decides by itself, and keeping the focused field and the terminal's
cursor in view. The rules it asks (a fever, a valid ID, the age) are the domain's."""

from __future__ import annotations

from textual.widgets import Input

from checkpoint.domain import contact, documents, temperature
from checkpoint.domain.registration import PersonCheck
from checkpoint.widgets.choice import ChoiceField


class EnterPath:
    """Part of DeskScreen (screens/desk.py): where Enter and a completed number move the focus."""

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
                documents.type_by_shape(value) == "resident-id" and not self.doc_type_by_hand:
            self.touched.add("doc_no")   # all 18 typed: a wrong check digit is said now, not after Enter
            if [p for p in documents.check_resident_id(value, self.ctx.today) if p.is_error]:
                self.recheck()
            else:
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
