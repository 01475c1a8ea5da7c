"""The day's sign-off by the shift leader (what it checks first is services.signoff), and the
desk's reminder of a day not signed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from checkpoint.domain import clock
from checkpoint.errors import InputError, RefusedError
from checkpoint.services import ledger, signoff
from checkpoint.services.accounts import Account, authenticate, require
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import review as review_store


@dataclass(frozen=True)
class SignOff:
    """A signed day: who signed it and when (station time)."""

    day: str
    by: str
    at: str


def signed(store: Store, day: str) -> SignOff | None:
    """The sign-off of `day` (YYYY-MM-DD), or None while it is not signed.
    Raises DatabaseError when the station is not set up."""
    row = review_store.signoff(store, day)
    if row is None:
        return None
    tz = require_station(store).tz
    return SignOff(day, row.get("staff_name") or "", clock.local(row["signed_at"], tz).strftime("%Y-%m-%d %H:%M"))


def sign_off(store: Store, account: Account, day: str, pin: str, now: dt.datetime | None = None) -> SignOff:
    """The leader signs the day, with their PIN, once every shift that started that day is closed
    (handed over or 收班). Every condition is checked before the PIN (services.signoff): the
    refusal names each thing missing. Raises InputError for a bad date, RefusedError otherwise."""
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
    """Yesterday's date when it has entries and no sign-off yet (the desk's banner).
    Raises DatabaseError when the station is not set up."""
    station = require_station(store)
    yesterday = (clock.local(now or clock.utc_now(), station.tz).date() - dt.timedelta(days=1)).isoformat()
    if review_store.has_entries(store, yesterday) and review_store.signoff(store, yesterday) is None:
        return yesterday
    return None
