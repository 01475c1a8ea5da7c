"""`checkpoint purge`: the station's personal data kept no longer than needed (`checkpoint township
purge` is the township's, in cli/township.py)."""

from __future__ import annotations

import click

from checkpoint.cli.context import as_options, confirmed, db_option, open_as
from checkpoint.errors import InputError
from checkpoint.i18n import t


def confirm_purge(yes: bool) -> None:
    """Go on only with --yes or a "y" typed at a terminal; else InputError purge.needs_yes."""
    if not confirmed(yes, "purge.needs_yes", t("purge.confirm")):
        raise InputError("purge.needs_yes")


@click.command()
@db_option
@as_options
@click.option("--before", required=True, help="Empty personal data of days before this date (YYYY-MM-DD).")
@click.option("--yes", is_flag=True, help="Confirm: the purge cannot be undone.")
@click.pass_context
def purge(ctx, as_name, pin, before, yes):
    """Empty names, ID numbers, phones and addresses before a date (admin). Counts stay."""
    from checkpoint.services import purge as purge_service

    store, by = open_as(ctx, as_name, pin)
    todo = purge_service.plan(store, before, by=by)
    click.echo(t("purge.plan", before=todo.before, entries=todo.entries, passes=todo.passes), err=True)
    if not todo.entries and not todo.passes and not todo.erase_owed:
        click.echo(t("purge.nothing", before=todo.before))
        return
    if todo.entries or todo.passes:
        confirm_purge(yes)

    def progress(stage: str, done: int, total: int) -> None:
        click.echo(f"\r{t('purge.progress_' + stage)} {done}/{total}", nl=False, err=True)

    done = purge_service.purge(store, by, todo.before, progress)
    click.echo("", err=True)
    click.echo(t("purge.done", before=done.before, entries=done.entries, passes=done.passes))
    click.echo(t("purge.erased") if done.erased else t("purge.erase_pending"))
