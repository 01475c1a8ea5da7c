"""Correcting an entry and flagging it for follow-up. Nothing is overwritten: an amendment is a
new row (old and new values, who, when, why), a flag raised or cleared is a new row, and opening the
full form is audited as an unmasking."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from checkpoint.domain import registration, search
from checkpoint.domain.registration import PersonForm
from checkpoint.errors import InputError
from checkpoint.services.accounts import Account, require
from checkpoint.services.registration import RULE_KEYS, PersonProblems, RuleRefusal, context
from checkpoint.store import Store, audit
from checkpoint.store import entries as entries_store
from checkpoint.store import review as review_store
from checkpoint.store.definitions import AMENDABLE

MAX_NOTE = 200
MAX_REASON = 200


def _entry(store: Store, entry_id: int) -> dict:
    row = review_store.entry_now(store, entry_id)
    if row is None:
        raise InputError("review.no_entry", id=entry_id)
    return row


def _said(text: str, field: str, limit: int) -> str:
    # why an entry is corrected, or flagged: required, and short (review.reason_* / review.note_*)
    value = (text or "").strip()
    if not value:
        raise InputError(f"review.{field}_required", field=field)
    if len(value) > limit:
        raise InputError(f"review.{field}_too_long", field=field, limit=limit)
    return value


def amendment_form(store: Store, entry_id: int) -> PersonForm:
    """The entry as it stands (amendments applied), as the desk's form holds it. Raises InputError
    (review.no_entry) for an unknown id."""
    row = _entry(store, entry_id)
    return PersonForm(
        name=row["name"], doc_type=row["doc_type"], doc_no=row["doc_no"], phone=row["phone"],
        address=row["address"], resident=bool(row["resident"]), origin=row["origin"],
        key_area_travel=bool(row["key_area_travel"]), travel_where=row["travel_where"], purpose=row["purpose"],
        destination=row["destination"], symptoms=tuple(s for s in row["symptoms"].split(",") if s),
        health_code=row["health_code"], temp="" if row["temp"] is None else f"{row['temp']:.1f}",
        temp_method=row["temp_method"], not_measured_reason=row["not_measured_reason"],
        recheck_temp="" if row["recheck_temp"] is None else f"{row['recheck_temp']:.1f}",
        direction=row["direction"], disposition=row["disposition"])


def entry_day(store: Store, entry_id: int) -> str:
    """The day (YYYY-MM-DD) entry `entry_id` was made. Raises InputError for an unknown id."""
    row = _entry(store, entry_id)
    return row["local_day"]


def open_for_amend(store: Store, account: Account, entry_id: int) -> PersonForm:
    """The form for the amend screen: it shows the full ID and phone, so opening it is audited
    as an unmasking. Raises RefusedError when `account` may not amend, InputError for an unknown id."""
    require(account, "entry.amend")
    form = amendment_form(store, entry_id)
    with store.write():
        audit.append(store, "entry.unmask", account.id, "entries", entry_id,
                     detail={"fields": ["doc_no", "phone"], "for": "amend"})
    return form


@dataclass(frozen=True)
class Amended:
    """What `amend` saved: the entry, the fields changed, whether after the day's sign-off."""

    entry_id: int
    fields: tuple[str, ...]
    after_signoff: bool


def _values(p: registration.Person) -> dict:
    return {"name": p.name, "doc_type": p.doc_type, "doc_no": p.doc_no, "phone": p.phone, "address": p.address,
            "resident": int(p.resident), "origin": p.origin, "key_area_travel": int(p.key_area_travel),
            "travel_where": p.travel_where, "purpose": p.purpose, "destination": p.destination,
            "symptoms": ",".join(p.symptoms), "health_code": p.health_code,
            "temp": float(p.temp) if p.temp is not None else None, "temp_method": p.temp_method,
            "not_measured_reason": p.not_measured_reason,
            "recheck_temp": float(p.recheck_temp) if p.recheck_temp is not None else None,
            "fever": int(p.fever), "direction": p.direction, "disposition": p.disposition}


def check_amendment(store: Store, entry_id: int, form: PersonForm) -> registration.PersonCheck:
    """The desk's checks of `form`, on the day the entry was made; returns the PersonCheck. Raises
    InputError for an unknown id."""
    row = _entry(store, entry_id)
    ctx = dataclasses.replace(context(store), today=dt.date.fromisoformat(row["local_day"]))
    return registration.check_person(form, ctx)


def amend(store: Store, account: Account, entry_id: int, form: PersonForm, reason: str) -> Amended:
    """Correct an entry with the desk's checks; saves an amendment (what changed, old and new, who,
    when, why) or nothing at all. Raises RefusedError when `account` may not amend or a rule refuses
    the values (RuleRefusal), InputError for a missing or long reason, an unknown id, a form with
    problems (PersonProblems) or nothing changed."""
    require(account, "entry.amend")
    reason = _said(reason, "reason", MAX_REASON)
    result = check_amendment(store, entry_id, form)
    if result.errors:
        rule = next((p for p in result.errors if p.key in RULE_KEYS), None)
        if rule is not None:
            raise RuleRefusal(rule)
        raise PersonProblems(result.errors)
    assert result.person is not None
    new = _values(result.person)
    # The search words (pinyin) before the write lock, which the other lanes wait for; the entry's
    # vehicle never changes, so its plate may be read now.
    entry = review_store.entry_now(store, entry_id)
    v = entries_store.get_vehicle(store, entry["vehicle_id"]) if entry and entry["vehicle_id"] else None
    words = search.entry_terms(new["name"], new["doc_no"], new["phone"], v["plate"] if v else "")
    with store.write():
        # The "old" values are read under the write lock: another lane correcting the same entry at
        # the same time is either wholly before this (its values are the old ones) or wholly after.
        current = review_store.entry_now(store, entry_id)
        if current is None:
            raise InputError("review.no_entry", id=entry_id)
        changes = {c: [current[c], new[c]] for c in AMENDABLE if current[c] != new[c]}
        if not changes:
            raise InputError("review.nothing_changed")
        after = review_store.signoff(store, current["local_day"]) is not None
        terms = words if any(c in changes for c in ("name", "doc_no", "phone")) else ""
        review_store.insert_amendment(store, entry_id, changes, new, reason, account.id, after, terms)
    return Amended(entry_id, tuple(changes), after)


def flag(store: Store, account: Account, entry_id: int, note: str, *, clear: bool = False) -> bool:
    """Raise (or clear) the follow-up flag, with a note; returns whether the entry is flagged now.
    Raises RefusedError when `account` may not flag, InputError for a missing or long note, an
    unknown id, or a flag already raised (or not raised, to clear)."""
    require(account, "entry.flag")
    note = _said(note, "note", MAX_NOTE)
    _entry(store, entry_id)
    with store.write():
        flagged = review_store.is_flagged(store, entry_id)
        if clear and not flagged:
            raise InputError("review.not_flagged")
        if not clear and flagged:
            raise InputError("review.already_flagged")
        review_store.insert_flag(store, entry_id, "clear" if clear else "raise", note, account.id)
    return not clear


def is_flagged(store: Store, entry_id: int) -> bool:
    """Whether entry `entry_id`'s follow-up flag is raised now."""
    return review_store.is_flagged(store, entry_id)
