"""How current this station's trust is (`checkpoint status`, the line on the pass check screen):
which township list it checks passes against and how old that list is, and the keys it holds.

A list older than the setting trust-max-age (days, default 3) is called old: a revocation made at
the township since then is not known here, so a revoked pass could still pass this checkpoint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checkpoint.errors import CheckpointError, InputError
from checkpoint.exchange.key_files import fingerprint
from checkpoint.i18n import t
from checkpoint.domain import clock
from checkpoint.services import settings
from checkpoint.services.station import require_station
from checkpoint.services.township_import import encryption_key, list_state, stored_township_key
from checkpoint.store import Store
from checkpoint.store import passes as pass_store


@dataclass(frozen=True)
class TrustState:
    station_code: str
    station_name: str
    station_fingerprint: str | None
    township_fingerprint: str | None
    township_owner: str | None
    can_seal: bool                  # the township's encryption key is here: exports seal personal files
    serial: int | None              # the township bundle applied last
    issued_at: dt.datetime | None   # its issue time
    age: dt.timedelta | None
    max_days: int

    @property
    def stale(self) -> bool:
        """No township list at all, or one older than the maximum."""
        return self.age is None or self.age > dt.timedelta(days=self.max_days)


def max_age_days(store: Store) -> int:
    """The days after which the township's list counts as old (setting trust-max-age); the default
    when the kept value is broken."""
    try:
        return int(settings.check_max_age(settings.text_setting(store, "trust-max-age")))
    except InputError:  # a value broken behind the program's back: the default, never "no limit"
        return int(settings.TEXT_KNOWN["trust-max-age"][1])


def trust_state(store: Store, now: dt.datetime | None = None) -> TrustState:
    """The station's trust as it stands. Raises DatabaseError when the station is not set up."""
    station = require_station(store)
    now = now or clock.utc_now()
    own = pass_store.own_key(store)
    township = stored_township_key(store)
    serial, issued = list_state(store)
    issued_at = dt.datetime.fromisoformat(issued) if issued else None
    age = max(now - issued_at, dt.timedelta(0)) if issued_at is not None else None
    return TrustState(station.code, station.name, fingerprint(own["public_key"]) if own else None,
                      township.fingerprint if township else None, township.owner if township else None,
                      encryption_key(store) is not None, serial, issued_at, age, max_age_days(store))


def age_text(age: dt.timedelta) -> str:
    """An age in the words a duty officer reads: 2天3小时, 5小时, 不到1小时."""
    hours = int(age.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    if days:
        return t("exchange.age_days", days=days, hours=hours)
    if hours:
        return t("exchange.age_hours", hours=hours)
    return t("exchange.age_fresh")


def list_age_line(store: Store, now: dt.datetime | None = None) -> str:
    """One line for the pass check screen: the township list's number and age, with a warning when
    it is old or missing. Never raises (the screen must open whatever the database says)."""
    try:
        state = trust_state(store, now)
    except CheckpointError:
        return ""
    if state.serial is None or state.age is None:
        return t("exchange.list_none")
    line = t("exchange.list_age", serial=state.serial, age=age_text(state.age))
    return line + t("exchange.list_old", days=state.max_days) if state.stale else line


def status_lines(store: Store, now: dt.datetime | None = None) -> list[str]:
    """`checkpoint status`: the station, its key, the township's key, the township list and its age.
    Raises DatabaseError when the station is not set up."""
    state = trust_state(store, now)
    tz = require_station(store).tz
    lines = [t("exchange.status_station", name=state.station_name, code=state.station_code),
             t("exchange.status_own_key", fingerprint=state.station_fingerprint or t("exchange.status_none"))]
    if state.township_fingerprint is None:
        lines.append(t("exchange.status_no_township_key"))
    else:
        lines.append(t("exchange.status_township_key", owner=state.township_owner,
                       fingerprint=state.township_fingerprint))
    lines.append(t("exchange.status_sealing_on") if state.can_seal else t("exchange.status_sealing_off"))
    if state.serial is None or state.issued_at is None or state.age is None:
        lines.append(t("exchange.list_none"))
    else:
        lines.append(t("exchange.status_list", serial=state.serial,
                       issued=clock.local(state.issued_at, tz).strftime("%Y-%m-%d %H:%M"), age=age_text(state.age),
                       days=state.max_days))
        if state.stale:
            lines.append(t("exchange.status_list_old", days=state.max_days))
    return lines
