"""One entry, whole: its fields in words (masked unless unmasked), its vehicle and the vehicle's
corrections, its amendments, flags and audit rows, and the open matter it is."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass

from checkpoint.domain import clock
from checkpoint.domain.masking import mask_id_number, mask_phone
from checkpoint.errors import InputError
from checkpoint.i18n import t
from checkpoint.services.accounts import Account, require
from checkpoint.services.amendment import Amendment, Change
from checkpoint.services.review.access import require_review
from checkpoint.services.station import require_station
from checkpoint.store import Store, audit
from checkpoint.store import entries as entries_store
from checkpoint.store import review as review_store


@dataclass(frozen=True)
class Detail:
    """One entry whole, as the detail screen shows it."""

    id: int
    fields: list[tuple[str, str]]
    vehicle: list[tuple[str, str]]
    amendments: list[Amendment]
    flags: list[tuple[str, str, str, str]]       # (time, who, raise|clear, note)
    audit: list[tuple[str, str, str]]            # (time, who, what was done, in words)
    flagged: bool
    amended: bool
    unmasked: bool
    vehicle_id: int | None = None
    vehicle_history: list = dataclasses.field(default_factory=list)   # Amendment, of the vehicle
    matter: str = ""          # an open matter (held awaiting transport ...), with its age; "" when none
    matter_ref: str = ""      # what closes it ("entry:12")
    closed: str = ""          # how the matter was closed (when, who, the note), once it is


def _show(column: str, value: object, unmasked: bool) -> str:
    if value is None or value == "":
        return "-"
    if column == "doc_no":
        return str(value) if unmasked else mask_id_number(str(value))
    if column == "phone":
        return str(value) if unmasked else mask_phone(str(value))
    if column in ("resident", "key_area_travel", "fever"):
        return t("yesno.yes") if value else t("yesno.no")
    if column in ("direction", "disposition", "doc_type", "temp_method", "purpose", "health_code"):
        return t(f"{column}.{value}") if value else "-"
    if column == "disposition_source":   # how the disposition was decided, in words
        return t(f"dayclose.source_{value}")
    if column == "symptoms":
        return "，".join(t(f"symptom.{s}") for s in str(value).split(",") if s) or "-"
    if column in ("temp", "recheck_temp"):
        return f"{float(value):.1f}"
    return str(value)


def action_words(action: str) -> str:
    """An audit row's action in words (entry.register -> 登记); an action the catalogue does not
    know yet is shown as 其他操作 with its code, never as a bare code."""
    text = t(f"audit_action.{action}")
    return text if text != f"audit_action.{action}" else t("dayclose.action_other", action=action)


DETAIL_COLUMNS = ("name", "doc_type", "doc_no", "phone", "address", "resident", "origin", "key_area_travel",
                  "travel_where", "purpose", "destination", "symptoms", "health_code", "temp_method", "temp",
                  "recheck_temp", "not_measured_reason", "fever", "direction", "disposition", "suggested",
                  "suggestion_reason", "disposition_source")
# Shown only when they hold something: the detail should fit one 80×24 screen where it can.
_WHEN_FILLED = {"travel_where", "health_code", "recheck_temp", "not_measured_reason", "suggested",
                "suggestion_reason", "destination"}
VEHICLE_COLUMNS = ("plate", "vehicle_type", "occupants", "disinfected", "live_poultry", "illegal_passengers")


def detail(store: Store, account: Account, entry_id: int, *, unmask: bool = False,
           now: dt.datetime | None = None) -> Detail:
    """One entry with its vehicle (and the vehicle's corrections), amendment history, flags, audit
    rows in words, and the open matter it is (held awaiting transport ...) with its age. `unmask`
    shows the full ID and phone to a leader and writes an audit row saying who saw them. Raises
    RefusedError when `account` may not review (or unmask), InputError (review.no_entry) for an
    unknown id."""
    from checkpoint.services import shifts, vehicle_amend   # they read the review's neighbours: imported when asked

    require_review(store, account)
    row = review_store.entry_now(store, entry_id)
    if row is None:
        raise InputError("review.no_entry", id=entry_id)
    if unmask:
        require(account, "entry.unmask")
        with store.write():
            audit.append(store, "entry.unmask", account.id, "entries", entry_id,
                         detail={"fields": ["doc_no", "phone"]})
    tz = require_station(store).tz
    fields = [(t("review.col_id"), str(entry_id)),
              (t("review.col_time"), clock.local(row["recorded_at"], tz).strftime("%Y-%m-%d %H:%M"))]
    fields += [(t(f"field.{c}") if c not in ("suggested", "suggestion_reason", "disposition_source")
                else t(f"review.col_{c}"), _show("disposition" if c == "suggested" else c, row[c], unmask))
               for c in DETAIL_COLUMNS if not (c in _WHEN_FILLED and row[c] in (None, ""))]
    vehicle: list[tuple[str, str]] = []
    vehicle_history = []
    if row["vehicle_id"]:
        v = entries_store.get_vehicle(store, row["vehicle_id"]) or {}
        vehicle = [(t(f"field.{c}"), vehicle_amend.show_value(c, v.get(c))) for c in VEHICLE_COLUMNS]
        vehicle_history = vehicle_amend.history(store, row["vehicle_id"])
    signed = review_store.signoff(store, row["local_day"])
    history = []
    for a in review_store.amendments(store, entry_id):
        changes = json.loads(a["changes"])
        history.append(Amendment(
            at=clock.local(a["at"], tz).strftime("%Y-%m-%d %H:%M"), staff=a.get("staff_name") or "",
            reason=a["reason"], after_signoff=bool(signed and a["at"] > signed["signed_at"]),
            changes=tuple(Change(t(f"field.{f}"), _show(f, old, unmask), _show(f, new, unmask))
                          for f, (old, new) in changes.items())))
    flags = [(clock.local(f["at"], tz).strftime("%m-%d %H:%M"), f.get("staff_name") or "", f["action"], f["note"])
             for f in review_store.flags(store, entry_id)]
    targets = [("entries", entry_id)]
    if row["vehicle_id"]:
        targets.append(("vehicles", row["vehicle_id"]))
    audits = [(clock.local(a["at"], tz).strftime("%m-%d %H:%M"), a.get("staff_name") or "", action_words(a["action"]))
              for a in review_store.audit_rows(store, targets)]
    audits += [(h.at[5:], h.staff, action_words("entry.amend")) for h in history]
    audits += [(h.at[5:], h.staff, action_words("vehicle.amend")) for h in vehicle_history]
    audits += [(f[0], f[1], action_words(f"entry.flag_{f[2]}")) for f in flags]
    matter = closed = ""
    ref = f"entry:{entry_id}"
    if row["disposition"] in ("hold", "refer", "escorted"):
        closure = shifts.closure_of(store, ref)
        if closure is None:
            open_now = next((m for m in shifts.open_matters(store, now) if m.ref == ref), None)
            matter = open_now.line if open_now else ""
        else:
            closed = closure
    return Detail(entry_id, fields, vehicle, history, flags, sorted(audits), bool(flags and flags[-1][2] == "raise"),
                  bool(row["amended"]), unmask, row["vehicle_id"], vehicle_history, matter, ref if matter else "",
                  closed)
