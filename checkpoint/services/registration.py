"""The registration desk's use cases: check a form, register a vehicle with its persons in one
transaction, recognise a returning person, and the day's list and counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from checkpoint.domain import documents, registration, search
from checkpoint.domain.problems import Problem
from checkpoint.domain.registration import Context, PersonCheck, PersonForm, VehicleForm
from checkpoint.errors import FieldProblems, InputError, RefusedError
from checkpoint.domain import clock
from checkpoint.services import places, settings
from checkpoint.services.accounts import Account, require
from checkpoint.services.policy import current_policy
from checkpoint.services.station import Station, require_station
from checkpoint.store import Store
from checkpoint.store import entries as entries_store
from checkpoint.store import villages as village_store
from checkpoint.store.shifts import open_shift

# Problems that are a rule refusing (exit 1), not a typing error (exit 2).
RULE_KEYS = {"temp.recheck_needed", "fever.disposition"}


def current_shift_id(store: Store) -> int | None:
    """The open shift's id, or None when no shift is open."""
    row = open_shift(store)
    return row["id"] if row else None


def open_shift_row(store: Store) -> dict | None:
    """The open shift (id, kind, ...) the desk registers into, or None when none is open."""
    return open_shift(store)


class RuleRefusal(RefusedError):
    def __init__(self, problem: Problem, person_index: int = 0) -> None:
        self.problem = problem
        self.person_index = person_index
        super().__init__(problem.key, field=problem.field, **dict(problem.params))


class PersonProblems(FieldProblems):
    def __init__(self, problems: list[Problem], person_index: int = 0) -> None:
        self.person_index = person_index
        super().__init__(problems)


@dataclass(frozen=True)
class Saved:
    vehicle_id: int | None
    entry_ids: tuple[int, ...]
    fevers: int


def context(store: Store, today: dt.date | None = None, station: Station | None = None) -> Context:
    """What the desk's checks need to know about this station: today (in its zone, unless given),
    its township and villages, the policy, whether the 健康码 is asked. Raises DatabaseError when
    the station is not set up."""
    station = station or require_station(store)
    today = today or clock.local(clock.utc_now(), station.tz).date()
    return Context(today=today, township=station.township, policy=current_policy(store),
                   health_code_enabled=settings.health_code_enabled(store),
                   villages=village_store.names(store))


def check_at_station(store: Store, form: PersonForm, ctx: Context | None = None) -> PersonCheck:
    """The desk's checks of one filled-in form against this station (its township, villages,
    policy, today), or against `ctx` when given. Returns the PersonCheck (errors, warnings, the
    checked person); raises nothing for a bad form, DatabaseError when the station is not set up."""
    return registration.check_person(form, ctx or context(store))


def register(store: Store, by: Account, persons: list[PersonForm], vehicle: VehicleForm | None = None,
             *, accept_suggestion: bool = False, now: dt.datetime | None = None) -> Saved:
    """Save a vehicle (optional) and its persons in one transaction.

    `accept_suggestion` fills an empty disposition with the policy's suggestion (the CLI, when no
    --disposition is given; recorded as 'suggested'). A disposition is recorded as 'confirmed' only
    when the form says the officer confirmed the suggestion shown (the desk's Enter on ★) and it is
    still the suggestion now; any other is 'chosen'. Residents' villages are learnt for the desk's
    completion. Returns the ids saved. Raises RuleRefusal when a rule refuses (fever without
    re-measure, fever released), PersonProblems for wrong fields; nothing is written in either case.
    """
    require(by, "register")
    if not persons:
        raise InputError("register.no_persons")
    station = require_station(store)
    now = now or clock.utc_now()
    ctx = context(store, clock.local(now, station.tz).date(), station)
    checked: list[tuple[registration.Person, str]] = []
    for index, form in enumerate(persons):
        source = "chosen"
        result = registration.check_person(form, ctx)
        if accept_suggestion and not form.disposition and result.suggestion:
            form = replace(form, disposition=result.suggestion.disposition)
            result = registration.check_person(form, ctx)
            source = "suggested"
        elif (form.disposition_source == "confirmed" and result.suggestion
              and form.disposition == result.suggestion.disposition):
            source = "confirmed"
        if result.errors:
            rule = next((p for p in result.errors if p.key in RULE_KEYS), None)
            if rule is not None:
                raise RuleRefusal(rule, index)
            raise PersonProblems(result.errors, index)
        assert result.person is not None
        checked.append((result.person, source))
    direction = checked[0][0].direction
    vehicle_row = None
    if vehicle is not None and vehicle.present:
        v, problems = registration.check_vehicle(vehicle, direction, len(checked))
        errors = [p for p in problems if p.is_error]
        if errors or v is None:
            raise PersonProblems(errors, -1)
        vehicle_row = v
    recorded_at = now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    day = clock.local_day(now, station.tz)
    plate = vehicle_row.plate if vehicle_row is not None else ""
    # the search words (pinyin) before the write lock: the other lanes wait while it is held
    terms = [search.entry_terms(p.name, p.doc_no, p.phone, plate) for p, _ in checked]
    with store.write():
        shift_id = current_shift_id(store)
        vehicle_id = None
        if vehicle_row is not None:
            vehicle_id = entries_store.insert_vehicle(store, {
                "recorded_at": recorded_at, "local_day": day, "staff_id": by.id, "shift_id": shift_id,
                "plate": vehicle_row.plate, "vehicle_type": vehicle_row.vehicle_type,
                "occupants": vehicle_row.occupants, "disinfected": int(vehicle_row.disinfected),
                "live_poultry": int(vehicle_row.live_poultry),
                "illegal_passengers": int(vehicle_row.illegal_passengers),
                "direction": vehicle_row.direction})
        ids = tuple(entries_store.insert_entry(
            store, _entry_row(p, source, by, recorded_at, day, vehicle_id, shift_id), words)
            for (p, source), words in zip(checked, terms))
        places.learn_from(store, [p.address for p, _ in checked if p.resident])
    return Saved(vehicle_id, ids, sum(1 for p, _ in checked if p.fever))


