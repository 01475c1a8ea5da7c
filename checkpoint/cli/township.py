"""The township office's commands (`checkpoint township ...`).

The township has its own database file: --db PATH, else CHECKPOINT_TOWNSHIP_DB, else township.db
in the user data folder (never the station's checkpoint.db, and a station's file is refused).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from checkpoint import exit_codes
from checkpoint.cli.policy import echo_policy, parse_rules
from checkpoint.cli.retention import confirm_purge
from checkpoint.i18n import t

TOWNSHIP_DB_ENV = "CHECKPOINT_TOWNSHIP_DB"


def township_db_path(ctx: click.Context) -> Path:
    """The township's database file: --db, else CHECKPOINT_TOWNSHIP_DB, else township.db in the user
    data folder (made when missing)."""
    option = (ctx.obj or {}).get("db_option") or os.environ.get(TOWNSHIP_DB_ENV)
    if option:
        return Path(option).expanduser()
    from checkpoint.config import default_db_path

    path = default_db_path().with_name("township.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _remember_db(ctx: click.Context, _param, value: str | None) -> None:
    if value:
        ctx.ensure_object(dict)
        ctx.obj["db_option"] = value


def township_db_option(f):
    """--db after the subcommand, as for the station's commands, but naming the township's file."""
    return click.option("--db", "db_override", default=None, expose_value=False, is_eager=True,
                        callback=_remember_db,
                        help=f"The township database file (or {TOWNSHIP_DB_ENV}).")(f)


def open_township(ctx: click.Context, create: bool = False):
    """The township's database for this command, closed when it ends."""
    from checkpoint.township.office import open_township as open_file

    store = open_file(township_db_path(ctx), create=create)
    ctx.call_on_close(store.close)
    return store


@click.group(invoke_without_command=True)
@township_db_option
@click.pass_context
def township(ctx):
    """The township office (镇防控办): stations, collecting daily bundles, the report, the bundle
    back to the stations. With no command, opens the township dashboard."""
    if ctx.invoked_subcommand is None:
        from checkpoint.township.dashboard import run_dashboard

        sys.exit(run_dashboard(township_db_path(ctx)))


@township.command("init")
@township_db_option
@click.option("--name", required=True, help="The township's name, e.g. 青山镇.")
@click.option("--tz", default="Asia/Shanghai", show_default=True)
@click.option("--cutoff", default="17:00", show_default=True, help="Daily report cut-off, HH:MM (local).")
@click.pass_context
def township_init(ctx, name, tz, cutoff):
    """Create the township database and its signing key; prints the key's fingerprint."""
    from checkpoint.township import office as service

    path = township_db_path(ctx)
    existed = path.exists()
    store = open_township(ctx, create=True)
    try:
        town = service.init_township(store, name, tz, cutoff)
    except Exception:
        if not existed:  # a refused init leaves no empty database behind
            store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    click.echo(t("township.ready", name=town.name, cutoff=town.cutoff))
    click.echo(t("township.fingerprint", key_id=town.key_id, fingerprint=town.fingerprint))


@township.command("key")
@township_db_option
@click.option("--out", required=True, help="File to write the township's public key to.")
@click.pass_context
def township_key(ctx, out):
    """Write the township's public key for the stations' first `checkpoint import`."""
    from checkpoint.township import office as service

    town = service.export_key(open_township(ctx), Path(out))
    click.echo(t("township.key_written", path=out, key_id=town.key_id, fingerprint=town.fingerprint))


@township.command("rotate-key")
@township_db_option
@click.pass_context
def township_rotate_key(ctx):
    """Replace the township's keys; the next bundle tells the stations, signed with the old key."""
    from checkpoint.township import office as service

    old, new = service.rotate_key(open_township(ctx))
    click.echo(t("exchange.rotated", old=old.fingerprint, new=new.fingerprint))


@township.command("open")
@township_db_option
@click.argument("bundle")
@click.option("--out", required=True, help="Folder to write the readable files into (made; never overwritten).")
@click.pass_context
def township_open(ctx, bundle, out):
    """Check a station bundle and write its files readable (the sealed ones decrypted) for the clerk."""
    from checkpoint.township import collect as service

    folder = service.open_readable(open_township(ctx), Path(bundle), Path(out))
    click.echo(t("exchange.open_done", path=str(folder)))


@township.command("cutoff")
@township_db_option
@click.argument("time")
@click.pass_context
def township_cutoff(ctx, time):
    """Set the daily report cut-off (HH:MM, township local time); later reports are marked late."""
    from checkpoint.township import office as service

    click.echo(t("township.cutoff_set", cutoff=service.set_cutoff(open_township(ctx), time)))


@township.group("station")
def township_station():
    """Registered stations: add (from a key file), list, revoke."""


@township_station.command("add")
@township_db_option
@click.argument("keyfile")
@click.pass_context
def station_add(ctx, keyfile):
    """Register a station from the file `checkpoint keys export` made at the station."""
    from checkpoint.exchange.key_files import read_key_file
    from checkpoint.township import office as service

    store = open_township(ctx)
    info, added = service.add_station(store, Path(keyfile))
    click.echo(t("township.station_added" if added else "township.station_known", code=info.code, name=info.name,
                 fingerprint=read_key_file(Path(keyfile)).fingerprint))


