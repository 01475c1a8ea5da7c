"""The shift leader's review: find entries, read one whole, correct it, flag it, unmask it, and
sign the day off. Every write is audited; nothing is overwritten (an amendment is a new row)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass

from checkpoint.domain import registration, search
from checkpoint.domain.masking import mask_id_number, mask_phone
from checkpoint.domain.registration import PersonForm
from checkpoint.errors import InputError, RefusedError
from checkpoint.i18n import t
from checkpoint.services import clock, ledger
from checkpoint.services.accounts import Account, authenticate, require
from checkpoint.services.registration import RULE_KEYS, PersonProblems, RuleRefusal, context
from checkpoint.services.settings import setting
from checkpoint.services.station import require_station
from checkpoint.store import Store, audit
from checkpoint.store import entries as entries_store
from checkpoint.store import review as review_store
from checkpoint.store.review import SEARCH_CAP, LogQuery
from checkpoint.store.schema import AMENDABLE

ALL_FROM, ALL_TO = "0001-01-01", "9999-12-31"   # the whole log
MAX_NOTE = 200
MAX_REASON = 200


# ---- who may -----------------------------------------------------------------------------------
def may_review(store: Store, account: Account) -> bool:
    if not account.may("review.read"):
        return False
    return account.role != "staff" or setting(store, "review-staff")


def require_review(store: Store, account: Account) -> None:
    if not may_review(store, account):
        raise RefusedError("review.not_allowed")


# ---- what is shown -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    direction: str = ""
    disposition: str = ""
    fever: bool = False
    staff_id: int | None = None
    key_area: bool = False
    vehicle_flags: bool = False
    amended: bool = False
    flagged: bool = False

    def active(self) -> list[str]:
        """Labels of the filters that are on, for the top line."""
        out = []
        if self.direction:
            out.append(t(f"direction.{self.direction}"))
        if self.disposition:
            out.append(t(f"disposition.{self.disposition}"))
        for name in ("fever", "key_area", "vehicle_flags", "amended", "flagged"):
            if getattr(self, name):
                out.append(t(f"review.filter_{name}"))
        if self.staff_id is not None:
            out.append(t("review.filter_staff"))
        return out


@dataclass(frozen=True)
class Scope:
    """A day range (one day when both ends are equal) or one shift."""

    day_from: str
    day_to: str
    shift_id: int | None = None

    @property
    def one_day(self) -> bool:
        return self.shift_id is not None or self.day_from == self.day_to

    def label(self) -> str:
        if self.shift_id is not None:
            return t("review.scope_shift", id=self.shift_id)
        if self.day_from == ALL_FROM:
            return t("review.all")
        if self.day_from == self.day_to:
            return self.day_from
        return f"{self.day_from} ~ {self.day_to}"


@dataclass(frozen=True)
class Line:
    id: int
    day: str
    time: str
    name: str
    doc: str
    phone: str
    plate: str
    origin: str
    temp: str
    fever: bool
    direction: str
    disposition: str
    disposition_key: str
    staff: str
    amended: bool
    amended_after_signoff: bool
    flagged: bool


@dataclass(frozen=True)
class Stats:
    counts: dict
    buckets: list[tuple[str, int, int, int]]   # (label, entries, fevers, turned back)
    by_hour: bool


def query(scope: Scope, filters: Filters = Filters(), text: str = "") -> LogQuery:
    return LogQuery(day_from=scope.day_from, day_to=scope.day_to, shift_id=scope.shift_id,
                    match=search.match_expression(text), **dataclasses.asdict(filters))


def searched_nothing(text: str) -> bool:
    """Typed something, but nothing of it can be searched (only punctuation, emoji ...)."""
    return bool(text.strip()) and search.match_expression(text) is None


def count(store: Store, q: LogQuery, text: str = "") -> int:
    if searched_nothing(text):
        return 0
    return review_store.count(store, q)


def capped(q: LogQuery, total: int) -> bool:
    """A search matched more than the index hands back at once: ask for a narrower range."""
    return bool(q.match) and total >= SEARCH_CAP


def page(store: Store, q: LogQuery, offset: int, limit: int, total: int) -> list[Line]:
    tz = require_station(store).tz
    ids = review_store.page_ids(store, q, offset, limit, total)
    return [_line(r, tz) for r in review_store.lines(store, ids)]


def _line(row: dict, tz: str) -> Line:
    at = clock.local(row["recorded_at"], tz)
    return Line(id=row["id"], day=row["local_day"], time=at.strftime("%H:%M"), name=row["name"],
                doc=mask_id_number(row["doc_no"]), phone=mask_phone(row["phone"]), plate=row.get("plate") or "",
                origin=row["origin"], temp=ledger.temperature_text(row), fever=bool(row["fever"]),
                direction=t(f"direction.{row['direction']}"), disposition=t(f"disposition.{row['disposition']}"),
                disposition_key=row["disposition"], staff=row.get("staff_name") or "", amended=bool(row["amended"]),
                amended_after_signoff=bool(row["amended_after_signoff"]), flagged=bool(row["flagged"]))


def stats(store: Store, q: LogQuery, scope: Scope) -> Stats:
    station = require_station(store)
    day = scope.day_from if scope.shift_id is None else clock.utc_now().date().isoformat()
    try:
        noon = dt.datetime.fromisoformat(day + "T12:00").replace(tzinfo=clock.zone(station.tz))
        offset = noon.utcoffset().total_seconds() / 3600
    except ValueError:
        offset = 8.0
    totals, rows = review_store.stats(store, q, scope.one_day, offset)
    if scope.one_day:
        by = {int(r["bucket"]): r for r in rows if r["bucket"] is not None}
        buckets = [(f"{h:02d}", int(by[h]["n"]) if h in by else 0, int(by[h]["fevers"]) if h in by else 0,
                    int(by[h]["turned_back"]) if h in by else 0) for h in range(24)]
    else:
        buckets = [(r["bucket"], int(r["n"]), int(r["fevers"]), int(r["turned_back"])) for r in rows]
    return Stats({k: int(v or 0) for k, v in totals.items()}, buckets, scope.one_day)


def stats_aside(store: Store, q: LogQuery, scope: Scope) -> Stats:
    """`stats` on a connection of its own: a year's counts take a moment, and a thread may compute
    them while the screen keeps answering keys."""
    with store.reader() as reader:
        return stats(reader, q, scope)


# ---- one entry, whole --------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Amendment:
    at: str
    staff: str
    reason: str
    changes: tuple[Change, ...]
    after_signoff: bool


@dataclass(frozen=True)
class Detail:
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
    vehicle_history: list = dataclasses.field(default_factory=list)   # vehicle_amend.VehicleAmendment
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
    shows the full ID and phone to a leader and writes an audit row saying who saw them."""
    from checkpoint.services import shifts, vehicle_amend

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


