"""Clock sanity (时钟检查): a laptop whose CMOS battery went flat starts in 2000 or on the day its
BIOS was made, and every entry typed then carries a wrong date into the ledger and the township's
report. At start the computer's clock is compared with the newest record in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.domain.clock import local
from checkpoint.store import Store
from checkpoint.store import newest as newest_store

BEHIND = dt.timedelta(days=1)      # a day behind the newest record: the clock went back
AHEAD = dt.timedelta(days=366)     # over a year after it: a wrong year typed, or a clock gone wild
EARLIEST = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)  # no entry of this program is older


@dataclass(frozen=True)
class ClockWarning:
    """What is wrong with the clock: kind is "behind", "ahead" or "too_early"."""

    kind: str
    now: dt.datetime
    newest: dt.datetime | None

    @property
    def days(self) -> int:
        if self.newest is None:
            return 0
        return abs(self.newest - self.now).days

    def message(self, tz: str) -> str:
        """The sentence for the person, times in the station's zone."""
        def shown(ts: dt.datetime) -> str:
            return local(ts, tz).strftime("%Y-%m-%d %H:%M")

        return t(f"clock.{self.kind}", now=shown(self.now), newest=shown(self.newest) if self.newest else "-",
                 days=max(1, self.days))


def newest_record(store: Store) -> dt.datetime | None:
    """The time of the newest record written (audit row or entry), UTC; None for an empty station."""
    times = []
    for text in newest_store.recent_times(store):
        try:
            ts = dt.datetime.fromisoformat(text)
        except ValueError:
            continue  # an unreadable time is the audit check's business, not the clock's
        times.append(ts if ts.tzinfo else ts.replace(tzinfo=dt.timezone.utc))
    return max(times, default=None)


def check_clock(store: Store, now: dt.datetime) -> ClockWarning | None:
    """A warning when `now` is more than a day before the newest record, over a year after it, or
    before 2020; None when the clock looks right (or the database cannot be read: the desk will say
    that itself)."""
    if now < EARLIEST:
        return ClockWarning("too_early", now, None)
    try:
        newest = newest_record(store)
    except CheckpointError:
        return None
    if newest is None:
        return None
    if now < newest - BEHIND:
        return ClockWarning("behind", now, newest)
    if now > newest + AHEAD:
        return ClockWarning("ahead", now, newest)
    return None
