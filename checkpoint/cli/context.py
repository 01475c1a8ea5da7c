"""What the commands share: the --db and --as/--pin options, the station's database opened for a
command (closed when it ends), the acting person checked by name and PIN, a confirmation that a
script cannot give by accident, and the terminal UI started from a command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from checkpoint.config import resolve_db
from checkpoint.errors import InputError


def _db_override(ctx: click.Context, _param, value: str | None) -> None:
    if value:
        ctx.ensure_object(dict)
        ctx.obj["db_option"] = value
        ctx.obj["db"] = resolve_db(value)


def db_option(f):
    """--db accepted after the subcommand too (`checkpoint register --db X`), as scripts write it."""
    return click.option("--db", "db_override", default=None, expose_value=False, is_eager=True,
                        callback=_db_override, help="The station database file (or CHECKPOINT_DB).")(f)


def as_options(f):
    """--as NAME and --pin PIN: the person acting (PIN also from CHECKPOINT_PIN)."""
    f = click.option("--pin", "pin", default=None, help="PIN of the acting person (or CHECKPOINT_PIN).")(f)
    f = click.option("--as", "as_name", default=None, help="The person acting (their account name).")(f)
    return f


def as_pin_options(as_help: str | None = None):
    """--as NAME and --as-pin PIN, for the commands whose --pin is the new account's (or that have
    none): the acting person is optional there."""
    def add(f):
        f = click.option("--as-pin", default=None)(f)
        return click.option("--as", "as_name", default=None, help=as_help)(f)
    return add


def open_station(ctx: click.Context, create: bool = True):
    """The station's database named by --db / CHECKPOINT_DB, closed when the command ends.
    `create=False` refuses a missing or empty file (DatabaseError)."""
    from checkpoint.services.station import open_station as open_file

    store = open_file(ctx.obj["db"], create=create)
    ctx.call_on_close(store.close)
    return store


def credentials(name: str | None, pin: str | None) -> tuple[str, str]:
    """The acting person's name and PIN (--pin, else CHECKPOINT_PIN); InputError when one is missing."""
    if not name:
        raise InputError("cli.as_required", field="as")
    pin = pin or os.environ.get("CHECKPOINT_PIN", "")
    if not pin:
        raise InputError("account.pin_missing", field="pin")
    return name, pin


def acting(store, name: str | None, pin: str | None):
    """The account of the person acting, checked by name and PIN (RefusedError when wrong)."""
    from checkpoint.services import accounts

    return accounts.authenticate(store, *credentials(name, pin))


def open_as(ctx: click.Context, name: str | None, pin: str | None, *, optional: bool = False):
    """The station's database (existing) and the acting person's account: (store, account). With
    `optional`, no --as means no account (None) instead of an error."""
    store = open_station(ctx, create=False)
    return store, (acting(store, name, pin) if name or not optional else None)


def confirmed(yes: bool, refused_key: str, question: str) -> bool:
    """Whether an action that cannot be undone may go on: --yes, or "y" typed at a terminal. A script
    or a pipe cannot answer, so it is told to give --yes (InputError `refused_key`)."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise InputError(refused_key)
    return click.confirm(question, default=False)


def progress_printer():
    """A function showing "done/total" on a terminal's stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\r{done}/{total}", err=True, nl=done >= total)

    return show


def run_ui(path: Path, demo: bool) -> None:
    """The terminal UI on the station database at `path` (until it is closed)."""
    from checkpoint.app import run_app

    run_app(path, demo=demo)
