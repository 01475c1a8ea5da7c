"""`checkpoint staff`: the accounts (add, list, disable)."""

from __future__ import annotations

import click

from checkpoint.cli.context import acting, as_pin_options, db_option, open_as, open_station
from checkpoint.i18n import t


@click.group()
def staff():
    """Accounts: add, list, disable."""


@staff.command("add")
@db_option
@click.option("--name", required=True)
@click.option("--role", required=True, help="staff | leader | admin")
@click.option("--pin", required=True, help="The new account's PIN (4-8 digits).")
@as_pin_options("The leader adding the account (PIN from CHECKPOINT_PIN or --as-pin).")
@click.pass_context
def staff_add(ctx, name, role, pin, as_name, as_pin):
    """Add an account."""
    from checkpoint.services import accounts
    from checkpoint.services.station import require_station

    store = open_station(ctx, create=False)
    require_station(store)   # before the acting person: a file with no station has no accounts to name
    by = acting(store, as_name, as_pin) if as_name else None
    account = accounts.add_staff(store, name, role, pin, by)
    click.echo(t("account.added", name=account.name, role=account.role_label))


@staff.command("list")
@db_option
@click.pass_context
def staff_list(ctx):
    """List the accounts."""
    from checkpoint.services import accounts

    for row in accounts.list_staff(open_station(ctx, create=False)):
        state = "" if row["active"] else t("staff.disabled_mark")
        click.echo(f"{row['name']}\t{t('role.' + row['role'])}\t{row['role']}\t{state}".rstrip())


@staff.command("disable")
@db_option
@click.argument("name")
@as_pin_options()
@click.pass_context
def staff_disable(ctx, name, as_name, as_pin):
    """Disable an account (it stays in the records)."""
    from checkpoint.services import accounts

    store, by = open_as(ctx, as_name, as_pin, optional=True)
    accounts.disable_staff(store, name, by)
    click.echo(t("account.disabled_done", name=name))
