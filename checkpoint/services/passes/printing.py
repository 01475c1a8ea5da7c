"""A pass's printed card: what it shows, drawn as PNG or PDF (services.pass_cards draws), and sent
to this computer's printer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from checkpoint.domain import passes
from checkpoint.domain.masking import mask_name
from checkpoint.errors import InputError, RefusedError
from checkpoint.i18n import t
from checkpoint.services.passes.shown import pass_details
from checkpoint.services.station import require_station
from checkpoint.store import Store


def card_data(store: Store, number: str):
    """What the printed card shows (masked holder, dates, rule, issuer, the token).
    Raises InputError for an unknown number, DatabaseError when the station is not set up."""
    from checkpoint.services.pass_cards import CardData

    row = pass_details(store, number)
    station = require_station(store)
    rule = ""
    if row["kind"] == "household" and row["per_days"]:
        rule = t("card.rule", days=row["per_days"], exits=row["exits"], back_by=passes.hhmm(row["back_by"]))
    extra: list[str] = []
    members = json.loads(row["members"] or "[]")
    if members:
        extra.append(t("card.members", members="、".join(f"{mask_name(n)}({i[-4:]})" for n, i in members)))
    if row["plate"]:
        extra.append(t("card.vehicle", plate=row["plate"], route=row["route"], cargo=row["cargo"]).rstrip("，, "))
    if row["reason"]:
        extra.append(t("card.reason", reason=row["reason"]))
    if row["employer"]:
        extra.append(t("card.employer", employer=row["employer"]))
    return CardData(
        title=t("card.title", township=station.township), kind_label=t(f"pass_kind.{row['kind']}"),
        number=row["number"], holder=mask_name(row["holder_name"]), id_last4=row["holder_doc_no"][-4:],
        village=row["village"], valid=t("card.valid", start=row["valid_from"], end=row["valid_to"]), rule=rule,
        issuer=f"{station.name}（{station.code}）", token=row["token"], extra=tuple(extra))


def write_cards(store: Store, numbers: list[str], png: Path | None = None, pdf: Path | None = None) -> list[Path]:
    """Draw the cards of passes `numbers`: the first as PNG at `png`, all of them as one PDF at `pdf`
    (either may be None); returns the paths written. Raises InputError for an unknown number or a
    file that cannot be written."""
    from checkpoint.services import pass_cards

    cards = [card_data(store, n) for n in numbers]
    written = []
    try:
        if png is not None:
            written.append(pass_cards.save_card_png(cards[0], png))
        if pdf is not None:
            written.append(pass_cards.save_cards_pdf(cards, pdf))
    except OSError as exc:
        raise InputError("keys.write_failed", field="out", path=str(png or pdf), detail=exc.strerror or str(exc)) from None
    return written


@dataclass(frozen=True)
class Printed:
    path: Path          # the card's PDF (kept whether or not it printed)
    printer: str        # the command that took it ("lp", "lpr", "windows")


def print_card(store: Store, number: str, folder: Path) -> Printed:
    """Print the card of pass `number` on this computer's default printer: the card is written as
    an A4 PDF in `folder` first (so it is never lost), then handed to `lp` or `lpr` (CUPS on Linux
    and macOS) or to Windows' print verb. Raises RefusedError when no printer command exists or it
    refuses the job (the message says where the PDF is), InputError when the folder is unusable."""
    import os
    import shutil
    import subprocess

    row = pass_details(store, number)
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("keys.write_failed", field="out", path=str(folder), detail=exc.strerror or str(exc)) from None
    pdf = write_cards(store, [row["number"]], pdf=Path(folder) / f"{row['number']}.pdf")[0]
    for command in ("lp", "lpr"):
        found = shutil.which(command)
        if found is None:
            continue
        try:
            done = subprocess.run([found, str(pdf)], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            raise RefusedError("dayclose.print_failed", detail=str(exc)[:120], path=str(pdf)) from None
        if done.returncode != 0:
            detail = (done.stderr or done.stdout or "").strip().splitlines()
            raise RefusedError("dayclose.print_failed", detail=(detail[0] if detail else str(done.returncode))[:120],
                               path=str(pdf))
        return Printed(pdf, command)
    if hasattr(os, "startfile"):   # Windows: the default application prints it
        try:
            os.startfile(str(pdf), "print")  # type: ignore[attr-defined]
        except OSError as exc:
            raise RefusedError("dayclose.print_failed", detail=str(exc)[:120], path=str(pdf)) from None
        return Printed(pdf, "windows")
    raise RefusedError("dayclose.no_printer", path=str(pdf))
