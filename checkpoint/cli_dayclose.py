"""Closing the day from the command line: `shift close` (收班) and `pass show` (a pass's text and
token). Each is a thin call into a service; registered on the groups of checkpoint.cli."""

from __future__ import annotations

import click

from checkpoint.cli import as_options, db_option, open_db, acting, pass_group, shift
from checkpoint.errors import InputError
from checkpoint.i18n import t


@shift.command("close")
@db_option
@as_options
@click.option("--stock", default="", help='"item=count,..." what is left, e.g. "masks=200,disinfectant=3"')
@click.option("--note", default="")
@click.option("--incidents", default="")
@click.option("--instructions", default="")
@click.option("--equipment", default="")
@click.pass_context
def shift_close(ctx, as_name, pin, stock, note, incidents, instructions, equipment):
    """收班: end the open shift without opening another; open matters wait for the next shift."""
    from checkpoint.domain.shifts import parse_stock
    from checkpoint.services import shifts

    try:
        stock_counts = parse_stock(stock)
    except ValueError as exc:
        raise InputError("shift.stock_format", field="stock", value=str(exc)) from None
    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    result = shifts.close_shift(store, by, stock=stock_counts, note=note, incidents=incidents,
                                instructions=instructions, equipment=equipment)
    click.echo(t("dayclose.closed_done", id=result.closed_shift_id, matters=result.matters))


@pass_group.command("show")
@db_option
@click.argument("number")
@click.option("--qr", is_flag=True, help="Also draw the QR code in the terminal (half blocks).")
@click.pass_context
def pass_show(ctx, number, qr):
    """A pass in words, then its token alone on the last line (for a phone photo or a scanner test)."""
    from checkpoint.services import passes

    store = open_db(ctx, create=False)
    shown = passes.show_pass(store, number)
    click.echo(shown.text())
    if qr:
        from checkpoint.services.pass_cards import terminal_qr

        click.echo(terminal_qr(shown.token))
    click.echo(t("dayclose.pass_show_token"))
    click.echo(shown.token)
