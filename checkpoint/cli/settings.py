"""`checkpoint config`: the station's settings (show, set)."""

from __future__ import annotations

import click

from checkpoint.cli.context import as_options, db_option, open_as, open_station


def _setting_text(value) -> str:
    """A switch prints on/off; a text setting (export-dir) prints itself, "-" when unset."""
    if isinstance(value, str):
        return value or "-"
    return "on" if value else "off"


@click.group()
def config():
    """Station settings (e.g. the health-code field)."""


@config.command("show")
@db_option
@click.pass_context
def config_show(ctx):
    from checkpoint.services.settings import all_settings

    for name, value in all_settings(open_station(ctx, create=False)).items():
        click.echo(f"{name}\t{_setting_text(value)}")


@config.command("set")
@db_option
@as_options
@click.argument("name")
@click.argument("value")
@click.pass_context
def config_set(ctx, as_name, pin, name, value):
    """Change a setting: checkpoint config set health-code on --as LEADER"""
    from checkpoint.services.settings import change_setting

    store, by = open_as(ctx, as_name, pin)
    switch = change_setting(store, by, name, value)
    click.echo(f"{name}\t{_setting_text(switch)}")
