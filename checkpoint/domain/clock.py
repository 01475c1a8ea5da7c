"""Time as the station and the township keep it: stored as UTC, shown and grouped into days in a
time zone (the station's or the township's). `utc_now` is "now" wherever a caller gives no `now` of its own."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from checkpoint.errors import InputError

DEFAULT_TZ = "Asia/Shanghai"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InputError("station.tz_unknown", field="tz", value=name) from None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def local(ts: dt.datetime | str, tz: str) -> dt.datetime:
    if isinstance(ts, str):
        ts = dt.datetime.fromisoformat(ts)
    return ts.astimezone(zone(tz))


def local_day(ts: dt.datetime, tz: str) -> str:
    return local(ts, tz).date().isoformat()


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise InputError("register.date_format", field="date") from None
