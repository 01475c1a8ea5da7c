"""The `checkpoint` command. Each subcommand is a thin call into checkpoint.services.

Exit codes: 0 done, 1 refused by a rule, 2 bad input or unusable database, 3 internal error. No
traceback ever reaches the person: the program's own errors print their sentence, anything else one
line without data (the traceback goes to the log file, checkpoint.crash_log).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from checkpoint import exit_codes
from checkpoint.config import demo_db_path, resolve_db
from checkpoint.errors import CheckpointError, InputError
from checkpoint.i18n import set_language, t


def fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


class Guarded(click.Group):
    """Runs every command so that errors become one sentence and an exit code."""

    def invoke(self, ctx: click.Context):  # noqa: D401
        try:
            return super().invoke(ctx)
        except CheckpointError as exc:
            fail(_with_field(exc), exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            fail("", 130)
        except BrokenPipeError:
            # `checkpoint search zs | head`: the reader has gone; stop quietly, as other tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # the last line of defence: never a traceback, never the error's text
            from checkpoint import crash_log

            fail(t("error.internal", log=str(crash_log.write(exc, ctx.invoked_subcommand or ""))), exit_codes.INTERNAL)


def _with_field(exc: CheckpointError) -> str:
    from checkpoint.services.registration import PersonProblems

    if isinstance(exc, PersonProblems):
        return "\n".join(f"{t('field.' + p.field)}: {p.message}" for p in exc.problems)
    if exc.field:
        return f"{t('field.' + exc.field)}: {exc.message}"
    return exc.message


def open_db(ctx: click.Context, create: bool = True):
    from checkpoint.store import open_store

    store = open_store(ctx.obj["db"], create=create)
    ctx.call_on_close(store.close)
    return store


def acting(ctx: click.Context, store, name: str | None, pin: str | None):
    from checkpoint.services import accounts

    if not name:
        raise InputError("cli.as_required", field="as")
    pin = pin or os.environ.get("CHECKPOINT_PIN", "")
    if not pin:
        raise InputError("account.pin_missing", field="pin")
    return accounts.authenticate(store, name, pin)


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
    f = click.option("--pin", "pin", default=None, help="PIN of the acting person (or CHECKPOINT_PIN).")(f)
    f = click.option("--as", "as_name", default=None, help="The person acting (their account name).")(f)
    return f


@click.group(cls=Guarded, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", "db", default=None, help="The station database file (or CHECKPOINT_DB).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (or CHECKPOINT_LANG).")
@click.version_option(package_name="checkpoint")
@click.pass_context
def main(ctx: click.Context, db: str | None, lang: str | None) -> None:
    """卡点登记 Checkpoint: the registration desk of a township road checkpoint.

    With no command, opens the terminal UI on the station database.
    """
    if lang:
        set_language(lang)
    ctx.ensure_object(dict)
    ctx.obj["db_option"] = db
    if ctx.invoked_subcommand is None:
        ctx.obj["db"] = resolve_db(db)
        _run_ui(ctx.obj["db"], demo=False)
    elif ctx.invoked_subcommand != "demo":
        ctx.obj["db"] = resolve_db(db)


def _run_ui(path: Path, demo: bool) -> None:
    from checkpoint.app import run_app

    run_app(path, demo=demo)


@main.command()
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
    from checkpoint.services.station import check_setup, init_station

    check_setup(station_code, station_name, township, tz, leader, pin)
    store = open_db(ctx)
    station = init_station(store, station_code, station_name, township, leader, pin, tz)
    click.echo(t("station.ready", name=station.name, code=station.code, township=station.township))


@main.command()
@db_option
@click.option("--generate", "generate", type=int, default=None,
              help="Only generate N registrations into --db (no UI).")
@click.option("--days", type=int, default=None, help="Spread the generated entries over this many days.")
@click.option("--seed", type=int, default=7, show_default=True)
@click.pass_context
def demo(ctx, generate, days, seed):
    """Open the UI on a demo database with realistic records (or only generate one)."""
    from checkpoint.services import demo as demo_service
    from checkpoint.store import open_store

    db_option = ctx.obj["db_option"] or os.environ.get("CHECKPOINT_DB")
    if generate is not None:
        if not db_option:
            raise InputError("demo.db_required", field="db")
        if generate < 0 or generate > 50_000_000:
            raise InputError("demo.count_range", field="generate")
        path = Path(db_option)
        store = open_store(path)
        try:
            info = demo_service.create_demo(store, entries=generate, days=days, seed=seed,
                                            progress=_progress_printer())
        finally:
            store.close()
        click.echo(t("demo.generated", count=info.entries, path=str(path)))
        return
    path = Path(db_option) if db_option else demo_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    store = open_store(path)
    try:
        if not demo_service.is_demo(store):
            demo_service.create_demo(store, entries=600, days=days or 4, seed=seed)
    finally:
        store.close()
    _run_ui(path, demo=True)


def _progress_printer():
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\r{done}/{total}", err=True, nl=done >= total)

    return show


# ---- staff ---------------------------------------------------------------------------------------
@main.group()
def staff():
    """Accounts: add, list, disable."""


@staff.command("add")
@db_option
@click.option("--name", required=True)
@click.option("--role", required=True, help="staff | leader | admin")
@click.option("--pin", required=True, help="The new account's PIN (4-8 digits).")
@click.option("--as", "as_name", default=None, help="The leader adding the account (PIN from CHECKPOINT_PIN or --as-pin).")
@click.option("--as-pin", default=None)
@click.pass_context
def staff_add(ctx, name, role, pin, as_name, as_pin):
    """Add an account."""
    from checkpoint.services import accounts
    from checkpoint.services.station import require_station

    store = open_db(ctx, create=False)
    require_station(store)
    by = acting(ctx, store, as_name, as_pin) if as_name else None
    account = accounts.add_staff(store, name, role, pin, by)
    click.echo(t("account.added", name=account.name, role=account.role_label))


@staff.command("list")
@db_option
@click.pass_context
def staff_list(ctx):
    """List the accounts."""
    from checkpoint.services import accounts

    store = open_db(ctx, create=False)
    for row in accounts.list_staff(store):
        state = "" if row["active"] else t("staff.disabled_mark")
        click.echo(f"{row['name']}\t{t('role.' + row['role'])}\t{row['role']}\t{state}".rstrip())


@staff.command("disable")
@db_option
@click.argument("name")
@click.option("--as", "as_name", default=None)
@click.option("--as-pin", default=None)
@click.pass_context
def staff_disable(ctx, name, as_name, as_pin):
    """Disable an account (it stays in the records)."""
    from checkpoint.services import accounts

    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, as_pin) if as_name else None
    accounts.disable_staff(store, name, by)
    click.echo(t("account.disabled_done", name=name))


# ---- register ------------------------------------------------------------------------------------
@main.command()
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
    from checkpoint.domain.policy import parse_disposition
    from checkpoint.domain.registration import PersonForm, VehicleForm
    from checkpoint.services import registration

    if not direction:
        raise InputError("cli.direction_required", field="direction")
    chosen = ""
    if disposition:
        chosen = parse_disposition(disposition) or ""
        if not chosen:
            raise InputError("disposition.unknown", field="disposition", value=disposition)
    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    form = PersonForm(
        name=name, doc_type=doc_type, doc_no=doc_no, phone=phone, address=address, resident=resident,
        origin=origin, key_area_travel=bool(travel_where.strip()), travel_where=travel_where,
        purpose=purpose, destination=destination,
        symptoms=tuple(s.strip() for s in symptoms.replace("，", ",").split(",") if s.strip()),
        health_code=health_code, temp=temp, temp_method="none" if not_measured else temp_method,
        not_measured_reason=not_measured, recheck_temp=recheck_temp, direction=direction,
        disposition=chosen)
    vehicle = VehicleForm(plate=plate, vehicle_type=vehicle_type, occupants=occupants,
                          disinfected=disinfected, live_poultry=live_poultry,
                          illegal_passengers=illegal_passengers) if plate.strip() else None
    saved = registration.register(store, by, [form], vehicle, accept_suggestion=not chosen)
    click.echo(saved.entry_ids[0])


@main.command()
@db_option
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default: today)")
@click.pass_context
def log(ctx, day):
    """Print a day's entries, masked."""
    from checkpoint.services import clock, ledger

    if day is not None:
        day = clock.parse_day(day).isoformat()
    store = open_db(ctx, create=False)
    day = day or ledger.today(store)
    counts = ledger.day_counts(store, day)
    click.echo(t("log.header", day=day, persons=counts.persons, vehicles=counts.vehicles,
                 fevers=counts.fevers, turned_back=counts.turned_back))
    for line in ledger.day_lines(store, day):
        fever = t("log.fever_mark") if line.fever else ""
        click.echo("\t".join([str(line.id), line.time, line.name, line.doc, line.phone, line.plate or "-",
                              line.temp + fever, line.direction, line.disposition, line.staff]))


