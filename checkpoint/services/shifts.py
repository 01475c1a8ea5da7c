"""Shifts and the handover (交接班): start a shift with its roster, see its counts and the open
matters, and sign it over with two PINs. The counts are computed from the records, never typed.

The sign-off closes the outgoing shift and opens the incoming one in one transaction: a power cut
in the middle leaves either the old shift open or the new one, never neither.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from checkpoint.domain import shifts as rules
from checkpoint.domain.masking import mask_id_number
from checkpoint.errors import InputError, RefusedError
from checkpoint.i18n import t
from checkpoint.services import accounts, clock, settings
from checkpoint.services.accounts import Account, require
from checkpoint.services.registration import current_shift_id
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import shifts as shift_store
from checkpoint.store import staff as staff_store
from checkpoint.store import station as station_store

TEXT_MAX = 2000


@dataclass(frozen=True)
class Matter:
    """An open matter carried from shift to shift until somebody closes it."""

    kind: str      # held, referred, escorted, out-not-back, note
    ref: str       # what to close it by: "entry:12", "matter:3", "exit:7" (a pass holder's exit)
    text: str
    since: str = ""   # when it began, station time "MM-DD HH:MM"
    age: str = ""     # how long it has been open, in words: "3小时"

    @property
    def line(self) -> str:
        """The text with its age, as the handover and the review show it."""
        if not self.age:
            return self.text
        if self.age == t("dayclose.age_now"):
            return t("dayclose.matter_line_now", text=self.text)
        return t("dayclose.matter_line", text=self.text, age=self.age)


@dataclass
class ShiftStatus:
    shift: dict
    roster: list[rules.RosterMember]
    counts: dict
    warnings: list[tuple[str, dict]]
    matters: list[Matter] = field(default_factory=list)

    started_local: str = ""

    @property
    def warning_texts(self) -> list[str]:
        return [t(key, **{**params, "kind": t(f"shift.kind_{params['kind']}")} if "kind" in params else params)
                for key, params in self.warnings]


def _members(store: Store, roster_text: list[tuple[str, str]]) -> list[tuple[dict, str]]:
    members = []
    for name, category in roster_text:
        row = staff_store.by_name(store, name.strip())
        if row is None:
            raise InputError("account.unknown", field="roster", name=name)
        if not row["active"]:
            raise RefusedError("dayclose.roster_disabled", field="roster", name=name)
        if category not in rules.CATEGORIES:
            raise InputError("shift.category_unknown", field="roster", value=category)
        if any(m[0]["id"] == row["id"] for m in members):
            continue
        members.append((row, category))
    return members


def parse_roster(text: str) -> list[tuple[str, str]]:
    """'王队长:township-cadre,李四:police' (category optional, default village-cadre)."""
    out = []
    for part in (text or "").replace("，", ",").split(","):
        if not part.strip():
            continue
        name, _, category = part.replace("：", ":").partition(":")
        out.append((name.strip(), category.strip() or "village-cadre"))
    return out


def kind_now(store: Store, now: dt.datetime | None = None) -> str:
    """The kind of shift that begins now, by the station's clock and its day/night times
    (settings day-shift-from, night-shift-from; 06:00 and 18:00 unless changed)."""
    station = require_station(store)
    local = clock.local(now or clock.utc_now(), station.tz)
    day_from, night_from = settings.shift_times(store)
    return rules.kind_at(local.hour * 60 + local.minute, day_from, night_from)


def start_shift(store: Store, by: Account, kind: str | None, roster: list[tuple[str, str]],
                now: dt.datetime | None = None) -> ShiftStatus:
    """Open a shift led by `by` with `roster` [(name, category)]; `kind` None follows the clock.
    Raises RefusedError when a shift is open or a person's account is disabled, InputError for an
    unknown kind, person or category."""
    require(by, "shift.lead")
    now = now or clock.utc_now()
    kind = kind or kind_now(store, now)
    if kind not in rules.KINDS:
        raise InputError("shift.kind_unknown", field="kind", value=kind)
    station = require_station(store)
    members = _members(store, roster)
    if not any(row["id"] == by.id for row, _ in members):
        members.insert(0, (staff_store.by_id(store, by.id), "township-cadre"))
    at = now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    with store.write():
        if shift_store.open_shift(store) is not None:
            raise RefusedError("shift.already_open")
        previous = shift_store.last_closed(store)
        shift_id = shift_store.start(store, kind, at, clock.local_day(now, station.tz), by.id,
                                     previous["id"] if previous else None, by.id)
        for row, category in members:
            shift_store.roster_event(store, shift_id, row["id"], category, "join", at, by.id)
    return shift_status(store, now)


def require_open(store: Store) -> dict:
    row = shift_store.open_shift(store)
    if row is None:
        raise RefusedError("shift.none_open")
    return row


def change_roster(store: Store, by: Account, name: str, action: str, category: str = "village-cadre",
                  now: dt.datetime | None = None) -> None:
    require(by, "shift.lead")
    if action not in ("join", "leave"):
        raise InputError("shift.roster_action", field="action", value=action)
    now = now or clock.utc_now()
    with store.write():
        current = require_open(store)
        ((row, category),) = _members(store, [(name, category)]) if action == "join" else (
            (staff_store.by_name(store, name.strip()) or _unknown(name), category),)
        shift_store.roster_event(store, current["id"], row["id"], category, action,
                                 now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"), by.id)


def _unknown(name: str):
    raise InputError("account.unknown", field="roster", name=name)


def roster_members(store: Store, shift_id: int) -> list[rules.RosterMember]:
    return [rules.RosterMember(r["staff_id"], r["name"], r["role"], r["category"])
            for r in shift_store.roster(store, shift_id)]


def age_text(since: dt.datetime | str, now: dt.datetime) -> str:
    """How long ago, in the largest whole unit: 刚才, 25分钟, 3小时, 2天."""
    if isinstance(since, str):
        since = dt.datetime.fromisoformat(since)
    minutes = max(int((now - since).total_seconds() // 60), 0)
    if minutes < 1:
        return t("dayclose.age_now")
    if minutes < 60:
        return t("dayclose.age_minutes", n=minutes)
    if minutes < 48 * 60:
        return t("dayclose.age_hours", n=minutes // 60)
    return t("dayclose.age_days", n=minutes // (24 * 60))


def open_matters(store: Store, now: dt.datetime | None = None) -> list[Matter]:
    """Every matter still open, oldest first within its kind, each with its age: people held or
    referred awaiting transport, escorted entries not closed out, holders out and not back,
    matters written by hand."""
    from checkpoint.services import passes

    now = now or clock.utc_now()
    matters = []
    kinds = {"hold": "held", "refer": "referred", "escorted": "escorted"}
    tz = require_station(store).tz
    for row in shift_store.open_entry_matters(store):
        when = clock.local(row["recorded_at"], tz).strftime("%m-%d %H:%M")
        matters.append(Matter(kinds[row["disposition"]], f"entry:{row['id']}", t(
            f"matter.{kinds[row['disposition']]}", name=row["name"], doc=mask_id_number(row["doc_no"]), when=when),
            when, age_text(row["recorded_at"], now)))
    for r in passes.out_not_back(store, now=now):
        matters.append(Matter("out-not-back", f"exit:{r.crossing_id}", t(
            "matter.out_not_back", number=r.number, holder=r.holder, since=r.since,
            late=t("pass.overdue_mark") if r.overdue else ""), r.since, age_text(r.exit_at, now)))
    for row in shift_store.open_note_matters(store):
        when = clock.local(row["created_at"], tz).strftime("%m-%d %H:%M")
        matters.append(Matter("note", f"matter:{row['id']}", row["text"], when, age_text(row["created_at"], now)))
    return matters


def no_shift_text(store: Store) -> str:
    """What to say when no shift is open: that, and the last 收班 when there was one."""
    text = t("dayclose.no_shift")
    last = shift_store.last_close(store)
    if last is not None:
        at = clock.local(last["signed_at"], require_station(store).tz).strftime("%m-%d %H:%M")
        text += "；" + t("dayclose.last_close", id=last["shift_id"], at=at, name=last.get("outgoing_name") or "")
    return text


def staffing_banner(store: Store) -> str | None:
    """One line for the desk when the open shift is under-staffed (003: at least 4 by day, 2 at
    night), crowded, or has no leader on its roster; None when it is fine or no shift is open."""
    row = shift_store.open_shift(store)
    if row is None:
        return None
    roster = roster_members(store, row["id"])
    maximum = int(station_store.get_setting(store, "max_staff", rules.MAX_STAFF))
    warnings = rules.staffing_warnings(row["kind"], roster, maximum)
    if not warnings:
        return None
    texts = [t(key, **({**params, "kind": t(f"shift.kind_{params['kind']}")} if "kind" in params else params))
             for key, params in warnings]
    return t("dayclose.staffing_banner", id=row["id"], text="；".join(texts))


def shift_status(store: Store, now: dt.datetime | None = None, shift_id: int | None = None) -> ShiftStatus:
    row = shift_store.shift(store, shift_id) if shift_id else require_open(store)
    if row is None:
        raise InputError("shift.unknown", field="shift", value=shift_id)
    roster = roster_members(store, row["id"])
    maximum = int(station_store.get_setting(store, "max_staff", rules.MAX_STAFF))
    started = clock.local(row["started_at"], require_station(store).tz).strftime("%Y-%m-%d %H:%M")
    return ShiftStatus(row, roster, shift_store.counts(store, row["id"]), rules.staffing_warnings(
        row["kind"], roster, maximum), open_matters(store, now), started)


def add_matter(store: Store, by: Account, text: str, now: dt.datetime | None = None) -> int:
    require(by, "matter.manage")
    text = (text or "").strip()
    if not text or len(text) > 500:
        raise InputError("matter.text", field="note")
    now = now or clock.utc_now()
    with store.write():
        return shift_store.add_matter(store, current_shift_id(store), text, now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
                                      by.id)


CLOSE_NOTE_MAX = 200


def closure_of(store: Store, ref: str) -> str | None:
    """How the matter `ref` ("entry:12") was closed, in words (when, who, the note); None while open."""
    kind, _, ident = ref.partition(":")
    row = shift_store.closure(store, kind, int(ident)) if ident.isdigit() else None
    if row is None:
        return None
    who = (staff_store.by_id(store, row["staff_id"]) or {}).get("name", "")
    at = clock.local(row["closed_at"], require_station(store).tz).strftime("%m-%d %H:%M")
    return t("dayclose.closed_line", at=at, who=who, note=row["note"] or "-")


def close_matter(store: Store, by: Account, ref: str, note: str, now: dt.datetime | None = None) -> None:
    """Close an open matter with a note saying how it ended: 'entry:ID' (a person held or referred
    has been transported, an escorted entry closed out), 'matter:ID' (a matter written by hand),
    'exit:ID' or the pass number (a holder out and not back has come back another way).

    Raises InputError for an unreadable reference, a missing or long note, or something that is
    not an open matter; RefusedError when it was closed already."""
    require(by, "matter.manage")
    text = (ref or "").strip()
    kind, sep, ident = text.partition(":")
    kind = kind.strip().lower()
    ident = ident.strip()
    note = (note or "").strip()
    if not note:
        raise InputError("dayclose.close_note_required", field="note")
    if len(note) > CLOSE_NOTE_MAX or not note.isprintable():
        raise InputError("text.too_long", field="note", limit=CLOSE_NOTE_MAX)
    now = now or clock.utc_now()
    at = now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    with store.write():
        if not sep:   # a pass number: its holder's open exit
            exit_row = shift_store.open_exit_of_pass(store, text.replace(" ", "").upper()) if text else None
            if exit_row is None:
                raise InputError("dayclose.matter_ref", field="ref", value=text[:40])
            kind, ident = "exit", str(exit_row["id"])
        if kind not in ("entry", "matter", "exit") or not ident.isdigit() or len(ident) > 18:
            raise InputError("dayclose.matter_ref", field="ref", value=text[:40])
        ref_id = int(ident)
        if shift_store.closure(store, kind, ref_id) is not None:
            raise RefusedError("matter.already_closed", ref=f"{kind}:{ref_id}")
        if not shift_store.is_open_matter(store, kind, ref_id):
            raise InputError("dayclose.matter_unknown", field="ref", value=f"{kind}:{ref_id}")
        shift_store.close_matter(store, kind, ref_id, at, by.id, current_shift_id(store), note)


def supply_label(item: str) -> str:
    text = t(f"supply.{item}")
    return item if text == f"supply.{item}" else text


def supply_items(store: Store) -> list[str]:
    return list(station_store.get_setting(store, "supply_items", list(rules.DEFAULT_ITEMS)))


@dataclass(frozen=True)
class HandoverResult:
    handover_id: int
    closed_shift_id: int
    next_shift_id: int
    incoming: Account


def hand_over(store: Store, outgoing: Account, incoming_name: str, incoming_pin: str, *,
              stock: dict[str, int] | None = None, note: str = "", incidents: str = "", instructions: str = "",
              equipment: str = "", next_kind: str | None = None, next_roster: list[tuple[str, str]] | None = None,
              now: dt.datetime | None = None) -> HandoverResult:
    """Sign the open shift over: the outgoing leader (already authenticated) signs, the incoming
    leader accepts with their PIN, the next shift opens with `next_roster` [(name, category)].

    `next_kind` None follows the clock and the station's day/night times; `next_roster` None keeps
    the people on duty now except the outgoing leader (the incoming leader is always on it).
    Raises RefusedError (same person, wrong PIN, a disabled account on the roster, no open shift)
    or InputError (texts too long, bad counts, unknown kind or person); nothing is written then."""
    require(outgoing, "shift.lead")
    _check_texts(stock, {"note": note, "incidents": incidents, "instructions": instructions,
                         "equipment": equipment})
    current = require_open(store)
    if (incoming_name or "").strip() == outgoing.name:
        raise RefusedError("shift.same_person")
    incoming = accounts.authenticate(store, incoming_name, incoming_pin, now)
    if incoming.id == outgoing.id:
        raise RefusedError("shift.same_person")
    require(incoming, "shift.lead")
    now = now or clock.utc_now()
    kind = next_kind or kind_now(store, now)
    if kind not in rules.KINDS:
        raise InputError("shift.kind_unknown", field="kind", value=kind)
    if next_roster is None:
        next_roster = default_next_roster(store, outgoing)
    members = _members(store, next_roster)
    station = require_station(store)
    at = now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    record = _record(store, current, outgoing, incoming.id, stock, note, incidents, instructions, equipment, now)
    with store.write():
        if (shift_store.open_shift(store) or {}).get("id") != current["id"]:
            raise RefusedError("shift.changed")
        shift_store.close(store, current["id"], at, outgoing.id)
        next_id = shift_store.start(store, kind, at, clock.local_day(now, station.tz), incoming.id, current["id"],
                                    incoming.id)
        record["next_shift_id"] = next_id
        handover_id = shift_store.insert_handover(store, record, outgoing.id)
        if not any(row["id"] == incoming.id for row, _ in members):
            members.insert(0, (staff_store.by_id(store, incoming.id), "township-cadre"))
        for row, category in members:
            shift_store.roster_event(store, next_id, row["id"], category, "join", at, incoming.id)
    return HandoverResult(handover_id, current["id"], next_id, incoming)


def default_next_roster(store: Store, outgoing: Account) -> list[tuple[str, str]]:
    """The roster the next shift is offered: everyone on duty now, with their category, except the
    outgoing leader and accounts disabled since they joined."""
    current = require_open(store)
    return [(r["name"], r["category"]) for r in shift_store.roster(store, current["id"])
            if r["staff_id"] != outgoing.id and r["active"]]


def _check_texts(stock: dict[str, int] | None, texts: dict[str, str]) -> None:
    for name, value in texts.items():
        if len(value or "") > TEXT_MAX:
            raise InputError("text.too_long", field=name, limit=TEXT_MAX)
    for item, count in (stock or {}).items():
        if not isinstance(count, int) or count < 0 or count > 9_999_999:
            raise InputError("shift.stock_bad", field="stock", value=f"{item}={count}")


def _record(store: Store, current: dict, outgoing: Account, incoming_id: int | None, stock: dict[str, int] | None,
            note: str, incidents: str, instructions: str, equipment: str, now: dt.datetime) -> dict:
    """The handover row of the closing shift (its counts, matters and stock as they are now)."""
    status = shift_status(store, now)
    previous = shift_store.last_handover(store)
    return {
        "shift_id": current["id"], "outgoing_id": outgoing.id, "incoming_id": incoming_id,
        "signed_at": now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
        "counts": json.dumps(status.counts, ensure_ascii=False, sort_keys=True),
        "open_matters": json.dumps([m.__dict__ for m in status.matters], ensure_ascii=False),
        "stock": json.dumps(_stock_record(stock or {}, previous, current, now), ensure_ascii=False),
        "incidents": (incidents or "").strip(), "instructions": (instructions or "").strip(),
        "equipment": (equipment or "").strip(), "notes": (note or "").strip()}


@dataclass(frozen=True)
class CloseResult:
    handover_id: int
    closed_shift_id: int
    matters: int      # open matters left for the next shift to start


def close_shift(store: Store, outgoing: Account, *, stock: dict[str, int] | None = None, note: str = "",
                incidents: str = "", instructions: str = "", equipment: str = "",
                now: dt.datetime | None = None) -> CloseResult:
    """收班: end the open shift without opening another (the barrier closes for the night). The
    record is a handover with nobody incoming: counts, stock, matters, texts, the outgoing leader
    (already authenticated by PIN). Open matters stay open and wait for the next shift to start.
    Raises RefusedError when no shift is open, InputError for long texts or bad counts."""
    require(outgoing, "shift.lead")
    _check_texts(stock, {"note": note, "incidents": incidents, "instructions": instructions,
                         "equipment": equipment})
    current = require_open(store)
    now = now or clock.utc_now()
    record = _record(store, current, outgoing, None, stock, note, incidents, instructions, equipment, now)
    with store.write():
        if (shift_store.open_shift(store) or {}).get("id") != current["id"]:
            raise RefusedError("shift.changed")
        shift_store.close(store, current["id"], record["signed_at"], outgoing.id)
        record["next_shift_id"] = None
        handover_id = shift_store.insert_handover(store, record, outgoing.id)
    return CloseResult(handover_id, current["id"], len(json.loads(record["open_matters"])))


def _stock_record(stock: dict[str, int], previous: dict | None, current: dict, now: dt.datetime) -> list[dict]:
    before = json.loads(previous["stock"]) if previous else []
    before_counts = {line["item"]: line["count"] for line in before}
    since = dt.datetime.fromisoformat(previous["signed_at"] if previous else current["started_at"])
    hours = max((now - since).total_seconds() / 3600, 0.0)
    return [line.__dict__ for line in rules.stock_lines(stock, before_counts if previous else None, hours)]


def handover_record(store: Store, shift_id: int | None = None) -> dict:
    """The signed handover of a shift (default: the last one)."""
    row = shift_store.handover_for(store, shift_id) if shift_id else shift_store.last_handover(store)
    if row is None:
        raise InputError("shift.no_handover", field="shift", value=shift_id or "")
    return row


def handover_markdown(store: Store, shift_id: int | None = None) -> str:
    """The handover as a printable Markdown page (shown, printed, and part of the daily export)."""
    row = handover_record(store, shift_id)
    station = require_station(store)
    shift = shift_store.shift(store, row["shift_id"]) or {}
    out_name = (staff_store.by_id(store, row["outgoing_id"]) or {}).get("name", "?")
    in_name = (staff_store.by_id(store, row["incoming_id"]) or {}).get("name", "?")
    counts = json.loads(row["counts"])
    closing = row["incoming_id"] is None   # 收班: nobody took over
    lines = [f"# {t('dayclose.close_title' if closing else 'handover.title', station=station.name, code=station.code)}",
             "", t("handover.shift_line", kind=t(f"shift.kind_{shift.get('kind', 'day')}"),
                   start=clock.local(shift["started_at"], station.tz).strftime("%Y-%m-%d %H:%M"),
                   end=clock.local(row["signed_at"], station.tz).strftime("%Y-%m-%d %H:%M")), "",
             t("dayclose.closed_signed", outgoing=out_name) if closing else
             t("handover.signed", outgoing=out_name, incoming=in_name), "", f"## {t('handover.counts')}", ""]
    lines += [f"- {t('handover.persons', **{k: counts.get(k, 0) for k in ('persons', 'persons_in', 'persons_out')})}",
              f"- {t('handover.vehicles', **{k: counts.get(k, 0) for k in ('vehicles', 'vehicles_in', 'vehicles_out')})}",
              f"- {t('handover.fevers', count=counts.get('fevers', 0))}"]
    for key, n in sorted(counts.get("dispositions", {}).items()):
        lines.append(f"- {t(f'disposition.{key}')}：{n}")
    lines.append(f"- {t('handover.escorted_closed', count=counts.get('escorted_closed', 0))}")
    lines.append(f"- {t('handover.passes', count=counts.get('passes_issued', 0))}")
    for key, n in sorted(counts.get("scans", {}).items()):
        lines.append(f"- {t('handover.scans', verdict=t(f'verdict.{key}'), count=n)}")
    stock = json.loads(row["stock"])
    if stock:
        lines += ["", f"## {t('handover.stock')}", ""]
        for line in stock:
            lines.append("- " + t("handover.stock_line", item=supply_label(line["item"]),
                                  count=line["count"], used="-" if line["used"] is None else line["used"],
                                  days="-" if line["days_left"] is None else line["days_left"],
                                  low=t("handover.low") if line["low"] else ""))
    matters = json.loads(row["open_matters"])
    lines += ["", f"## {t('handover.matters')}", ""]
    lines += [f"- {Matter(**{k: m.get(k, '') for k in ('kind', 'ref', 'text', 'since', 'age')}).line}"
              for m in matters] or [f"- {t('handover.none')}"]
    if closing and matters:
        lines += ["", t("dayclose.matters_wait")]
    for title, text in (("incidents", row["incidents"]), ("instructions", row["instructions"]),
                        ("equipment", row["equipment"]), ("notes", row["notes"])):
        if text:
            lines += ["", f"## {t(f'handover.{title}')}", "", text]
    return "\n".join(lines) + "\n"
