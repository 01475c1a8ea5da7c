"""One entry as a line of a list, as people read it: masked, in local time, in words. The desk's
ledger (登记台账) and the leader's review show the same line."""

from __future__ import annotations

from dataclasses import dataclass

from checkpoint.domain import clock
from checkpoint.domain.masking import mask_id_number, mask_phone
from checkpoint.i18n import t


@dataclass(frozen=True)
class Line:
    """An entry on one line. `day`, `disposition_key` and the markers (amended, flagged) come with
    the review's rows; the ledger's rows do not carry them, and its lines leave them empty."""

    id: int
    time: str
    name: str
    doc: str
    phone: str
    plate: str
    origin: str
    temp: str
    fever: bool
    direction: str
    disposition: str
    staff: str
    day: str = ""
    disposition_key: str = ""
    amended: bool = False
    amended_after_signoff: bool = False
    flagged: bool = False


def temperature_text(row: dict) -> str:
    """The temperature as a line shows it: "37.8", "37.8→37.1" after a re-measure, or the words for
    not measured. Takes an entry row (temp, recheck_temp)."""
    if row.get("temp") is None:
        return t("temp_method.none")
    text = f"{row['temp']:.1f}"
    if row.get("recheck_temp") is not None:
        text += f"→{row['recheck_temp']:.1f}"
    return text


def line(row: dict, tz: str) -> Line:
    """The line of an entry row (as store.entries or store.review read it), its time in zone `tz`."""
    return Line(
        id=row["id"], time=clock.local(row["recorded_at"], tz).strftime("%H:%M"), name=row["name"],
        doc=mask_id_number(row["doc_no"]), phone=mask_phone(row["phone"]), plate=row.get("plate") or "",
        origin=row["origin"], temp=temperature_text(row), fever=bool(row["fever"]),
        direction=t(f"direction.{row['direction']}"), disposition=t(f"disposition.{row['disposition']}"),
        staff=row.get("staff_name") or "", day=row.get("local_day") or "",
        disposition_key=row["disposition"], amended=bool(row.get("amended")),
        amended_after_signoff=bool(row.get("amended_after_signoff")), flagged=bool(row.get("flagged")))