# ---- audit ---------------------------------------------------------------------------------------
@main.group()
def audit():
    """The audit chain."""


@audit.command("verify")
@db_option
@click.option("--anchor", default=None,
              help="A daily export bundle (folder or .zip) or a JSON head file: the chain must still hold its head.")
@click.pass_context
def audit_verify(ctx, anchor):
    """Check the audit chain; exit 0 whole, 1 broken (naming the first broken row)."""
    from checkpoint.services.audit import describe, read_anchor, verify_chain

    store = open_db(ctx, create=False)
    head = read_anchor(store, anchor) if anchor else None
    report = verify_chain(store, anchor=head)
    click.echo(describe(report))
    if head is not None and report.whole:
        click.echo(t("audit.anchor_checked", seq=head.seq))
    sys.exit(exit_codes.DONE if report.whole else exit_codes.REFUSED)


# ---- policy --------------------------------------------------------------------------------------
@main.group()
def policy():
    """The key-area list and the suggested dispositions."""


@policy.command("show")
@db_option
@click.pass_context
def policy_show(ctx):
    from checkpoint.services.policy import current_policy

    store = open_db(ctx, create=False)
    p = current_policy(store)
    click.echo(t("policy.version", version=p.version) if p.version else t("dayclose.policy_default"))
    click.echo(t("policy.key_areas", areas="、".join(p.key_areas) or "-"))
    for rule in p.RULE_FIELDS:
        click.echo(f"{t('policy.rule.' + rule)} ({rule}): {t('disposition.' + getattr(p, rule))}")


