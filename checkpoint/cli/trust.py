"""What this station trusts: `checkpoint keys` (its own public key, other stations' keys, a new
township key checked by the fingerprint read out over the phone), `checkpoint revocations` (lists
in and out) and `checkpoint status` (station, keys, the township list's age)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checkpoint.cli.context import as_options, as_pin_options, db_option, open_as, open_station
from checkpoint.errors import InputError
from checkpoint.i18n import t


@click.command("status")
@db_option
@click.pass_context
def status(ctx):
    """The station, its key, the township's key and how old the township list is (warns when old)."""
    from checkpoint.services import trust_status

    for line in trust_status.status_lines(open_station(ctx, create=False)):
        click.echo(line)


@click.group()
def keys():
    """Signing keys: this station's public key and the trust list."""


@keys.command("export")
@db_option
@click.option("--out", required=True, help="File to write the public key to.")
@click.pass_context
def keys_export(ctx, out):
    from checkpoint.exchange.key_files import fingerprint
    from checkpoint.services import keys as key_service

    store = open_station(ctx, create=False)
    info = key_service.export_public_key(store, Path(out))
    row = key_service.ensure_station_key(store)
    click.echo(t("keys.exported", path=out, key_id=info.key_id, fingerprint=fingerprint(row["public_key"])))


@keys.command("import")
@db_option
@click.argument("file")
@as_pin_options()
@click.pass_context
def keys_import(ctx, file, as_name, as_pin):
    from checkpoint.exchange.key_files import fingerprint, read_key_file
    from checkpoint.services import keys as key_service

    store, by = open_as(ctx, as_name, as_pin, optional=True)
    public = read_key_file(Path(file)).public_key
    info, added = key_service.import_public_key(store, by, Path(file))
    key = "keys.imported" if added else "keys.known"
    click.echo(t(key, owner=info.owner, key_id=info.key_id, fingerprint=fingerprint(public)))


@keys.command("list")
@db_option
@click.pass_context
def keys_list(ctx):
    from checkpoint.services import keys as key_service

    store = open_station(ctx, create=False)
    key_service.ensure_station_key(store)
    for k in key_service.list_keys(store):
        click.echo("\t".join([k.key_id, k.owner, t("cli.key_own") if k.own else t("cli.key_trusted"),
                              t("verdict.revoked") if k.revoked else ""]).rstrip())


@keys.command("township-replace")
@db_option
@as_options
@click.argument("file")
@click.option("--fingerprint", default=None, help="The fingerprint the township read out (asked when not given).")
@click.pass_context
def township_replace(ctx, as_name, pin, file, fingerprint):
    """Trust a new township key file instead of the stored one (leader), after checking its fingerprint."""
    from checkpoint.services import township_import

    store, by = open_as(ctx, as_name, pin)
    township_import.read_township_key(Path(file))  # a wrong file is said before the question
    if fingerprint is None:  # its fingerprint is not shown first: the person types what the phone said
        if not sys.stdin.isatty():   # a script cannot answer the question: say how to give it
            raise InputError("exchange.fingerprint_needed", field="fingerprint")
        fingerprint = click.prompt(t("exchange.fingerprint_prompt"), err=True)
    new = township_import.replace_township_key(store, by, Path(file), fingerprint)
    click.echo(t("exchange.key_replaced", owner=new.owner, fingerprint=new.fingerprint,
                 sealing=t("exchange.key_replaced_sealing") if new.encryption_key else ""))


@click.group()
def revocations():
    """Revocation lists: import other stations' lists, export this station's."""


@revocations.command("import")
@db_option
@click.argument("file")
@as_pin_options()
@click.pass_context
def revocations_import(ctx, file, as_name, as_pin):
    from checkpoint.services import passes

    store, by = open_as(ctx, as_name, as_pin, optional=True)
    added, known = passes.import_revocations(store, by, Path(file))
    click.echo(t("pass.revocations_imported", added=added, known=known))


@revocations.command("export")
@db_option
@click.option("--out", required=True)
@click.pass_context
def revocations_export(ctx, out):
    from checkpoint.services import passes

    click.echo(passes.export_revocations(open_station(ctx, create=False), Path(out)))
