"""`checkpoint village`: the station's own villages, which 住址/村 completes from and which make an
address local (本镇居民). Learnt from residents' addresses as they are saved; a leader adds the ones
not seen yet and removes a wrong one."""

from __future__ import annotations

import click

from checkpoint.cli import acting, as_options, db_option, main, open_db
from checkpoint.i18n import t


@main.group()
def village():
    """The station's villages (住址/村 completion and who is a resident)."""


@village.command("list")
@db_option
@click.pass_context
def village_list(ctx):
    """Every village, with how it came into the list; hidden ones marked."""
    from checkpoint.services import places

    store = open_db(ctx, create=False)
    for row in places.list_villages(store):
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

    store = open_db(ctx, create=False)
    places.add_village(store, acting(ctx, store, as_name, pin), name)
    click.echo(t("village.added", name=name.strip()))


@village.command("remove")
@db_option
@as_options
@click.argument("name")
@click.pass_context
def village_remove(ctx, as_name, pin, name):
    """Hide a village from the completion and the resident rule (the audit keeps it)."""
    from checkpoint.services import places

    store = open_db(ctx, create=False)
    places.remove_village(store, acting(ctx, store, as_name, pin), name)
    click.echo(t("village.removed", name=name.strip()))