@policy.command("set")
@db_option
@as_options
@click.option("--key-areas", default=None, help="Comma-separated key areas (replaces the list).")
@click.option("--rule", "rules", multiple=True, help="RULE=DISPOSITION, e.g. outsider_default=turn-back")
@click.option("--note", default="")
@click.pass_context
def policy_set(ctx, as_name, pin, key_areas, rules, note):
    """Add a new policy version."""
    from checkpoint.domain.policy import parse_disposition
    from checkpoint.services.policy import parse_key_areas, update_policy

    parsed: dict[str, str] = {}
    for item in rules:
        rule, _, value = item.partition("=")
        key = parse_disposition(value)
        if not key:
            raise InputError("disposition.unknown", field="rules", value=value)
        parsed[rule.strip()] = key
    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    areas = parse_key_areas(key_areas) if key_areas is not None else None
    p = update_policy(store, by, areas, parsed, note)
    click.echo(t("policy.saved", version=p.version))


# ---- passes --------------------------------------------------------------------------------------
@main.group("pass")
def pass_group():
    """Passes (通行证): issue, card, verify, revoke, overdue, list."""


def _members(text: str) -> list[tuple[str, str]]:
    from checkpoint.domain.passes import parse_members

    try:
        return parse_members(text)
    except ValueError as exc:
        raise InputError("pass.member_format", field="members", value=str(exc)) from None