# ---- correcting --------------------------------------------------------------------------------
def amendment_form(store: Store, entry_id: int) -> PersonForm:
    """The entry as it stands, as the desk's form holds it."""
    row = review_store.entry_now(store, entry_id)
    if row is None:
        raise InputError("review.no_entry", id=entry_id)
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
    row = review_store.entry_now(store, entry_id)
    if row is None:
        raise InputError("review.no_entry", id=entry_id)
    return row["local_day"]


def open_for_amend(store: Store, account: Account, entry_id: int) -> PersonForm:
    """The form for the amend screen: it shows the full ID and phone, so opening it is audited
    as an unmasking."""
    require(account, "entry.amend")
    form = amendment_form(store, entry_id)
    with store.write():
        audit.append(store, "entry.unmask", account.id, "entries", entry_id,
                     detail={"fields": ["doc_no", "phone"], "for": "amend"})
    return form


@dataclass(frozen=True)
class Amended:
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
    """The desk's checks, on the day the entry was made."""
    row = review_store.entry_now(store, entry_id)
    if row is None:
        raise InputError("review.no_entry", id=entry_id)
    ctx = dataclasses.replace(context(store), today=dt.date.fromisoformat(row["local_day"]))
    return registration.check_person(form, ctx)


def amend(store: Store, account: Account, entry_id: int, form: PersonForm, reason: str) -> Amended:
    """Correct an entry with the desk's checks; saves an amendment (what changed, old and new, who,
    when, why) or nothing at all."""
    require(account, "entry.amend")
    reason = (reason or "").strip()
    if not reason:
        raise InputError("review.reason_required", field="reason")
    if len(reason) > MAX_REASON:
        raise InputError("review.reason_too_long", field="reason", limit=MAX_REASON)
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
    """Raise (or clear) the follow-up flag, with a note; returns whether the entry is flagged now."""
    require(account, "entry.flag")
    note = (note or "").strip()
    if not note:
        raise InputError("review.note_required", field="note")
    if len(note) > MAX_NOTE:
        raise InputError("review.note_too_long", field="note", limit=MAX_NOTE)
    if review_store.entry_now(store, entry_id) is None:
        raise InputError("review.no_entry", id=entry_id)
    with store.write():
        flagged = review_store.is_flagged(store, entry_id)
        if clear and not flagged:
            raise InputError("review.not_flagged")
        if not clear and flagged:
            raise InputError("review.already_flagged")
        review_store.insert_flag(store, entry_id, "clear" if clear else "raise", note, account.id)
    return not clear


