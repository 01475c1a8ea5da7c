"""The station's trust at a glance and by hand: `checkpoint status` (station, keys, the township
list's age) and `checkpoint keys township-replace FILE` (a new township key, checked by the
fingerprint the township reads out over the phone)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checkpoint.cli import acting, as_options, db_option, keys, main, open_db
from checkpoint.errors import InputError
from checkpoint.i18n import t


@main.command("status")
@db_option
@click.pass_context
def status(ctx):
    """The station, its key, the township's key and how old the township list is (warns when old)."""
    from checkpoint.services import trust_status

    store = open_db(ctx, create=False)
    for line in trust_status.status_lines(store):
        click.echo(line)


@keys.command("township-replace")
@db_option
@as_options
@click.argument("file")
@click.option("--fingerprint", default=None, help="The fingerprint the township read out (asked when not given).")
@click.pass_context
def township_replace(ctx, as_name, pin, file, fingerprint):
    """Trust a new township key file instead of the stored one (leader), after checking its fingerprint."""
    from checkpoint.services import township_import

    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    township_import.read_township_key(Path(file))  # a wrong file is said before the question
    if fingerprint is None:  # its fingerprint is not shown first: the person types what the phone said
        if not sys.stdin.isatty():   # a script cannot answer the question: say how to give it
            raise InputError("exchange.fingerprint_needed", field="fingerprint")
        fingerprint = click.prompt(t("exchange.fingerprint_prompt"), err=True)
    new = township_import.replace_township_key(store, by, Path(file), fingerprint)
    click.echo(t("exchange.key_replaced", owner=new.owner, fingerprint=new.fingerprint,
                 sealing=t("exchange.key_replaced_sealing") if new.encryption_key else ""))
