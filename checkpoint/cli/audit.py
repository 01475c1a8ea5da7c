"""`checkpoint audit verify`: the audit chain checked whole, optionally against an exported head."""

from __future__ import annotations

import sys

import click

from checkpoint import exit_codes
from checkpoint.cli.context import db_option, open_station
from checkpoint.i18n import t


@click.group()
def audit():
    """The audit chain."""


@audit.command("verify")
@db_option
@click.option("--anchor", default=None,
              help="A daily export bundle (folder or .zip) or a JSON head file: the chain must still hold its head.")
@click.pass_context
def audit_verify(ctx, anchor):
    """Check the audit chain; exit 0 whole, 1 broken (naming the first broken row)."""
    from checkpoint.services.audit import describe, read_anchor, verify_chain

    store = open_station(ctx, create=False)
    head = read_anchor(store, anchor) if anchor else None
    report = verify_chain(store, anchor=head)
    click.echo(describe(report))
    if head is not None and report.whole:
        click.echo(t("audit.anchor_checked", seq=head.seq))
    sys.exit(exit_codes.DONE if report.whole else exit_codes.REFUSED)
