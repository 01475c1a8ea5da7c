"""`checkpoint init` (set the station up, as the first-run screen does) and `checkpoint demo` (the UI
on a database of made-up records, or only the records)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from checkpoint.cli.context import db_option, open_station, progress_printer, run_ui
from checkpoint.config import demo_db_path
from checkpoint.errors import InputError
from checkpoint.i18n import t


@click.command()
@db_option
@click.option("--station-code", required=True)
@click.option("--station-name", required=True)
@click.option("--township", required=True)
@click.option("--leader", required=True, help="Name of the first leader account.")
@click.option("--pin", required=True, help="PIN of the first leader (4-8 digits).")
@click.option("--tz", default="Asia/Shanghai", show_default=True)
@click.pass_context
def init(ctx, station_code, station_name, township, leader, pin, tz):
    """Set up the station (the same as the first-run screen)."""
    from checkpoint.services.setup import check_setup, init_station

    check_setup(station_code, station_name, township, tz, leader, pin)
    store = open_station(ctx)
    station = init_station(store, station_code, station_name, township, leader, pin, tz)
    click.echo(t("station.ready", name=station.name, code=station.code, township=station.township))


@click.command()
@db_option
@click.option("--generate", "generate", type=int, default=None,
              help="Only generate N registrations into --db (no UI).")
@click.option("--days", type=int, default=None, help="Spread the generated entries over this many days.")
@click.option("--seed", type=int, default=7, show_default=True)
@click.pass_context
def demo(ctx, generate, days, seed):
    """Open the UI on a demo database with realistic records (or only generate one)."""
    from checkpoint.services import demo as demo_service
    from checkpoint.services.station import open_station as open_file

    db_option = ctx.obj["db_option"] or os.environ.get("CHECKPOINT_DB")
    if generate is not None:
        if not db_option:
            raise InputError("demo.db_required", field="db")
        if generate < 0 or generate > 50_000_000:
            raise InputError("demo.count_range", field="generate")
        path = Path(db_option)
        store = open_file(path)
        try:
            info = demo_service.create_demo(store, entries=generate, days=days, seed=seed,
                                            progress=progress_printer())
        finally:
            store.close()
        click.echo(t("demo.generated", count=info.entries, path=str(path)))
        return
    path = Path(db_option) if db_option else demo_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    store = open_file(path)
    try:
        if not demo_service.is_demo(store):
            demo_service.create_demo(store, entries=600, days=days or 4, seed=seed)
    finally:
        store.close()
    run_ui(path, demo=True)
