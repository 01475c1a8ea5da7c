"""`checkpoint backup` (a copy of the database now) and `checkpoint restore` (a backup put back)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checkpoint import exit_codes
from checkpoint.cli.context import as_options, confirmed, credentials, db_option, open_station
from checkpoint.i18n import t


@click.command()
@db_option
@click.option("--out", default=None, help="File to write (default: backups/ beside the database).")
@click.pass_context
def backup(ctx, out):
    """Copy the database now (safe while other lanes are writing)."""
    from checkpoint.services.backup import make_backup

    click.echo(str(make_backup(open_station(ctx, create=False), Path(out) if out else None)))


@click.command()
@db_option
@as_options
@click.argument("file")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def restore(ctx, as_name, pin, file, yes):
    """Replace the database with a backup (admin; checked whole first, the current file kept aside)."""
    from checkpoint.services.backup import restore as restore_file

    as_name, pin = credentials(as_name, pin)   # checked by the service, on the backup's accounts
    if not confirmed(yes, "backup.needs_yes", t("backup.confirm", file=file, db=str(ctx.obj["db"]))):
        sys.exit(exit_codes.REFUSED)
    kept = restore_file(ctx.obj["db"], Path(file), as_name, pin)
    click.echo(t("backup.restored", file=file, kept=str(kept) if kept else "-"))
