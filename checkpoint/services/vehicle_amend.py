"""Correcting a vehicle in the review, as persons are corrected: plate, type, occupants and the
three flags (disinfected, live poultry, illegal passengers), checked by the desk's rules, with a
reason. The original row stays; a `vehicle_amendments` row keeps what changed (old and new), who,
when and why, and the vehicle's values after it, which every reader takes (`vehicles_now`)."""

from __future__ import annotations

import json

from checkpoint.domain import registration, search
from checkpoint.domain.registration import VehicleForm
from checkpoint.errors import FieldProblems, InputError
from checkpoint.i18n import t
from checkpoint.domain import clock
from checkpoint.services.accounts import Account, require
from checkpoint.services.amendment import Amendment, Change
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import review as review_store
from checkpoint.store import vehicles as vehicle_store
from checkpoint.store.definitions import VEHICLE_AMENDABLE

MAX_REASON = 200


def show_value(column: str, value: object) -> str:
    """A vehicle value in words: 轿车, 是/否, the plate as written."""
    if column == "vehicle_type":
        return t(f"vehicle_type.{value}")
    if column in ("disinfected", "live_poultry", "illegal_passengers"):
        return t("yesno.yes") if value else t("yesno.no")
    return "-" if value in (None, "") else str(value)


def vehicle_now(store: Store, vehicle_id: int) -> dict:
    """The vehicle as it stands (corrections applied). Raises InputError when there is none."""
    row = vehicle_store.now(store, vehicle_id)
    if row is None:
        raise InputError("dayclose.no_vehicle", id=vehicle_id)
    return row


def vehicle_form(store: Store, vehicle_id: int) -> VehicleForm:
    """The vehicle as the form holds it, to correct."""
    row = vehicle_now(store, vehicle_id)
    return VehicleForm(plate=row["plate"], vehicle_type=row["vehicle_type"],
                       occupants="" if row["occupants"] is None else str(row["occupants"]),
                       disinfected=bool(row["disinfected"]), live_poultry=bool(row["live_poultry"]),
                       illegal_passengers=bool(row["illegal_passengers"]))


def history(store: Store, vehicle_id: int) -> list[Amendment]:
    """The vehicle's corrections, oldest first, each change in words.
    Raises DatabaseError when the station is not set up."""
    tz = require_station(store).tz
    out = []
    for a in vehicle_store.amendments(store, vehicle_id):
        changes = json.loads(a["changes"])
        out.append(Amendment(
            at=clock.local(a["at"], tz).strftime("%Y-%m-%d %H:%M"), staff=a.get("staff_name") or "",
            reason=a["reason"], after_signoff=bool(a["after_signoff"]),
            changes=tuple(Change(t(f"field.{f}"), show_value(f, changes[f][0]), show_value(f, changes[f][1]))
                          for f in VEHICLE_AMENDABLE if f in changes)))   # in the form's order
    return out


def amend_vehicle(store: Store, account: Account, vehicle_id: int, form: VehicleForm, reason: str) -> tuple[str, ...]:
    """Correct a vehicle with the desk's checks and a reason; returns the fields changed.

    Raises RefusedError when `account` may not amend, FieldProblems for values the desk would
    refuse, InputError for no reason, a long one, no such vehicle, or nothing changed; nothing is
    written then."""
    require(account, "entry.amend")
    reason = (reason or "").strip()
    if not reason:
        raise InputError("review.reason_required", field="reason")
    if len(reason) > MAX_REASON:
        raise InputError("review.reason_too_long", field="reason", limit=MAX_REASON)
    current = vehicle_now(store, vehicle_id)
    persons = vehicle_store.person_count(store, vehicle_id)
    checked, problems = registration.check_vehicle(form, current["direction"], max(persons, 1))
    errors = [p for p in problems if p.is_error]
    if errors or checked is None:
        raise FieldProblems(errors)
    new = {"plate": checked.plate, "vehicle_type": checked.vehicle_type,
           "occupants": int(form.occupants) if form.occupants.strip() else current["occupants"],
           "disinfected": int(checked.disinfected), "live_poultry": int(checked.live_poultry),
           "illegal_passengers": int(checked.illegal_passengers)}
    changes = {c: [current[c], new[c]] for c in VEHICLE_AMENDABLE if current[c] != new[c]}
    if not changes:
        raise InputError("review.nothing_changed")
    after = review_store.signoff(store, current["local_day"]) is not None
    terms = ""
    if "plate" in changes:   # the review's search finds the vehicle's persons by the corrected plate too
        terms = search.entry_terms("", "", "", new["plate"])
    with store.write():
        vehicle_store.insert_amendment(store, vehicle_id, changes, new, reason, account.id, after, terms)
    return tuple(changes)
