"""The review without the UI: `search`, `amend`, `signoff` (each acting as a person: --as, PIN)."""

from __future__ import annotations

import os

import click

from checkpoint.cli.context import as_options, db_option, open_as
from checkpoint.errors import InputError
from checkpoint.i18n import t


@click.command()
@db_option
@as_options
@click.argument("text")
@click.option("--date", "dates", default=None, help="YYYY-MM-DD or YYYY-MM-DD~YYYY-MM-DD (default: all dates)")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
@click.pass_context
def search(ctx, as_name, pin, text, dates, limit):
    """Find entries by name, pinyin or initials, ID or phone (or their last digits), or plate.
    One masked line per match, newest first."""
    from checkpoint.domain.date_range import parse_date_range
    from checkpoint.services import review

    day_from, day_to = parse_date_range(dates)
    store, by = open_as(ctx, as_name, pin)
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


@click.command()
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
    from checkpoint.services import registration, review

    if not entry_id.isdigit() or int(entry_id) < 1:
        raise InputError("review.cli_id", value=entry_id)
    given = {k: v for k, v in changes.items() if v is not None}
    if not given and resident is None:
        raise InputError("review.cli_amend_nothing")
    store, by = open_as(ctx, as_name, pin)
    if resident is not None:
        given["resident"] = resident
    form = registration.typed_form(review.amendment_form(store, int(entry_id)), given)
    done = review.amend(store, by, int(entry_id), form, reason)
    fields = "、".join(t(f"field.{f}") for f in done.fields)
    click.echo(t("review.cli_amended", id=done.entry_id, fields=fields))


@click.command()
@db_option
@as_options
@click.option("--date", "day", required=True, help="The day to sign off, YYYY-MM-DD.")
@click.pass_context
def signoff(ctx, as_name, pin, day):
    """Sign a day off (leader, PIN), once every shift of that day is handed over."""
    from checkpoint.services import review
    from checkpoint.domain.clock import parse_day

    day = parse_day(day).isoformat()
    store, by = open_as(ctx, as_name, pin)
    done = review.sign_off(store, by, day, pin or os.environ.get("CHECKPOINT_PIN", ""))
    click.echo(t("review.signed", day=done.day, by=done.by, at=done.at))
