"""`checkpoint village`: the station's own villages, which 住址/村 completes from and which make an
address local (本镇居民). Learnt from residents' addresses as they are saved; a leader adds the ones
not seen yet and removes a wrong one."""

from __future__ import annotations

import click

from checkpoint.cli.context import as_options, db_option, open_as, open_station
from checkpoint.i18n import t


@click.group()
def village():
    """The station's villages (住址/村 completion and who is a resident)."""


@village.command("list")
@db_option
@click.pass_context
def village_list(ctx):
    """Every village, with how it came into the list; hidden ones marked."""
    from checkpoint.services import places

    for row in places.list_villages(open_station(ctx, create=False)):
        hidden = "\t" + t("village.hidden") if row["removed"] else ""
        click.echo(f"{row['name']}\t{t('village.' + row['source'])}{hidden}")


@village.command("add")
@db_option
@as_options
@click.argument("name")
@click.pass_context
def village_add(ctx, as_name, pin, name):
    """Add a village: checkpoint village add 红旗村 --as LEADER"""
    from checkpoint.services import places

    places.add_village(*open_as(ctx, as_name, pin), name)
    click.echo(t("village.added", name=name.strip()))


@village.command("remove")
@db_option
@as_options
@click.argument("name")
@click.pass_context
def village_remove(ctx, as_name, pin, name):
    """Hide a village from the completion and the resident rule (the audit keeps it)."""
    from checkpoint.services import places

    places.remove_village(*open_as(ctx, as_name, pin), name)
    click.echo(t("village.removed", name=name.strip()))
