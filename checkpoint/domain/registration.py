"""The 一问二测三登记 form as values: what a person typed, checked field by field.

`check_person` and `check_vehicle` turn raw text into clean records plus the problems found, in
form order, so the desk can show each one beside its field and the CLI can print the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from checkpoint.domain import contact, documents, places, plates, policy, temperature
from checkpoint.domain.problems import Problem, error, errors_only, warning

DIRECTIONS = ("in", "out")
VEHICLE_TYPES = ("car", "truck", "bus", "van", "motorcycle", "tricycle", "tractor", "other")
NAME_MAX = 40
NAME_PLAUSIBLE = 10   # Chinese names are 2–4 characters; a minority name with "·" may be longer
AGE_MAX = 120
TEXT_MAX = 100
MAX_OCCUPANTS = 99


@dataclass
class PersonForm:
    """What was typed for one person, as text (UI) or options (CLI)."""

    name: str = ""
    doc_type: str = "resident-id"
    doc_no: str = ""
    phone: str = ""
    address: str = ""
    resident: bool | None = None
    origin: str = ""
    key_area_travel: bool = False
    travel_where: str = ""
    purpose: str = ""
    destination: str = ""
    symptoms: tuple[str, ...] = ()
    health_code: str = ""
    temp: str = ""
    temp_method: str = "forehead"
    not_measured_reason: str = ""
    recheck_temp: str = ""
    recheck_method: str = ""      # empty: another method than the first (temperature.RECHECK_METHOD)
    direction: str = "in"
    disposition: str = ""
    age: str = ""                 # typed for a person without a document (a child)
    # "confirmed" only when the officer accepted the suggestion shown to them (Enter on ★); the
    # desk says so, the service checks it still matches the suggestion when saving.
    disposition_source: str = ""


@dataclass
class VehicleForm:
    plate: str = ""
    vehicle_type: str = "car"
    occupants: str = ""
    disinfected: bool = False
    live_poultry: bool = False
    illegal_passengers: bool = False

    @property
    def present(self) -> bool:
        return bool(self.plate.strip())


@dataclass(frozen=True)
class Person:
    """A checked person, ready to store."""

    name: str
    doc_type: str
    doc_no: str
    phone: str
    address: str
    resident: bool
    origin: str
    key_area_travel: bool
    travel_where: str
    purpose: str
    destination: str
    symptoms: tuple[str, ...]
    health_code: str
    temp: Decimal | None
    temp_method: str
    not_measured_reason: str
    recheck_temp: Decimal | None
    fever: bool
    direction: str
    disposition: str
    suggested: str
    suggestion_reason: str
    policy_version: int
    recheck_method: str = ""
    age: int | None = None


@dataclass(frozen=True)
class Vehicle:
    plate: str
    vehicle_type: str
    occupants: int | None
    disinfected: bool
    live_poultry: bool
    illegal_passengers: bool
    direction: str


@dataclass(frozen=True)
class Context:
    today: dt.date
    township: str = ""
    policy: policy.Policy = field(default_factory=policy.Policy)
    fever_at: Decimal = temperature.FEVER_AT
    health_code_enabled: bool = False
    villages: tuple[str, ...] = ()    # the station's own villages: an address there is 本镇


@dataclass
class PersonCheck:
    person: Person | None
    problems: list[Problem]
    suggestion: policy.Suggestion | None
    fever: temperature.FeverCheck

    @property
    def errors(self) -> list[Problem]:
        return errors_only(self.problems)


def is_resident(form: PersonForm, township: str, villages: tuple[str, ...] = ()) -> bool:
    if form.resident is not None:
        return form.resident
    return address_is_local(form.address, township, villages)


def address_is_local(address: str, township: str, villages: tuple[str, ...] = ()) -> bool:
    """An address in the township (its name, or one of the station's villages, in it)."""
    address = (address or "").strip()
    if not address:
        return False
    if township and township in address:
        return True
    village = places.village_of(address)
    return bool(village) and village in villages or address in villages


def _text(field_name: str, value: str, required: bool, limit: int = TEXT_MAX) -> list[Problem]:
    v = (value or "").strip()
    if required and not v:
        return [error(field_name, f"{field_name}.required")]
    if len(v) > limit:
        return [error(field_name, "text.too_long", limit=limit)]
    if v and not v.isprintable():
        return [error(field_name, "text.unprintable")]
    return []


def check_name(name: str) -> list[Problem]:
    """A name is refused only when empty, too long or unprintable; one that looks wrong (digits,
    Latin mixed into Chinese, a long run of characters) is saved after a warning: real names
    surprise, and the person at the barrier is the one who can check the card."""
    n = (name or "").strip()
    if not n:
        return [error("name", "name.required")]
    if len(n) > NAME_MAX:
        return [error("name", "text.too_long", limit=NAME_MAX)]
    if not n.isprintable():
        return [error("name", "name.format")]
    han = sum(1 for c in n if "\u3400" <= c <= "\u9fff")
    latin = any(c.isascii() and c.isalpha() for c in n)
    long_han = han > NAME_PLAUSIBLE and "·" not in n and "•" not in n
    if any(c.isdigit() for c in n) or (han and latin) or long_han:
        return [warning("name", "name.odd")]
    return []


def check_age(form: PersonForm) -> list[Problem]:
    """The age typed for a person without a document: whole years, 0 to 120."""
    raw = (form.age or "").strip()
    if not raw:
        return []
    if form.doc_type != "none":
        return [error("age", "age.with_document")]
    if not raw.isdecimal() or int(raw) > AGE_MAX:
        return [error("age", "age.range", limit=AGE_MAX)]
    return []


def age_of(form: PersonForm, today: dt.date) -> int | None:
    """The age read from the resident ID, or the one typed for a person without a document."""
    born = documents.birth_date(form.doc_type, form.doc_no)
    if born is not None:
        return documents.age_on(born, today)
    raw = (form.age or "").strip()
    return int(raw) if raw.isdecimal() else None


def check_person(form: PersonForm, ctx: Context) -> PersonCheck:
    """Check every field; the person is built only when there is no error."""
    problems: list[Problem] = []
    # The desk's order: the document is scanned first, then the name.
    problems += documents.check_document(form.doc_type, form.doc_no, ctx.today)
    problems += check_age(form)
    problems += check_name(form.name)
    problems += contact.check_phone(form.phone, required=form.doc_type != "none")
    problems += _text("address", form.address, required=False)
    problems += _text("origin", form.origin, required=True)
    if any(c.isdigit() for c in form.origin or ""):
        problems.append(warning("origin", "origin.odd"))   # a scanner's burst, a temperature typed here
    problems += _text("travel_where", form.travel_where, required=form.key_area_travel)
    if form.purpose and form.purpose not in policy.PURPOSES:
        problems.append(error("purpose", "choice.unknown", value=form.purpose))
    problems += _text("destination", form.destination, required=False)
    bad_symptoms = [s for s in form.symptoms if s not in policy.SYMPTOMS]
    if bad_symptoms:
        problems.append(error("symptoms", "choice.unknown", value=",".join(bad_symptoms)))
    if form.health_code not in policy.HEALTH_CODES:
        problems.append(error("health_code", "choice.unknown", value=form.health_code))
    if form.direction not in DIRECTIONS:
        problems.append(error("direction", "choice.unknown", value=form.direction))

    temp = recheck = None
    if form.temp_method not in temperature.METHODS:
        problems.append(error("temp_method", "choice.unknown", value=form.temp_method))
    elif form.temp_method == "none":
        if form.temp.strip():
            problems.append(error("temp", "temp.not_measured_has_value"))
        problems += _text("not_measured_reason", form.not_measured_reason, required=True)
    else:
        temp, temp_problems = temperature.parse_temperature(form.temp, "temp")
        problems += temp_problems
        if form.recheck_temp.strip():
            recheck, recheck_problems = temperature.parse_temperature(form.recheck_temp, "recheck_temp")
            problems += recheck_problems
        if form.recheck_method and form.recheck_method not in temperature.METHODS[:-1]:
            problems.append(error("recheck_method", "choice.unknown", value=form.recheck_method))
    fever = temperature.fever_status(temp, recheck, ctx.fever_at)
    if fever.status == temperature.NEEDS_RECHECK:
        problems.append(error("recheck_temp", "temp.recheck_needed", value=temp, limit=ctx.fever_at))

    resident = is_resident(form, ctx.township, ctx.villages)
    suggestion = policy.suggest(ctx.policy, policy.Facts(
        resident=resident, origin=form.origin, travel_where=form.travel_where,
        key_area_travel=form.key_area_travel, symptoms=tuple(form.symptoms),
        health_code=form.health_code, fever_confirmed=fever.confirmed))
    disposition = form.disposition
    if not disposition:
        problems.append(error("disposition", "disposition.required", suggestion=policy.disposition_label(suggestion.disposition)))
    elif disposition not in policy.DISPOSITIONS:
        problems.append(error("disposition", "choice.unknown", value=disposition))
    elif fever.confirmed and disposition not in policy.FEVER_DISPOSITIONS:
        problems.append(error("disposition", "fever.disposition"))

    if errors_only(problems):
        return PersonCheck(None, problems, suggestion, fever)
    person = Person(
        name=form.name.strip(), doc_type=form.doc_type,
        doc_no=documents.normalize_doc_number(form.doc_no), phone=contact.normalize_phone(form.phone),
        address=form.address.strip(), resident=resident, origin=form.origin.strip(),
        key_area_travel=form.key_area_travel, travel_where=form.travel_where.strip(),
        purpose=form.purpose, destination=form.destination.strip(), symptoms=tuple(form.symptoms),
        health_code=form.health_code if ctx.health_code_enabled or form.health_code else "",
        temp=temp, temp_method=form.temp_method, not_measured_reason=form.not_measured_reason.strip(),
        recheck_temp=recheck, fever=fever.confirmed, direction=form.direction,
        disposition=disposition, suggested=suggestion.disposition,
        suggestion_reason=suggestion.reason, policy_version=ctx.policy.version,
        recheck_method=(form.recheck_method or temperature.RECHECK_METHOD[form.temp_method]) if recheck else "",
        age=age_of(form, ctx.today))
    return PersonCheck(person, problems, suggestion, fever)


def check_vehicle(form: VehicleForm, direction: str, persons: int) -> tuple[Vehicle | None, list[Problem]]:
    problems = plates.check_plate(form.plate)
    if form.vehicle_type not in VEHICLE_TYPES:
        problems.append(error("vehicle_type", "choice.unknown", value=form.vehicle_type))
    occupants: int | None = None
    raw = (form.occupants or "").strip()
    if raw:
        if not raw.isdecimal() or not 1 <= int(raw) <= MAX_OCCUPANTS:
            problems.append(error("occupants", "occupants.range", limit=MAX_OCCUPANTS))
        else:
            occupants = int(raw)
            if occupants < persons:
                problems.append(warning("occupants", "occupants.fewer", persons=persons))
    if errors_only(problems):
        return None, problems
    return Vehicle(plate=plates.normalize_plate(form.plate), vehicle_type=form.vehicle_type,
                   occupants=occupants if occupants is not None else persons,
                   disinfected=form.disinfected, live_poultry=form.live_poultry,
                   illegal_passengers=form.illegal_passengers, direction=direction), problems