def _entry_row(p: registration.Person, source: str, by: Account, recorded_at: str, day: str,
               vehicle_id: int | None, shift_id: int | None) -> dict:
    return {
        "recorded_at": recorded_at, "local_day": day, "staff_id": by.id, "shift_id": shift_id,
        "vehicle_id": vehicle_id, "name": p.name, "doc_type": p.doc_type, "doc_no": p.doc_no,
        "phone": p.phone, "address": p.address, "resident": int(p.resident), "origin": p.origin,
        "key_area_travel": int(p.key_area_travel), "travel_where": p.travel_where,
        "purpose": p.purpose, "destination": p.destination, "symptoms": ",".join(p.symptoms),
        "health_code": p.health_code, "temp": float(p.temp) if p.temp is not None else None,
        "temp_method": p.temp_method, "not_measured_reason": p.not_measured_reason,
        "recheck_temp": float(p.recheck_temp) if p.recheck_temp is not None else None,
        "fever": int(p.fever), "direction": p.direction, "disposition": p.disposition,
        "suggested": p.suggested, "suggestion_reason": p.suggestion_reason,
        "disposition_source": source, "policy_version": p.policy_version,
        "recheck_method": p.recheck_method or None,
        "age": p.age if p.doc_type == "none" else None}  # an ID says the age itself


@dataclass(frozen=True)
class Returning:
    """What the desk fills in for a person seen before."""

    person: PersonForm
    vehicle: VehicleForm | None   # the car of the last visit: offered by the desk, never attached
    last_seen: str
    last_direction: str = ""


def returning_person(store: Store, doc_no: str) -> Returning | None:
    """What the desk fills in for a person seen before, found by document number (the last entry
    with it), or None for a number never seen or no number.
    Raises DatabaseError when the station is not set up."""
    number = documents.normalize_doc_number(doc_no)
    if not number:
        return None
    row = entries_store.last_by_document(store, number)
    if row is None:
        return None
    person = PersonForm(
        name=row["name"], doc_type=row["doc_type"], doc_no=row["doc_no"], phone=row["phone"],
        address=row["address"], resident=bool(row["resident"]), origin=row["origin"],
        purpose=row["purpose"], destination=row["destination"], direction=row["direction"])
    vehicle = None
    if row.get("vehicle_plate"):
        vehicle = VehicleForm(plate=row["vehicle_plate"], vehicle_type=row["vehicle_type"] or "car")
    station = require_station(store)
    seen = clock.local(row["recorded_at"], station.tz)
    this_year = seen.year == clock.local(clock.utc_now(), station.tz).year
    return Returning(person, vehicle, seen.strftime("%m-%d %H:%M" if this_year else "%Y-%m-%d %H:%M"),
                     row["direction"])


def typed_form(form: PersonForm, typed: dict[str, object]) -> PersonForm:
    """`form` with what was typed for it on the command line (`register`, `amend`), keyed by
    PersonForm's field names except: `symptoms`, a comma list (，too); `travel_where`, the key areas
    passed through (key-area travel is yes when it names one); `not_measured`, why the temperature
    was not taken, which makes the method "none" and the temperature empty unless one is typed;
    `disposition`, any name parse_disposition knows ("" chooses none). Returns a new PersonForm;
    raises InputError (disposition.unknown) for a disposition it does not know."""
    from checkpoint.domain.policy import parse_disposition

    fields = dict(typed)
    if fields.get("disposition"):
        fields["disposition"] = parse_disposition(str(fields["disposition"])) or ""
        if not fields["disposition"]:
            raise InputError("disposition.unknown", field="disposition", value=typed["disposition"])
    if "symptoms" in fields:
        fields["symptoms"] = tuple(s.strip() for s in str(fields["symptoms"]).replace("，", ",").split(",")
                                   if s.strip())
    if "travel_where" in fields:
        fields["key_area_travel"] = bool(str(fields["travel_where"]).strip())
    if "not_measured" in fields:
        fields["not_measured_reason"] = reason = fields.pop("not_measured")
        if reason:
            fields["temp_method"] = "none"
            fields.setdefault("temp", "")
    return replace(form, **fields)
