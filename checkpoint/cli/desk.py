"""The desk without the UI: `checkpoint register` (one person, and their vehicle) and `checkpoint
log` (a day's entries, masked)."""

from __future__ import annotations

import click

from checkpoint.cli.context import as_options, db_option, open_as, open_station
from checkpoint.errors import InputError
from checkpoint.i18n import t


@click.command()
@db_option
@as_options
@click.option("--name", default="", help="姓名")
@click.option("--doc-type", default="resident-id", show_default=True,
              help="resident-id | passport | permit | other | none")
@click.option("--id", "doc_no", default="", help="证件号码")
@click.option("--phone", default="")
@click.option("--address", default="", help="住址/村")
@click.option("--resident/--outsider", default=None, help="本镇居民 or not (default: from the address).")
@click.option("--origin", default="", help="从哪里来 (province/city/county)")
@click.option("--key-area", "travel_where", default="", help="14-day travel through key areas: where.")
@click.option("--purpose", default="", help="return-home | work | medical | supplies | official | visit | transit | other")
@click.option("--destination", default="")
@click.option("--symptoms", default="", help="Comma list: fever,cough,fatigue,diarrhoea")
@click.option("--health-code", default="", help="green | yellow | red")
@click.option("--temp", default="", help="体温 °C, e.g. 36.5")
@click.option("--temp-method", default="forehead", show_default=True, help="forehead | wrist | axillary | ear")
@click.option("--not-measured", "not_measured", default="", help="Not measured: the reason.")
@click.option("--recheck-temp", default="", help="复测体温, needed at 37.3 or more.")
@click.option("--direction", default="", help="in | out")
@click.option("--disposition", default="", help="放行 or release, turn-back, hold, refer, home-isolation, central-isolation, refused, escorted")
@click.option("--plate", default="", help="车牌 (a vehicle record is made when given)")
@click.option("--vehicle-type", default="car", show_default=True)
@click.option("--occupants", default="")
@click.option("--disinfected", is_flag=True)
@click.option("--live-poultry", is_flag=True)
@click.option("--illegal-passengers", is_flag=True)
@click.pass_context
def register(ctx, as_name, pin, name, doc_type, doc_no, phone, address, resident, origin, travel_where,
             purpose, destination, symptoms, health_code, temp, temp_method, not_measured, recheck_temp,
             direction, disposition, plate, vehicle_type, occupants, disinfected, live_poultry,
             illegal_passengers):
    """Register one person (and optionally their vehicle). Prints the new entry's id."""
    from checkpoint.domain.registration import PersonForm, VehicleForm
    from checkpoint.services import registration

    if not direction:
        raise InputError("cli.direction_required", field="direction")
    form = registration.typed_form(PersonForm(), dict(
        name=name, doc_type=doc_type, doc_no=doc_no, phone=phone, address=address, resident=resident,
        origin=origin, travel_where=travel_where, purpose=purpose, destination=destination, symptoms=symptoms,
        health_code=health_code, temp=temp, temp_method=temp_method, not_measured=not_measured,
        recheck_temp=recheck_temp, direction=direction, disposition=disposition))
    store, by = open_as(ctx, as_name, pin)
    vehicle = VehicleForm(plate=plate, vehicle_type=vehicle_type, occupants=occupants,
                          disinfected=disinfected, live_poultry=live_poultry,
                          illegal_passengers=illegal_passengers) if plate.strip() else None
    saved = registration.register(store, by, [form], vehicle, accept_suggestion=not form.disposition)
    click.echo(saved.entry_ids[0])


@click.command()
@db_option
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default: today)")
@click.pass_context
def log(ctx, day):
    """Print a day's entries, masked."""
    from checkpoint.domain import clock
    from checkpoint.services import ledger

    if day is not None:
        day = clock.parse_day(day).isoformat()
    store = open_station(ctx, create=False)
    day = day or ledger.today(store)
    counts = ledger.day_counts(store, day)
    click.echo(t("log.header", day=day, persons=counts.persons, vehicles=counts.vehicles,
                 fevers=counts.fevers, turned_back=counts.turned_back))
    for line in ledger.day_lines(store, day):
        fever = t("log.fever_mark") if line.fever else ""
        click.echo("\t".join([str(line.id), line.time, line.name, line.doc, line.phone, line.plate or "-",
                              line.temp + fever, line.direction, line.disposition, line.staff]))
