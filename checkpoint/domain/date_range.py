"""A range of days as a person types it, the same at the review screen's T and in `checkpoint
search --date`: one day (2026-11-24), two days joined by ~ or ～ (2026-11-01~2026-11-24, either
order), or all / 全部 for the whole log."""

from __future__ import annotations

from checkpoint.domain.clock import parse_day
from checkpoint.errors import InputError

ALL_FROM, ALL_TO = "0001-01-01", "9999-12-31"   # the whole log, as a range of days
_ALL_WORDS = ("all", "全部")


def parse_date_range(text: str | None) -> tuple[str, str]:
    """The first and last day (ISO dates) of the range `text` names; nothing, "all" or "全部" is the
    whole log (ALL_FROM, ALL_TO). Raises InputError review.dates_bad (field "date"), naming what was
    typed, for anything else."""
    if not text or text.strip().lower() in _ALL_WORDS:
        return ALL_FROM, ALL_TO
    first, sep, last = text.replace("～", "~").partition("~")
    try:
        a = parse_day(first.strip())
        b = parse_day(last.strip()) if sep else a
    except InputError:
        raise InputError("review.dates_bad", field="date", value=text) from None
    return min(a, b).isoformat(), max(a, b).isoformat()