@pass_group.command("issue")
@db_option
@as_options
@click.option("--kind", default="household", show_default=True, help="household | medical | vehicle | work | official")
@click.option("--name", default="", help="Holder (household: the head of household)")
@click.option("--id", "doc_no", default="", help="Holder's resident ID number")
@click.option("--village", default="")
@click.option("--members", default="", help='Designated members "N1:ID1,N2:ID2" (household)')
@click.option("--plate", default="")
@click.option("--route", default="", help='"A-B" (vehicle)')
@click.option("--cargo", default="")
@click.option("--reason", default="", help="Reason (medical)")
@click.option("--employer", default="", help="Employer or office (work, official)")
@click.option("--valid-days", default="")
@click.option("--exits", default="1", show_default=True, help="Household: exits per period")
@click.option("--per-days", default="2", show_default=True, help="Household: period in days")
@click.option("--back-by", default="18:00", show_default=True, help="Household: back by HH:MM the same day")
@click.pass_context
def pass_issue(ctx, as_name, pin, kind, name, doc_no, village, members, plate, route, cargo, reason, employer,
               valid_days, exits, per_days, back_by):
    """Issue a pass: prints the pass number, then the token alone on the last line."""
    from checkpoint.domain.passes import PassForm
    from checkpoint.services import passes

    form = PassForm(kind=kind, name=name, doc_no=doc_no, village=village, members=_members(members), plate=plate,
                    route=route, cargo=cargo, reason=reason, employer=employer, valid_days=valid_days,
                    exits=exits, per_days=per_days, back_by=back_by)
    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    issued = passes.issue_pass(store, by, form)
    click.echo(issued.number)
    click.echo(issued.token)


@pass_group.command("verify")
@db_option
@as_options
@click.argument("token", required=False, default=None)
@click.option("--image", default=None, help="A photo or scan of the card (decoded with zxing-cpp).")
@click.option("--direction", default="out", show_default=True, help="out | in")
@click.pass_context
def pass_verify(ctx, as_name, pin, token, image, direction):
    """Check a pass: prints the verdict word first; exit 0 valid, 1 refused, 2 unreadable."""
    from checkpoint.domain import passes as rules
    from checkpoint.services import passes

    if (token is None) == (image is None):
        raise InputError("cli.token_or_image", field="image")
    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    if image is not None:
        token = passes.read_code_from_image(Path(image))
    result = passes.verify_scan(store, by, token, direction)
    click.echo(f"{result.word} {result.verdict.verdict.upper()}")
    click.echo(result.reason)
    claims = result.shown_claims   # nothing read from a forged code is printed
    if claims is not None:
        click.echo(t("cli.pass_line", number=claims.number, kind=t(f"pass_kind.{claims.kind}"),
                     holder=claims.holder, last4=claims.id_last4,
                     start=claims.valid_from.isoformat(), end=claims.valid_to.isoformat()))
    if result.verdict.valid:
        sys.exit(exit_codes.DONE)
    sys.exit(exit_codes.BAD_INPUT if result.verdict.verdict == rules.UNREADABLE else exit_codes.REFUSED)


@pass_group.command("card")
@db_option
@click.argument("numbers", nargs=-1, required=True)
@click.option("--png", default=None, help="Write the (first) card as a PNG image.")
@click.option("--pdf", default=None, help="Write a printable A4 PDF sheet of all the cards.")
@click.pass_context
def pass_card(ctx, numbers, png, pdf):
    """Make the printable card(s) of passes: NO [NO ...] --png FILE | --pdf FILE."""
    from checkpoint.services import passes

    if not png and not pdf:
        raise InputError("cli.png_or_pdf", field="out")
    store = open_db(ctx, create=False)
    for path in passes.write_cards(store, list(numbers), png=Path(png) if png else None,
                                   pdf=Path(pdf) if pdf else None):
        click.echo(str(path))


@pass_group.command("revoke")
@db_option
@as_options
@click.argument("number")
@click.option("--reason", default="", help="Why (required).")
@click.pass_context
def pass_revoke(ctx, as_name, pin, number, reason):
    """Revoke a pass (leader)."""
    from checkpoint.services import passes

    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    row = passes.revoke_pass(store, by, number, reason)
    click.echo(t("pass.revoked_done", number=row["number"]))


@pass_group.command("overdue")
@db_option
@click.option("--all", "show_all", is_flag=True, help="Everyone out and not back, not only the overdue.")
@click.pass_context
def pass_overdue(ctx, show_all):
    """Holders out and not back by the deadline."""
    from checkpoint.services import passes

    store = open_db(ctx, create=False)
    rows = passes.out_not_back(store, overdue_only=not show_all)
    if not rows:
        click.echo(t("pass.none_out"))
    for r in rows:
        click.echo("\t".join([r.number, r.holder, r.doc, r.village or "-", r.since,
                              t("pass.overdue_mark") if r.overdue else ""]).rstrip())


