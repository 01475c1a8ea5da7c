"""Issuing a pass: who may, the isolation check on the holder and members, the number, the signed
token and the stored row (the holder in full: the card is printed from it)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from checkpoint.domain import clock, pass_token, passes
from checkpoint.domain.documents import normalize_doc_number
from checkpoint.domain.masking import mask_name_short
from checkpoint.domain.pass_token import PassClaims
from checkpoint.domain.passes import PassForm
from checkpoint.domain.policy import ISOLATIONS
from checkpoint.errors import CheckpointError, FieldProblems, RefusedError
from checkpoint.services import keys, settings
from checkpoint.services.accounts import Account, require
from checkpoint.services.registration import current_shift_id
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import entries as entries_store
from checkpoint.store import passes as pass_store

ISOLATION_DAYS = 14


@dataclass(frozen=True)
class Issued:
    """A pass just issued: its number, its token (the QR code's text) and what the token says."""

    number: str
    token: str
    claims: PassClaims


def may_issue(store: Store, by: Account) -> bool:
    """Leaders and admins; duty staff too while the setting pass-issue-staff is on."""
    try:
        _may_issue(store, by)
    except CheckpointError:
        return False
    return True


def _may_issue(store: Store, by: Account) -> None:
    if by.role == "staff" and settings.staff_may_issue_passes(store):
        return
    require(by, "pass.issue")


def is_isolated(store: Store, doc_no: str, today: dt.date) -> bool:
    """Under home or central isolation: their latest registration, within 14 days, says so."""
    row = entries_store.last_by_document(store, normalize_doc_number(doc_no))
    if row is None or row["disposition"] not in ISOLATIONS:
        return False
    return today - dt.date.fromisoformat(row["local_day"]) < dt.timedelta(days=ISOLATION_DAYS)


def issue_pass(store: Store, by: Account, form: PassForm, now: dt.datetime | None = None) -> Issued:
    """Issue a pass; refused for a holder or member under isolation. Raises FieldProblems on bad input."""
    _may_issue(store, by)
    station = require_station(store)
    now = now or clock.utc_now()
    today = clock.local(now, station.tz).date()
    problems = passes.check_pass_form(form, today)
    if problems:
        raise FieldProblems(problems)
    for name, doc_no in [(form.name, form.doc_no), *form.members]:
        if is_isolated(store, doc_no, today):
            raise RefusedError("pass.holder_isolated", name=name.strip())
    days = int(form.valid_days) if form.valid_days.strip() else passes.DEFAULT_DAYS[form.kind]
    household = form.kind == "household"
    doc_no = normalize_doc_number(form.doc_no)
    key_row = keys.ensure_station_key(store)
    with store.write():
        number = f"{station.code}-{pass_store.next_serial(store):06d}"
        claims = PassClaims(
            number=number, kind=form.kind, key_id=key_row["key_id"], valid_from=today,
            valid_to=today + dt.timedelta(days=days - 1),
            exits=int(form.exits) if household else 0, per_days=int(form.per_days) if household else 0,
            back_by=passes.parse_hhmm(form.back_by) if household else None,
            holder=mask_name_short(form.name), id_last4=doc_no[-4:])
        token = pass_token.encode(claims, keys.signer(key_row))
        pass_store.insert_pass(store, {
            "number": number, "kind": form.kind, "holder_name": form.name.strip(), "holder_doc_no": doc_no,
            "village": form.village.strip(), "members": json.dumps(
                [[n.strip(), normalize_doc_number(i)] for n, i in form.members], ensure_ascii=False),
            "plate": form.plate.strip().upper(), "route": form.route.strip(), "cargo": form.cargo.strip(),
            "reason": form.reason.strip(), "employer": form.employer.strip(),
            "valid_from": claims.valid_from.isoformat(), "valid_to": claims.valid_to.isoformat(),
            "exits": claims.exits, "per_days": claims.per_days, "back_by": claims.back_by,
            "key_id": claims.key_id, "token": token, "issued_at": now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
            "local_day": today.isoformat(), "staff_id": by.id, "shift_id": current_shift_id(store)})
    return Issued(number, token, claims)
