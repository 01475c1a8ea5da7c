"""What the station sends and receives on the USB stick: `checkpoint export` (the day's signed
bundle for the township) and `checkpoint import` (the township's bundle applied here)."""

from __future__ import annotations

from pathlib import Path

import click

from checkpoint.cli.context import as_options, db_option, open_as, progress_printer
from checkpoint.i18n import t


@click.command("export")
@db_option
@as_options
@click.option("--date", "day", default=None, help="YYYY-MM-DD, the station's local day (default: today).")
@click.option("--out", default=None, help="Folder to write into (default: setting export-dir, else ./exports).")
@click.option("--plain", is_flag=True, help="Write the files naming persons unencrypted (no township key yet).")
@click.option("--local-copy", default=None, help="Also keep a readable copy here (never inside --out).")
@click.pass_context
def export_cmd(ctx, as_name, pin, day, out, plain, local_copy):
    """Write the day's bundle for the township (leader): prints the folder, then the .zip."""
    from checkpoint.domain import clock
    from checkpoint.services import export, ledger

    if day is not None:
        day = clock.parse_day(day).isoformat()  # a bad date is refused before anything else
    store, by = open_as(ctx, as_name, pin)
    result = export.export_day(store, day or ledger.today(store), Path(out) if out else None,
                               progress=progress_printer(), by=by, plain=plain,
                               local_copy=Path(local_copy) if local_copy else None)
    click.echo(t("export.done", day=result.day, revision=result.revision, persons=result.counts["persons"],
                 zero=t("export.done_zero") if result.zero_report else ""), err=True)
    if result.plain:
        click.echo(t("exchange.plain_warning", folder=str(result.folder)), err=True)
    else:
        click.echo(t("exchange.sealed_note", files="、".join(result.sealed)), err=True)
    if result.local_copy is not None:
        click.echo(t("exchange.local_copy_done", path=str(result.local_copy)), err=True)
    click.echo(str(result.folder))
    click.echo(str(result.zip_path))


@click.command("import")
@db_option
@as_options
@click.argument("bundle")
@click.option("--township-key", default=None, help="The township's key file (first import only).")
@click.pass_context
def import_cmd(ctx, as_name, pin, bundle, township_key):
    """Apply the township's bundle at this station (leader): trusted keys, revocations, key areas."""
    from checkpoint.services import township_import as service

    store, by = open_as(ctx, as_name, pin)
    if township_key:
        key = service.read_township_key(Path(township_key))
        click.echo(t("township_import.fingerprint", owner=key.owner, fingerprint=key.fingerprint))
    result = service.import_bundle(store, by, Path(bundle), Path(township_key) if township_key else None)
    if result.already:
        click.echo(t("township_import.already", serial=result.serial, township=result.township))
        return
    if result.key_first_time:
        click.echo(t("township_import.key_stored", owner=result.key.owner, fingerprint=result.key.fingerprint))
    if result.key_changed_from is not None:
        click.echo(t("exchange.key_changed", fingerprint=result.key.fingerprint))
    click.echo(t("township_import.done", township=result.township, serial=result.serial, keys=result.keys_added,
                 revoked=result.keys_revoked, revocations=result.revocations_added,
                 policy=t("township_import.policy_new", version=result.policy_version)
                 if result.policy_version else t("township_import.policy_same")))