@pass_group.command("list")
@db_option
@click.pass_context
def pass_list(ctx):
    """The passes issued here, newest first (holders masked)."""
    from checkpoint.services import passes

    store = open_db(ctx, create=False)
    for r in passes.list_passes(store):
        state = t("verdict.revoked") if r["revoked"] else ""
        click.echo("\t".join([r["number"], t(f"pass_kind.{r['kind']}"), r["holder"], r["doc"], r["village"] or "-",
                              f"{r['valid_from']}~{r['valid_to']}", state]).rstrip())


# ---- keys and revocations -------------------------------------------------------------------------
@main.group()
def keys():
    """Signing keys: this station's public key and the trust list."""


@keys.command("export")
@db_option
@click.option("--out", required=True, help="File to write the public key to.")
@click.pass_context
def keys_export(ctx, out):
    from checkpoint.services import keys as key_service

    store = open_db(ctx, create=False)
    info = key_service.export_public_key(store, Path(out))
    row = key_service.ensure_station_key(store)
    click.echo(t("keys.exported", path=out, key_id=info.key_id, fingerprint=key_service.fingerprint(row["public_key"])))


@keys.command("import")
@db_option
@click.argument("file")
@click.option("--as", "as_name", default=None)
@click.option("--as-pin", default=None)
@click.pass_context
def keys_import(ctx, file, as_name, as_pin):
    from checkpoint.services import keys as key_service

    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, as_pin) if as_name else None
    _, public, _ = key_service.read_key_file(Path(file))
    info, added = key_service.import_public_key(store, by, Path(file))
    key = "keys.imported" if added else "keys.known"
    click.echo(t(key, owner=info.owner, key_id=info.key_id, fingerprint=key_service.fingerprint(public)))


@keys.command("list")
@db_option
@click.pass_context
def keys_list(ctx):
    from checkpoint.services import keys as key_service

    store = open_db(ctx, create=False)
    key_service.ensure_station_key(store)
    for k in key_service.list_keys(store):
        click.echo("\t".join([k.key_id, k.owner, t("cli.key_own") if k.own else t("cli.key_trusted"),
                              t("verdict.revoked") if k.revoked else ""]).rstrip())


@main.group()
def revocations():
    """Revocation lists: import other stations' lists, export this station's."""


@revocations.command("import")
@db_option
@click.argument("file")
@click.option("--as", "as_name", default=None)
@click.option("--as-pin", default=None)
@click.pass_context
def revocations_import(ctx, file, as_name, as_pin):
    from checkpoint.services import passes

    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, as_pin) if as_name else None
    added, known = passes.import_revocations(store, by, Path(file))
    click.echo(t("pass.revocations_imported", added=added, known=known))


@revocations.command("export")
@db_option
@click.option("--out", required=True)
@click.pass_context
def revocations_export(ctx, out):
    from checkpoint.services import passes

    store = open_db(ctx, create=False)
    click.echo(passes.export_revocations(store, Path(out)))


# ---- shifts and handover --------------------------------------------------------------------------
@main.group()
def shift():
    """Shifts (班次): start, status, roster changes, handover."""


def _print_status(status) -> None:
    s = status.shift
    leader = next((m.name for m in status.roster if m.staff_id == s["leader_id"]), "?")
    click.echo(t("shift.status_line", id=s["id"], kind=t(f"shift.kind_{s['kind']}"), start=status.started_local,
                 leader=leader, count=len(status.roster)))
    click.echo("  " + "、".join(t("shift.roster_line", name=m.name, category=t(f"category.{m.category}"))
                                for m in status.roster))
    for text in status.warning_texts:
        click.echo(f"⚠ {text}")
    c = status.counts
    click.echo(t("handover.persons", **{k: c.get(k, 0) for k in ("persons", "persons_in", "persons_out")}) + "；" +
               t("handover.vehicles", **{k: c.get(k, 0) for k in ("vehicles", "vehicles_in", "vehicles_out")}) +
               "；" + t("handover.fevers", count=c.get("fevers", 0)))
    for m in status.matters:
        click.echo(f"• [{m.ref}] {m.text}")


