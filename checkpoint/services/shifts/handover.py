"""The handover (交接班) and 收班: sign the open shift over with two PINs, or close it for the
night, with its figures, stock, open matters and notes; and the signed record as a page.

The sign-off closes the outgoing shift and opens the incoming one in one transaction: a power cut
in the middle leaves either the old shift open or the new one, never neither."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from checkpoint.domain import clock
from checkpoint.domain import shifts as rules
from checkpoint.errors import InputError, RefusedError
from checkpoint.i18n import t
from checkpoint.services import accounts
from checkpoint.services.accounts import Account, require
from checkpoint.services.shifts.matters import Matter
from checkpoint.services.shifts.roster import kind_now, require_open, roster_people, shift_status
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import shifts as shift_store
from checkpoint.store import staff as staff_store
from checkpoint.store import station as station_store

TEXT_MAX = 2000


def supply_label(item: str) -> str:
    """A supply item in words (口罩 ...); an item the catalogue does not know is shown as typed."""
    text = t(f"supply.{item}")
    return item if text == f"supply.{item}" else text


def supply_items(store: Store) -> list[str]:
    """The supply items this station counts at each handover."""
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
    members = roster_people(store, next_roster)
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
    outgoing leader and accounts disabled since they joined. Raises RefusedError when no shift is open."""
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
    """The signed handover of a shift (default: the last one).
    Raises InputError when there is no such handover."""
    row = shift_store.handover_for(store, shift_id) if shift_id else shift_store.last_handover(store)
    if row is None:
        raise InputError("shift.no_handover", field="shift", value=shift_id or "")
    return row


def handover_markdown(store: Store, shift_id: int | None = None) -> str:
    """The handover as a printable Markdown page (shown, printed, and part of the daily export).
    Raises InputError when there is no such handover, DatabaseError when the station is not set up."""
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
