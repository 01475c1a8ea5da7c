"""`checkpoint pass`: passes (通行证) — issue, verify, card, show, revoke, overdue, list."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from checkpoint import exit_codes
from checkpoint.cli.context import as_options, db_option, open_as, open_station
from checkpoint.domain.pass_token import KINDS
from checkpoint.domain.passes import DEFAULT_KIND, field_default
from checkpoint.errors import InputError
from checkpoint.i18n import t


@click.group("pass")
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
@click.option("--kind", default=DEFAULT_KIND, show_default=True, help=" | ".join(KINDS))
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
@click.option("--exits", default=field_default("exits"), show_default=True, help="Household: exits per period")
@click.option("--per-days", default=field_default("per_days"), show_default=True, help="Household: period in days")
@click.option("--back-by", default=field_default("back_by"), show_default=True, help="Household: back by HH:MM the same day")
@click.pass_context
def pass_issue(ctx, as_name, pin, kind, name, doc_no, village, members, plate, route, cargo, reason, employer,
               valid_days, exits, per_days, back_by):
    """Issue a pass: prints the pass number, then the token alone on the last line."""
    from checkpoint.domain.passes import PassForm
    from checkpoint.services import passes

    form = PassForm(kind=kind, name=name, doc_no=doc_no, village=village, members=_members(members), plate=plate,
                    route=route, cargo=cargo, reason=reason, employer=employer, valid_days=valid_days,
                    exits=exits, per_days=per_days, back_by=back_by)
    store, by = open_as(ctx, as_name, pin)
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
    store, by = open_as(ctx, as_name, pin)
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
    store = open_station(ctx, create=False)
    for path in passes.write_cards(store, list(numbers), png=Path(png) if png else None,
                                   pdf=Path(pdf) if pdf else None):
        click.echo(str(path))


@pass_group.command("show")
@db_option
@click.argument("number")
@click.option("--qr", is_flag=True, help="Also draw the QR code in the terminal (half blocks).")
@click.pass_context
def pass_show(ctx, number, qr):
    """A pass in words, then its token alone on the last line (for a phone photo or a scanner test)."""
    from checkpoint.services import passes

    shown = passes.show_pass(open_station(ctx, create=False), number)
    click.echo(shown.text())
    if qr:
        from checkpoint.services.pass_cards import terminal_qr

        click.echo(terminal_qr(shown.token))
    click.echo(t("dayclose.pass_show_token"))
    click.echo(shown.token)


@pass_group.command("revoke")
@db_option
@as_options
@click.argument("number")
@click.option("--reason", default="", help="Why (required).")
@click.pass_context
def pass_revoke(ctx, as_name, pin, number, reason):
    """Revoke a pass (leader)."""
    from checkpoint.services import passes

    store, by = open_as(ctx, as_name, pin)
    row = passes.revoke_pass(store, by, number, reason)
    click.echo(t("pass.revoked_done", number=row["number"]))


@pass_group.command("overdue")
@db_option
@click.option("--all", "show_all", is_flag=True, help="Everyone out and not back, not only the overdue.")
@click.pass_context
def pass_overdue(ctx, show_all):
    """Holders out and not back by the deadline."""
    from checkpoint.services import passes

    rows = passes.out_not_back(open_station(ctx, create=False), overdue_only=not show_all)
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

    for r in passes.list_passes(open_station(ctx, create=False)):
        state = t("verdict.revoked") if r["revoked"] else ""
        click.echo("\t".join([r["number"], t(f"pass_kind.{r['kind']}"), r["holder"], r["doc"], r["village"] or "-",
                              f"{r['valid_from']}~{r['valid_to']}", state]).rstrip())