@shift.command("start")
@db_option
@as_options
@click.option("--kind", default=None, help="day | night (default: by the clock and the station's shift times)")
@click.option("--roster", default="", help='"NAME:category,..." (township-cadre, police, district-cadre, village-cadre, medic, volunteer)')
@click.pass_context
def shift_start(ctx, as_name, pin, kind, roster):
    """Start a shift (leader); staffing problems are warned, not refused."""
    from checkpoint.services import shifts

    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    status = shifts.start_shift(store, by, kind, shifts.parse_roster(roster))
    click.echo(t("shift.started", kind=t(f"shift.kind_{status.shift['kind']}"), id=status.shift["id"],
                 count=len(status.roster)))
    for text in status.warning_texts:
        click.echo(f"⚠ {text}")


@shift.command("status")
@db_option
@click.pass_context
def shift_status(ctx):
    """The open shift: roster, warnings, counts so far, open matters."""
    from checkpoint.services import shifts

    store = open_db(ctx, create=False)
    _print_status(shifts.shift_status(store))


@shift.command("join")
@db_option
@as_options
@click.argument("name")
@click.option("--category", default="village-cadre", show_default=True)
@click.pass_context
def shift_join(ctx, as_name, pin, name, category):
    """Add a person to the open shift's roster (time-stamped)."""
    from checkpoint.services import shifts

    store = open_db(ctx, create=False)
    shifts.change_roster(store, acting(ctx, store, as_name, pin), name, "join", category)
    _print_status(shifts.shift_status(store))


@shift.command("leave")
@db_option
@as_options
@click.argument("name")
@click.pass_context
def shift_leave(ctx, as_name, pin, name):
    """Take a person off the open shift's roster (time-stamped)."""
    from checkpoint.services import shifts

    store = open_db(ctx, create=False)
    shifts.change_roster(store, acting(ctx, store, as_name, pin), name, "leave")
    _print_status(shifts.shift_status(store))


@shift.command("handover")
@db_option
@as_options
@click.option("--incoming", required=True, help="The incoming leader's name.")
@click.option("--incoming-pin", default=None, help="The incoming leader's PIN (or CHECKPOINT_INCOMING_PIN).")
@click.option("--stock", default="", help='"item=count,..." what is left, e.g. "masks=200,disinfectant=3"')
@click.option("--note", default="")
@click.option("--incidents", default="")
@click.option("--instructions", default="")
@click.option("--equipment", default="")
@click.option("--next-kind", default=None, help="day | night (default: by the clock and the station's shift times)")
@click.option("--roster", default=None, help="The incoming roster, as for shift start (default: the people on duty "
                                             "now, without the outgoing leader).")
@click.pass_context
def shift_handover(ctx, as_name, pin, incoming, incoming_pin, stock, note, incidents, instructions, equipment,
                   next_kind, roster):
    """Sign the handover: closes this shift and opens the next with the incoming leader."""
    from checkpoint.domain.shifts import parse_stock
    from checkpoint.services import shifts

    try:
        stock_counts = parse_stock(stock)
    except ValueError as exc:
        raise InputError("shift.stock_format", field="stock", value=str(exc)) from None
    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    result = shifts.hand_over(store, by, incoming, incoming_pin or os.environ.get("CHECKPOINT_INCOMING_PIN", ""),
                              stock=stock_counts, note=note, incidents=incidents, instructions=instructions,
                              equipment=equipment, next_kind=next_kind,
                              next_roster=None if roster is None else shifts.parse_roster(roster))
    click.echo(t("shift.handed_over", closed=result.closed_shift_id, next=result.next_shift_id))


@main.group()
def handover():
    """Handover records."""


@handover.command("show")
@db_option
@click.option("--shift", "shift_id", type=int, default=None, help="The closed shift (default: the last handover).")
@click.pass_context
def handover_show(ctx, shift_id):
    """Print a handover record as Markdown."""
    from checkpoint.services import shifts

    store = open_db(ctx, create=False)
    click.echo(shifts.handover_markdown(store, shift_id), nl=False)


@main.group()
def matter():
    """Open matters carried from shift to shift."""


@matter.command("add")
@db_option
@as_options
@click.argument("text")
@click.pass_context
def matter_add(ctx, as_name, pin, text):
    from checkpoint.services import shifts

    store = open_db(ctx, create=False)
    click.echo(t("matter.added", id=shifts.add_matter(store, acting(ctx, store, as_name, pin), text)))


