"""`checkpoint purge` and `checkpoint township purge`: personal data kept no longer than needed."""

from __future__ import annotations

import sys

import click

from checkpoint.cli import acting, as_options, db_option, main, open_db
from checkpoint.cli_township import open_township, township, township_db_option
from checkpoint.errors import InputError
from checkpoint.i18n import t


def _confirmed(yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise InputError("purge.needs_yes")
    if not click.confirm(t("purge.confirm"), default=False):
        raise InputError("purge.needs_yes")


@main.command()
@db_option
@as_options
@click.option("--before", required=True, help="Empty personal data of days before this date (YYYY-MM-DD).")
@click.option("--yes", is_flag=True, help="Confirm: the purge cannot be undone.")
@click.pass_context
def purge(ctx, as_name, pin, before, yes):
    """Empty names, ID numbers, phones and addresses before a date (admin). Counts stay."""
    from checkpoint.services import purge as purge_service

    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    todo = purge_service.plan(store, before, by=by)
    click.echo(t("purge.plan", before=todo.before, entries=todo.entries, passes=todo.passes), err=True)
    if not todo.entries and not todo.passes and not todo.erase_owed:
        click.echo(t("purge.nothing", before=todo.before))
        return
    if todo.entries or todo.passes:
        _confirmed(yes)

    def progress(stage: str, done: int, total: int) -> None:
        click.echo(f"\r{t('purge.progress_' + stage)} {done}/{total}", nl=False, err=True)

    done = purge_service.purge(store, by, todo.before, progress)
    click.echo("", err=True)
    click.echo(t("purge.done", before=done.before, entries=done.entries, passes=done.passes))
    click.echo(t("purge.erased") if done.erased else t("purge.erase_pending"))


@township.command("purge")
@township_db_option
@click.option("--before", required=True, help="Empty follow-up contacts of days before this date.")
@click.option("--yes", is_flag=True, help="Confirm: the purge cannot be undone.")
@click.pass_context
def township_purge(ctx, before, yes):
    """Empty the follow-up lists' names, IDs, phones and addresses before a date. Counts stay."""
    from checkpoint.services import township as township_service

    store = open_township(ctx)
    count = township_service.follow_ups_to_purge(store, before)
    click.echo(t("purge.plan", before=before, entries=count, passes=0), err=True)
    if not count:
        click.echo(t("purge.nothing", before=before))
        return
    _confirmed(yes)
    done = township_service.purge_follow_ups(store, before)
    click.echo(t("purge.done", before=before, entries=done, passes=0))
