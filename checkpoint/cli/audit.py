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


class _Bar:
    """click's progress bar on stderr, opened at the first report (when the total is known)."""

    def __init__(self) -> None:
        self.bar = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=t("perf_audit.checking"), file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:   # the verdict goes on a line of its own, the cursor shown again
            self.bar.__exit__(None, None, None)


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
    bar = _Bar() if sys.stderr.isatty() else None   # a year's chain takes seconds: show it moving
    try:
        report = verify_chain(store, progress=bar, anchor=head)
    finally:
        if bar is not None:
            bar.close()
    click.echo(describe(report))
    if head is not None and report.whole:
        click.echo(t("audit.anchor_checked", seq=head.seq))
    sys.exit(exit_codes.DONE if report.whole else exit_codes.REFUSED)