def is_flagged(store: Store, entry_id: int) -> bool:
    return review_store.is_flagged(store, entry_id)


def shift_ids_of(store: Store, day_from: str, day_to: str) -> list[int]:
    return review_store.shift_ids(store, day_from, day_to)


# ---- the day's sign-off ------------------------------------------------------------------------
@dataclass(frozen=True)
class SignOff:
    day: str
    by: str
    at: str


def signed(store: Store, day: str) -> SignOff | None:
    row = review_store.signoff(store, day)
    if row is None:
        return None
    tz = require_station(store).tz
    return SignOff(day, row.get("staff_name") or "", clock.local(row["signed_at"], tz).strftime("%Y-%m-%d %H:%M"))


def sign_off(store: Store, account: Account, day: str, pin: str, now: dt.datetime | None = None) -> SignOff:
    """The leader signs the day, with their PIN, once every shift that started that day is closed
    (handed over or 收班). Every condition is checked before the PIN (services.signoff): the
    refusal names each thing missing. Raises InputError for a bad date, RefusedError otherwise."""
    from checkpoint.services import signoff

    require(account, "day.signoff")
    found = signoff.check(store, account, day, now)
    if found.future:
        raise InputError("review.signoff_future", day=found.day)
    if not found.ready:
        raise RefusedError("dayclose.signoff_blocked", problems="；".join(found.problems))
    day = found.day
    authenticate(store, account.name, pin)
    with store.write():
        if review_store.signoff(store, day) is not None:
            raise RefusedError("review.already_signed", day=day)
        counts = dataclasses.asdict(ledger.day_counts(store, day))
        review_store.insert_signoff(store, day, account.id, counts)
    result = signed(store, day)
    assert result is not None
    return result


def unsigned_yesterday(store: Store, now: dt.datetime | None = None) -> str | None:
    """Yesterday's date when it has entries and no sign-off yet (the desk's banner)."""
    station = require_station(store)
    yesterday = (clock.local(now or clock.utc_now(), station.tz).date() - dt.timedelta(days=1)).isoformat()
    if review_store.has_entries(store, yesterday) and review_store.signoff(store, yesterday) is None:
        return yesterday
    return None


# ---- the search index for entries saved before it existed -------------------------------------
def unindexed(store: Store) -> int:
    return max(0, review_store.unindexed_below(store) - 1)


def _terms_of(row: dict) -> str:
    plate = row["plate"] or ""
    words = search.entry_terms(row["name"], row["doc_no"], row["phone"], plate)
    if row.get("now_name") is not None:    # amended: found by the corrected values too
        extra = search.entry_terms(row["now_name"], row["now_doc_no"], row["now_phone"], plate)
        words = " ".join(dict.fromkeys((words + " " + extra).split()))
    return words


def index_some(store: Store, batch: int = 2000) -> int:
    """Index one batch of older entries (newest first); returns how many are left (approximately:
    the lowest id still to do)."""
    below = review_store.unindexed_below(store)
    if below <= 1:
        return 0
    rows = review_store.unindexed_batch(store, below, batch)
    if not rows:
        review_store.index_batch(store, [], 1)
        return 0
    terms = [(r["id"], _terms_of(r)) for r in rows]
    low = min(r["id"] for r in rows)
    review_store.index_batch(store, terms, low)
    return max(0, low - 1)


# ---- the command line's search -----------------------------------------------------------------
def search_lines(store: Store, account: Account, text: str, day_from: str, day_to: str,
                 limit: int = 200) -> tuple[list[Line], int]:
    require_review(store, account)
    scope = Scope(day_from, day_to)
    q = query(scope, Filters(), text)
    if q.match is None:
        return [], 0
    total = count(store, q, text)
    return page(store, q, 0, limit, total), total