@township_station.command("list")
@township_db_option
@click.pass_context
def station_list(ctx):
    """One line per registered station: code, name, keys, state."""
    from checkpoint.township import office as service

    stations = service.list_stations(open_township(ctx))
    if not stations:
        click.echo(t("township.no_stations"), err=True)
    for s in stations:
        state = t("township.station_active") if s.active else t("township.station_revoked_mark")
        click.echo("\t".join([s.code, s.name, ",".join(s.key_ids) or "-", state]))


@township_station.command("revoke")
@township_db_option
@click.argument("code")
@click.option("--reason", default="", help="Why (required), e.g. 笔记本丢失.")
@click.pass_context
def station_revoke(ctx, code, reason):
    """Revoke a station's key: its bundles are refused; stations refuse the passes it signed."""
    from checkpoint.township import office as service

    count = service.revoke_station(open_township(ctx), code, reason)
    click.echo(t("township.station_revoked", code=code, count=count))


@township.command("collect")
@township_db_option
@click.argument("paths", nargs=-1, required=True)
@click.pass_context
def township_collect(ctx, paths):
    """Collect station bundles: folders, .zip files, or a whole tree (a USB stick).
    Exit 0 when every bundle was accepted, 1 when any was rejected (each with its reason)."""
    from checkpoint.township import collect as service

    outcomes = service.collect(open_township(ctx), [Path(p) for p in paths])
    for outcome in outcomes:
        click.echo(outcome.line)
    rejected = sum(not o.accepted for o in outcomes)
    click.echo(t("township.collect_summary", total=len(outcomes), accepted=len(outcomes) - rejected,
                 rejected=rejected), err=True)
    sys.exit(exit_codes.REFUSED if rejected else exit_codes.DONE)


@township.command("report")
@township_db_option
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default: today).")
@click.option("--out", required=True, help="Folder for the XLSX and Markdown report.")
@click.pass_context
def township_report(ctx, day, out):
    """The township's report of a day: prints the stations' lines, then the two files written."""
    from checkpoint.domain import clock
    from checkpoint.township import report as service
    from checkpoint.township import report_files

    if day is not None:
        day = clock.parse_day(day).isoformat()
    store = open_township(ctx)
    written = report_files.write_report(store, day or service.latest_day(store), Path(out))
    report = written.report
    for s in report.stations:
        click.echo("\t".join([s.code, s.name, service.status_text(s, t), str(s.persons)]))
    click.echo(t("township.report_done", day=report.day, stations=len(report.stations),
                 missing=report.count("missing"), zero=report.count("zero"),
                 people=report.follow_up_people), err=True)
    for other in written.files[2:]:   # the Word document (township_docx)
        click.echo(str(other))
    click.echo(str(written.xlsx))
    click.echo(str(written.markdown))


@township.command("bundle")
@township_db_option
@click.option("--out", required=True, help="Folder to write the township bundle into.")
@click.pass_context
def township_bundle(ctx, out):
    """Write the signed bundle for the stations: trust list, revocations, key areas and rules."""
    from checkpoint.township import bundle as service

    result = service.write_bundle(open_township(ctx), Path(out))
    click.echo(t("township.bundle_done", serial=result.serial, keys=result.keys, revocations=result.revocations,
                 policy=result.policy_version or "-"), err=True)
    click.echo(str(result.folder))
    click.echo(str(result.zip_path))


@township.group("policy")
def township_policy():
    """The key areas and rules the township sends to its stations."""


@township_policy.command("set")
@township_db_option
@click.option("--key-areas", default=None, help="Comma-separated key areas (replaces the list).")
@click.option("--rule", "rules", multiple=True, help="RULE=DISPOSITION, e.g. outsider_default=turn-back")
@click.option("--note", default="")
@click.pass_context
def township_policy_set(ctx, key_areas, rules, note):
    from checkpoint.township import office as service

    policy = service.set_policy(open_township(ctx), key_areas, parse_rules(rules), note)
    click.echo(t("township.policy_saved", version=policy.version, areas="、".join(policy.key_areas) or "-"))


@township_policy.command("show")
@township_db_option
@click.pass_context
def township_policy_show(ctx):
    from checkpoint.township import office as service

    policy = service.current_policy(open_township(ctx))
    if policy is None:
        click.echo(t("township.policy_none"))
        return
    echo_policy(policy, t("policy.version", version=policy.version))


@township.command("purge")
@township_db_option
@click.option("--before", required=True, help="Empty follow-up contacts of days before this date.")
@click.option("--yes", is_flag=True, help="Confirm: the purge cannot be undone.")
@click.pass_context
def township_purge(ctx, before, yes):
    """Empty the follow-up lists' names, IDs, phones and addresses before a date. Counts stay."""
    from checkpoint.township import office as township_service

    store = open_township(ctx)
    count = township_service.follow_ups_to_purge(store, before)
    click.echo(t("purge.plan", before=before, entries=count, passes=0), err=True)
    if not count:
        click.echo(t("purge.nothing", before=before))
        return
    confirm_purge(yes)
    done = township_service.purge_follow_ups(store, before)
    click.echo(t("purge.done", before=before, entries=done, passes=0))
