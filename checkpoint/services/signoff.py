"""What a day's sign-off (签核) needs, checked before anybody types a PIN.

A day is signed by a leader once every shift that *started* on it is closed: handed over to the
next shift or closed for the night (收班). A station that closes in the evening signs the same
evening; a station on 24-hour duty signs the day when its last shift (the night shift that began
that evening) has been handed over the next morning. The sign-off covers those shifts and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from checkpoint.errors import InputError
from checkpoint.i18n import t
from checkpoint.domain import clock
from checkpoint.services.accounts import Account
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import review as review_store
from checkpoint.store import shifts as shift_store


@dataclass(frozen=True)
class SignoffCheck:
    """Whether `day` can be signed now, and what the sign-off would cover."""

    day: str
    problems: list[str] = field(default_factory=list)   # one sentence each; empty: ready to sign
    covered: list[str] = field(default_factory=list)    # the day's shifts, one line each
    future: bool = False                                 # the day has not come yet (a typing error)

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def scope(self) -> str:
        """One line saying what the sign-off covers."""
        if not self.covered:
            return t("dayclose.signoff_no_shifts", day=self.day)
        return t("dayclose.signoff_covers", day=self.day, shifts="、".join(self.covered))


def _shift_line(row: dict, tz: str) -> str:
    start = clock.local(row["started_at"], tz)
    kind = t(f"shift.kind_{row['kind']}")
    if row["closed_at"] is None:
        return t("dayclose.shift_open_line", id=row["id"], kind=kind, start=start.strftime("%H:%M"))
    end = clock.local(row["closed_at"], tz)
    end_text = end.strftime("%H:%M") if end.date() == start.date() else t("dayclose.next_day", time=end.strftime("%H:%M"))
    how = t("dayclose.how_closed") if row["closed_by_close"] else t("dayclose.how_handed")
    return t("dayclose.shift_line", id=row["id"], kind=kind, start=start.strftime("%H:%M"), end=end_text, how=how)


def check(store: Store, account: Account | None, day: str, now: dt.datetime | None = None) -> SignoffCheck:
    """Every reason `account` cannot sign `day` off now, each named, and the shifts it would cover.

    Raises InputError only for a date that cannot be read (YYYY-MM-DD)."""
    station = require_station(store)
    try:
        when = dt.date.fromisoformat((day or "").strip())
    except ValueError:
        raise InputError("register.date_format", field="date") from None
    day = when.isoformat()
    problems: list[str] = []
    if account is None or not account.may("day.signoff"):
        role = account.role_label if account is not None else "-"
        problems.append(t("dayclose.signoff_role", role=role))
    today = clock.local(now or clock.utc_now(), station.tz).date()
    if when > today:
        problems.append(t("review.signoff_future", day=day))
    signed = review_store.signoff(store, day)
    if signed is not None:
        at = clock.local(signed["signed_at"], station.tz).strftime("%Y-%m-%d %H:%M")
        problems.append(t("review.signed", day=day, by=signed.get("staff_name") or "", at=at))
    rows = shift_store.started_on(store, day)
    for row in rows:
        if row["closed_at"] is None:
            problems.append(t("dayclose.signoff_open", id=row["id"], kind=t(f"shift.kind_{row['kind']}"),
                              start=clock.local(row["started_at"], station.tz).strftime("%H:%M")))
    return SignoffCheck(day, problems, [_shift_line(r, station.tz) for r in rows], when > today)


def signoff_of(store: Store, day: str) -> dict | None:
    """{"by": leader, "at": local "YYYY-MM-DD HH:MM"} when `day` is signed off, else None (the
    daily export says which). Raises DatabaseError when the station is not set up."""
    row = review_store.signoff(store, day)
    if row is None:
        return None
    tz = require_station(store).tz
    return {"by": row.get("staff_name") or "", "at": clock.local(row["signed_at"], tz).strftime("%Y-%m-%d %H:%M")}