@matter.command("close")
@db_option
@as_options
@click.argument("ref")
@click.option("--note", default="")
@click.pass_context
def matter_close(ctx, as_name, pin, ref, note):
    """Close a matter: entry:ID (transported, escort closed out) or matter:ID."""
    from checkpoint.services import shifts

    store = open_db(ctx, create=False)
    shifts.close_matter(store, acting(ctx, store, as_name, pin), ref, note)
    click.echo(t("matter.closed", ref=ref))


# ---- daily export --------------------------------------------------------------------------------
@main.command("export")
@db_option
@as_options
@click.option("--date", "day", default=None, help="YYYY-MM-DD, the station's local day (default: today).")
@click.option("--out", default=None, help="Folder to write into (default: setting export-dir, else ./exports).")
@click.option("--plain", is_flag=True, help="Write the files naming persons unencrypted (no township key yet).")
@click.option("--local-copy", default=None, help="Also keep a readable copy here (never inside --out).")
@click.pass_context
def export_cmd(ctx, as_name, pin, day, out, plain, local_copy):
    """Write the day's bundle for the township (leader): prints the folder, then the .zip."""
    from checkpoint.services import clock, export, ledger

    if day is not None:
        day = clock.parse_day(day).isoformat()  # a bad date is refused before anything else
    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    result = export.export_day(store, day or ledger.today(store), Path(out) if out else None,
                               progress=_progress_printer(), by=by, plain=plain,
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


# ---- backups -------------------------------------------------------------------------------------
@main.command()
@db_option
@click.option("--out", default=None, help="File to write (default: backups/ beside the database).")
@click.pass_context
def backup(ctx, out):
    """Copy the database now (safe while other lanes are writing)."""
    from checkpoint.services.backup import make_backup

    store = open_db(ctx, create=False)
    click.echo(str(make_backup(store, Path(out) if out else None)))


@main.command()
@db_option
@as_options
@click.argument("file")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def restore(ctx, as_name, pin, file, yes):
    """Replace the database with a backup (admin; checked whole first, the current file kept aside)."""
    from checkpoint.services.backup import restore as restore_file

    if not as_name:
        raise InputError("cli.as_required", field="as")
    pin = pin or os.environ.get("CHECKPOINT_PIN", "")
    if not pin:
        raise InputError("account.pin_missing", field="pin")
    if not yes:
        if not sys.stdin.isatty():   # a script or a pipe cannot answer: say how to confirm
            raise InputError("backup.needs_yes")
        if not click.confirm(t("backup.confirm", file=file, db=str(ctx.obj["db"])), default=False):
            sys.exit(exit_codes.REFUSED)
    kept = restore_file(ctx.obj["db"], Path(file), as_name, pin)
    click.echo(t("backup.restored", file=file, kept=str(kept) if kept else "-"))


# ---- config --------------------------------------------------------------------------------------
@main.group()
def config():
    """Station settings (e.g. the health-code field)."""


@config.command("show")
@db_option
@click.pass_context
def config_show(ctx):
    from checkpoint.services.settings import all_settings

    store = open_db(ctx, create=False)
    for name, value in all_settings(store).items():
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

    store = open_db(ctx, create=False)
    by = acting(ctx, store, as_name, pin)
    switch = change_setting(store, by, name, value)
    click.echo(f"{name}\t{_setting_text(switch)}")


def _setting_text(value) -> str:
    """A switch prints on/off; a text setting (export-dir) prints itself, "-" when unset."""
    if isinstance(value, str):
        return value or "-"
    return "on" if value else "off"


from checkpoint import cli_review  # noqa: E402,F401  (registers search, amend, signoff on `main`)
from checkpoint import cli_township  # noqa: E402,F401  (registers township and import on `main`)
from checkpoint import cli_serve  # noqa: E402,F401  (registers serve on `main`)
from checkpoint import cli_retention  # noqa: E402,F401  (registers purge and township purge)
from checkpoint import cli_desk  # noqa: E402,F401  (registers village)
from checkpoint import cli_trust  # noqa: E402,F401  (registers status and keys township-replace)
from checkpoint import cli_dayclose  # noqa: E402,F401  (registers shift close and pass show)

if __name__ == "__main__":
    main()
