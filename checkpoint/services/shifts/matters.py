"""Open matters carried from shift to shift until somebody closes them: people held or referred
awaiting transport, escorted entries not closed out, pass holders out and not back, and matters
written by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checkpoint.domain import clock
from checkpoint.domain.masking import mask_id_number
from checkpoint.errors import InputError, RefusedError
from checkpoint.i18n import t
from checkpoint.services.accounts import Account, require
from checkpoint.services.registration import current_shift_id
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import shifts as shift_store
from checkpoint.store import staff as staff_store


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
    matters written by hand. Raises DatabaseError when the station is not set up."""
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


def add_matter(store: Store, by: Account, text: str, now: dt.datetime | None = None) -> int:
    """Note an open matter (a thing the next shift must know) on the open shift; returns its id.
    Raises RefusedError when `by` may not, InputError for an empty or long text (over 500)."""
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
    """How the matter `ref` ("entry:12") was closed, in words (when, who, the note); None while open.
    Raises DatabaseError when the station is not set up."""
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
