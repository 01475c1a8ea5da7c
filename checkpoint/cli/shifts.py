"""`checkpoint shift` (start, status, roster changes, handover, 收班), `checkpoint handover show` and
`checkpoint matter` (what is carried from shift to shift)."""

from __future__ import annotations

import os

import click

from checkpoint.cli.context import as_options, db_option, open_as, open_station
from checkpoint.errors import InputError
from checkpoint.i18n import t

_STOCK_HELP = '"item=count,..." what is left, e.g. "masks=200,disinfectant=3"'


def _stock(text: str) -> dict[str, int]:
    from checkpoint.domain.shifts import parse_stock

    try:
        return parse_stock(text)
    except ValueError as exc:
        raise InputError("shift.stock_format", field="stock", value=str(exc)) from None


def _echo_warnings(texts) -> None:
    for text in texts:
        click.echo(f"⚠ {text}")


def _print_status(status) -> None:
    s = status.shift
    leader = next((m.name for m in status.roster if m.staff_id == s["leader_id"]), "?")
    click.echo(t("shift.status_line", id=s["id"], kind=t(f"shift.kind_{s['kind']}"), start=status.started_local,
                 leader=leader, count=len(status.roster)))
    click.echo("  " + "、".join(t("shift.roster_line", name=m.name, category=t(f"category.{m.category}"))
                                for m in status.roster))
    _echo_warnings(status.warning_texts)
    c = status.counts
    click.echo(t("handover.persons", **{k: c.get(k, 0) for k in ("persons", "persons_in", "persons_out")}) + "；" +
               t("handover.vehicles", **{k: c.get(k, 0) for k in ("vehicles", "vehicles_in", "vehicles_out")}) +
               "；" + t("handover.fevers", count=c.get("fevers", 0)))
    for m in status.matters:
        click.echo(f"• [{m.ref}] {m.text}")


@click.group()
def shift():
    """Shifts (班次): start, status, roster changes, handover."""


@shift.command("start")
@db_option
@as_options
@click.option("--kind", default=None, help="day | night (default: by the clock and the station's shift times)")
@click.option("--roster", default="", help='"NAME:category,..." (township-cadre, police, district-cadre, village-cadre, medic, volunteer)')
@click.pass_context
def shift_start(ctx, as_name, pin, kind, roster):
    """Start a shift (leader); staffing problems are warned, not refused."""
    from checkpoint.services import shifts

    store, by = open_as(ctx, as_name, pin)
    status = shifts.start_shift(store, by, kind, shifts.parse_roster(roster))
    click.echo(t("shift.started", kind=t(f"shift.kind_{status.shift['kind']}"), id=status.shift["id"],
                 count=len(status.roster)))
    _echo_warnings(status.warning_texts)


@shift.command("status")
@db_option
@click.pass_context
def shift_status(ctx):
    """The open shift: roster, warnings, counts so far, open matters."""
    from checkpoint.services import shifts

    _print_status(shifts.shift_status(open_station(ctx, create=False)))


@shift.command("join")
@db_option
@as_options
@click.argument("name")
@click.option("--category", default="village-cadre", show_default=True)
@click.pass_context
def shift_join(ctx, as_name, pin, name, category):
    """Add a person to the open shift's roster (time-stamped)."""
    from checkpoint.services import shifts

    store, by = open_as(ctx, as_name, pin)
    shifts.change_roster(store, by, name, "join", category)
    _print_status(shifts.shift_status(store))


@shift.command("leave")
@db_option
@as_options
@click.argument("name")
@click.pass_context
def shift_leave(ctx, as_name, pin, name):
    """Take a person off the open shift's roster (time-stamped)."""
    from checkpoint.services import shifts

    store, by = open_as(ctx, as_name, pin)
    shifts.change_roster(store, by, name, "leave")
    _print_status(shifts.shift_status(store))


@shift.command("handover")
@db_option
@as_options
@click.option("--incoming", required=True, help="The incoming leader's name.")
@click.option("--incoming-pin", default=None, help="The incoming leader's PIN (or CHECKPOINT_INCOMING_PIN).")
@click.option("--stock", default="", help=_STOCK_HELP)
@click.option("--note", default="")
@click.option("--incidents", default="")
@click.option("--instructions", default="")
@click.option("--equipment", default="")
@click.option("--next-kind", default=None, help="day | night (default: by the clock and the station's shift times)")
@click.option("--roster", default=None, help="The incoming roster, as for shift start (default: the people on duty "
                                             "now, without the outgoing leader).")
@click.pass_context
def shift_handover(ctx, as_name, pin, incoming, incoming_pin, stock, note, incidents, instructions, equipment,
                   next_kind, roster):
    """Sign the handover: closes this shift and opens the next with the incoming leader."""
    from checkpoint.services import shifts

    stock_counts = _stock(stock)
    store, by = open_as(ctx, as_name, pin)
    result = shifts.hand_over(store, by, incoming, incoming_pin or os.environ.get("CHECKPOINT_INCOMING_PIN", ""),
                              stock=stock_counts, note=note, incidents=incidents, instructions=instructions,
                              equipment=equipment, next_kind=next_kind,
                              next_roster=None if roster is None else shifts.parse_roster(roster))
    click.echo(t("shift.handed_over", closed=result.closed_shift_id, next=result.next_shift_id))


@shift.command("close")
@db_option
@as_options
@click.option("--stock", default="", help=_STOCK_HELP)
@click.option("--note", default="")
@click.option("--incidents", default="")
@click.option("--instructions", default="")
@click.option("--equipment", default="")
@click.pass_context
def shift_close(ctx, as_name, pin, stock, note, incidents, instructions, equipment):
    """收班: end the open shift without opening another; open matters wait for the next shift."""
    from checkpoint.services import shifts

    stock_counts = _stock(stock)
    store, by = open_as(ctx, as_name, pin)
    result = shifts.close_shift(store, by, stock=stock_counts, note=note, incidents=incidents,
                                instructions=instructions, equipment=equipment)
    click.echo(t("dayclose.closed_done", id=result.closed_shift_id, matters=result.matters))


@click.group()
def handover():
    """Handover records."""


@handover.command("show")
@db_option
@click.option("--shift", "shift_id", type=int, default=None, help="The closed shift (default: the last handover).")
@click.pass_context
def handover_show(ctx, shift_id):
    """Print a handover record as Markdown."""
    from checkpoint.services import shifts

    click.echo(shifts.handover_markdown(open_station(ctx, create=False), shift_id), nl=False)


@click.group()
def matter():
    """Open matters carried from shift to shift."""


@matter.command("add")
@db_option
@as_options
@click.argument("text")
@click.pass_context
def matter_add(ctx, as_name, pin, text):
    from checkpoint.services import shifts

    store, by = open_as(ctx, as_name, pin)
    click.echo(t("matter.added", id=shifts.add_matter(store, by, text)))


@matter.command("close")
@db_option
@as_options
@click.argument("ref")
@click.option("--note", default="")
@click.pass_context
def matter_close(ctx, as_name, pin, ref, note):
    """Close a matter: entry:ID (transported, escort closed out) or matter:ID."""
    from checkpoint.services import shifts

    store, by = open_as(ctx, as_name, pin)
    shifts.close_matter(store, by, ref, note)
    click.echo(t("matter.closed", ref=ref))
