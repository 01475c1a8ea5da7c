"""The review without the UI: `search`, `amend`, `signoff` (each acting as a person: --as, PIN)."""

from __future__ import annotations

import dataclasses
import os

import click

from checkpoint.cli import acting, as_options, db_option, main, open_db
from checkpoint.errors import InputError
from checkpoint.i18n import t


def _dates(text: str | None) -> tuple[str, str]:
    from checkpoint.services.review import ALL_FROM, ALL_TO
    from checkpoint.services.clock import parse_day

    if not text or text.strip().lower() in ("all", "全部"):
        return ALL_FROM, ALL_TO
    first, sep, last = text.replace("～", "~").partition("~")
    try:
        a = parse_day(first.strip())
        b = parse_day(last.strip()) if sep else a
    except InputError:
        raise InputError("review.dates_bad", field="date", value=text) from None
    return (min(a, b).isoformat(), max(a, b).isoformat())


@main.command()
@db_option
@as_options
@click.argument("text")
@click.option("--date", "dates", default=None, help="YYYY-MM-DD or YYYY-MM-DD~YYYY-MM-DD (default: all dates)")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
@click.pass_context
def search(ctx, as_name, pin, text, dates, limit):
    """Find entries by name, pinyin or initials, ID or phone (or their last digits), or plate.
    One masked line per match, newest first."""
    from checkpoint.services import review

    day_from, day_to = _dates(dates)
    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    lines, total = review.search_lines(store, by, text, day_from, day_to, limit)
    if not lines:
        click.echo(t("review.cli_none"), err=True)
        return
    for line in lines:
        marks = ("✎" if line.amended else "") + ("⚑" if line.flagged else "")
        click.echo("\t".join([str(line.id), f"{line.day} {line.time}", line.name + marks, line.doc, line.phone,
                              line.plate or "-", line.temp, line.direction, line.disposition]))
    if total > len(lines):
        click.echo(t("review.cli_count", total=total, shown=len(lines)), err=True)


@main.command()
@db_option
@as_options
@click.argument("entry_id")
@click.option("--reason", required=True, help="Why the entry is corrected (required).")
@click.option("--name", default=None)
@click.option("--doc-type", default=None)
@click.option("--id", "doc_no", default=None, help="证件号码")
@click.option("--phone", default=None)
@click.option("--address", default=None)
@click.option("--resident/--outsider", default=None)
@click.option("--origin", default=None)
@click.option("--key-area", "travel_where", default=None, help="Key-area travel: where ('' for none).")
@click.option("--purpose", default=None)
@click.option("--destination", default=None)
@click.option("--symptoms", default=None, help="Comma list ('' for none)")
@click.option("--temp", default=None)
@click.option("--temp-method", default=None)
@click.option("--not-measured", "not_measured", default=None)
@click.option("--recheck-temp", default=None)
@click.option("--direction", default=None)
@click.option("--disposition", default=None)
@click.pass_context
def amend(ctx, as_name, pin, entry_id, reason, resident, **changes):
    """Correct an entry (leader): the given fields change, the desk's checks apply, the original
    stays in the history."""
    from checkpoint.domain.policy import parse_disposition
    from checkpoint.services import review

    if not entry_id.isdigit() or int(entry_id) < 1:
        raise InputError("review.cli_id", value=entry_id)
    given = {k: v for k, v in changes.items() if v is not None}
    if not given and resident is None:
        raise InputError("review.cli_amend_nothing")
    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    form = review.amendment_form(store, int(entry_id))
    if "disposition" in given:
        chosen = parse_disposition(given["disposition"])
        if not chosen:
            raise InputError("disposition.unknown", field="disposition", value=given["disposition"])
        given["disposition"] = chosen
    if "symptoms" in given:
        given["symptoms"] = tuple(s.strip() for s in given["symptoms"].replace("，", ",").split(",") if s.strip())
    if "travel_where" in given:
        given["key_area_travel"] = bool(given["travel_where"].strip())
    if "not_measured" in given:
        given["not_measured_reason"] = given.pop("not_measured")
        given.setdefault("temp_method", "none")
        given.setdefault("temp", "")
    if resident is not None:
        given["resident"] = resident
    done = review.amend(store, by, int(entry_id), dataclasses.replace(form, **given), reason)
    fields = "、".join(t(f"field.{f}") for f in done.fields)
    click.echo(t("review.cli_amended", id=done.entry_id, fields=fields))


@main.command()
@db_option
@as_options
@click.option("--date", "day", required=True, help="The day to sign off, YYYY-MM-DD.")
@click.pass_context
def signoff(ctx, as_name, pin, day):
    """Sign a day off (leader, PIN), once every shift of that day is handed over."""
    from checkpoint.services import review
    from checkpoint.services.clock import parse_day

    day = parse_day(day).isoformat()
    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    done = review.sign_off(store, by, day, pin or os.environ.get("CHECKPOINT_PIN", ""))
    click.echo(t("review.signed", day=done.day, by=done.by, at=done.at))
