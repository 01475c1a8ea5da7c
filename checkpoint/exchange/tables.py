"""The tables of the daily export: which columns, from which row fields, and how they are written
as CSV (UTF-8 with BOM, so Excel and WPS read the Chinese) and as one XLSX workbook.

Every ID number and phone here is masked; the one exception, the follow-up list, is built by
`follow_up_table` and is said to be so. The words are the catalogue's Chinese ones whatever the UI
language: the bundle is read by the township, and its headers are part of the format.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checkpoint.domain.masking import mask_id_number, mask_phone
from checkpoint.i18n import t_in
from checkpoint.domain import clock

Cell = str | int | float | dt.datetime | dt.date | None


def zh(key: str, /, **params: object) -> str:
    """The catalogue's Chinese text for `key` (the bundle's language), placeholders filled."""
    return t_in("zh", key, **params)


@functools.lru_cache(maxsize=1024)   # a few dozen codes, looked up for every row of a day
def label(prefix: str, value: str | None) -> str:
    """A code's Chinese label (disposition.hold → 留验); an unknown or empty code stays as it is."""
    if not value:
        return ""
    text = zh(f"{prefix}.{value}")
    return value if text == f"{prefix}.{value}" else text


def yes_no(flag: object) -> str:
    return zh("yesno.yes") if flag else zh("yesno.no")


@dataclass(frozen=True)
class Table:
    sheet: str                       # the sheet's name in the workbook
    headers: list[str]
    rows: list[list[Cell]]


def _columns(spec: list[tuple[str, Callable[[dict], Cell]]], rows: list[dict], sheet: str) -> Table:
    return Table(zh(f"export.sheet.{sheet}") if sheet else "", [zh(f"export.col.{c}") for c, _ in spec],
                 [[get(r) for _, get in spec] for r in rows])


def _local(ts: str | None, tz: str) -> dt.datetime | None:
    # Excel has no time zones: a cell holds the station's wall-clock time, as the staff saw it.
    return clock.local(ts, tz).replace(tzinfo=None, microsecond=0) if ts else None


@functools.lru_cache(maxsize=1024)
def _symptoms(text: str) -> str:
    return "、".join(label("symptom", s) for s in (text or "").split(",") if s)


def _person_spec(tz: str, masked: bool) -> list[tuple[str, Callable[[dict], Cell]]]:
    doc = (lambda r: mask_id_number(r["doc_no"])) if masked else (lambda r: r["doc_no"])
    phone = (lambda r: mask_phone(r["phone"])) if masked else (lambda r: r["phone"])
    return [
        ("id", lambda r: r["id"]),
        ("time", lambda r: _local(r["recorded_at"], tz)),
        ("name", lambda r: r["name"]),
        ("doc_type", lambda r: label("doc_type", r["doc_type"])),
        ("doc_no", doc),
        ("phone", phone),
        ("address", lambda r: r["address"]),
        ("resident", lambda r: yes_no(r["resident"])),
        ("origin", lambda r: r["origin"]),
        ("key_area_travel", lambda r: yes_no(r["key_area_travel"])),
        ("travel_where", lambda r: r["travel_where"]),
        ("purpose", lambda r: label("purpose", r["purpose"])),
        ("destination", lambda r: r["destination"]),
        ("symptoms", lambda r: _symptoms(r["symptoms"])),
        ("health_code", lambda r: label("health_code", r["health_code"])),
        ("temp", lambda r: r["temp"]),
        ("temp_method", lambda r: label("temp_method", r["temp_method"])),
        ("not_measured_reason", lambda r: r["not_measured_reason"]),
        ("recheck_temp", lambda r: r["recheck_temp"]),
        ("fever", lambda r: yes_no(r["fever"])),
        ("direction", lambda r: label("direction", r["direction"])),
        ("disposition", lambda r: label("disposition", r["disposition"])),
        ("plate", lambda r: r.get("plate") or ""),
        ("vehicle_type", lambda r: label("vehicle_type", r.get("vehicle_type"))),
        ("staff", lambda r: r.get("staff_name") or ""),
        ("shift", lambda r: r["shift_id"]),
        ("amended", lambda r: zh("export.amended_after_signoff") if r.get("amended_after_signoff")
         else yes_no(r.get("amended"))),
    ]


def ledger_table(persons: list[dict], tz: str) -> Table:
    """登记台账: one row per person, IDs and phones masked."""
    return _columns(_person_spec(tz, masked=True), persons, "ledger")


def follow_up_table(persons: list[dict], tz: str) -> Table:
    """The follow-up list, village first: the ONLY table with full ID numbers and phones, because
    the township has to reach these people. `persons` are already chosen and sorted by the domain."""
    first = ["address", "name", "doc_type", "doc_no", "phone", "disposition", "fever", "temp", "recheck_temp"]
    spec = dict(_person_spec(tz, masked=False))
    rest = [c for c in spec if c not in first]
    return _columns([(c, spec[c]) for c in first + rest], persons, "")


def vehicles_table(vehicles: list[dict], tz: str) -> Table:
    return _columns([
        ("id", lambda r: r["id"]),
        ("time", lambda r: _local(r["recorded_at"], tz)),
        ("plate", lambda r: r["plate"]),
        ("vehicle_type", lambda r: label("vehicle_type", r["vehicle_type"])),
        ("occupants", lambda r: r["occupants"]),
        ("persons", lambda r: r["persons"]),
        ("direction", lambda r: label("direction", r["direction"])),
        ("disinfected", lambda r: yes_no(r["disinfected"])),
        ("live_poultry", lambda r: yes_no(r["live_poultry"])),
        ("illegal_passengers", lambda r: yes_no(r["illegal_passengers"])),
        ("staff", lambda r: r.get("staff_name") or ""),
        ("shift", lambda r: r["shift_id"]),
    ], vehicles, "vehicles")


def _members(text: str) -> str:
    try:
        members = json.loads(text or "[]")
    except ValueError:
        return ""
    return "、".join(f"{m[0]}（{mask_id_number(m[1])}）" for m in members if isinstance(m, list) and len(m) == 2)


def _hhmm(minutes: int | None) -> str:
    return "" if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def passes_table(passes: list[dict], tz: str) -> Table:
    return _columns([
        ("number", lambda r: r["number"]),
        ("kind", lambda r: label("pass_kind", r["kind"])),
        ("holder", lambda r: r["holder_name"]),
        ("doc_no", lambda r: mask_id_number(r["holder_doc_no"])),
        ("village", lambda r: r["village"]),
        ("members", lambda r: _members(r["members"])),
        ("plate", lambda r: r["plate"]),
        ("route", lambda r: r["route"]),
        ("cargo", lambda r: r["cargo"]),
        ("reason", lambda r: r["reason"]),
        ("employer", lambda r: r["employer"]),
        ("valid_from", lambda r: _day(r["valid_from"])),
        ("valid_to", lambda r: _day(r["valid_to"])),
        ("quota", lambda r: zh("export.col.quota_value", exits=r["exits"], per_days=r["per_days"])
         if r["exits"] else ""),
        ("back_by", lambda r: _hhmm(r["back_by"])),
        ("issued_at", lambda r: _local(r["issued_at"], tz)),
        ("issued_by", lambda r: r.get("staff_name") or ""),
        ("revoked", lambda r: yes_no(r["revoked"])),
    ], passes, "passes")


def scans_table(scans: list[dict], tz: str) -> Table:
    return _columns([
        ("id", lambda r: r["id"]),
        ("scan_time", lambda r: _local(r["at"], tz)),
        ("number", lambda r: r["pass_number"]),
        ("issuer", lambda r: r["key_id"]),
        ("holder", lambda r: r.get("holder_name") or ""),
        ("village", lambda r: r.get("village") or ""),
        ("direction", lambda r: label("direction", r["direction"])),
        ("verdict", lambda r: label("verdict", r["verdict"])),
        ("reason", lambda r: r["reason"]),
        ("checked_by", lambda r: r.get("staff_name") or ""),
        ("shift", lambda r: r["shift_id"]),
    ], scans, "scans")


def _json(text: str, default: object) -> object:
    try:
        return json.loads(text) if text else default
    except ValueError:
        return default


def _stock(text: str) -> str:
    lines = _json(text, [])
    return "；".join(f"{label('supply', str(s.get('item')))} {s.get('count')}" for s in lines
                     if isinstance(s, dict)) if isinstance(lines, list) else ""


def handovers_table(handovers: list[dict], tz: str) -> Table:
    def counts(r: dict) -> dict:
        value = _json(r["counts"], {})
        return value if isinstance(value, dict) else {}

    return _columns([
        ("shift", lambda r: r["shift_id"]),
        ("shift_kind", lambda r: label("shift", f"kind_{r['kind']}")),
        ("started", lambda r: _local(r["started_at"], tz)),
        ("signed", lambda r: _local(r["signed_at"], tz)),
        ("outgoing", lambda r: r.get("outgoing_name") or ""),
        ("incoming", lambda r: r.get("incoming_name") or ""),
        ("persons", lambda r: counts(r).get("persons", 0)),
        ("vehicles", lambda r: counts(r).get("vehicles", 0)),
        ("fever", lambda r: counts(r).get("fevers", 0)),
        ("passes_issued", lambda r: counts(r).get("passes_issued", 0)),
        ("matters", lambda r: len(_json(r["open_matters"], []) or [])),
        ("stock", lambda r: _stock(r["stock"])),
        ("incidents", lambda r: r["incidents"]),
        ("instructions", lambda r: r["instructions"]),
        ("equipment", lambda r: r["equipment"]),
        ("notes", lambda r: r["notes"]),
    ], handovers, "handovers")


def summary_table(rows: list[tuple[str, object]]) -> Table:
    return Table(zh("export.sheet.summary"), [zh("export.col.item"), zh("export.col.value")],
                 [[name, value] for name, value in rows])


# ---- writing --------------------------------------------------------------------------------------
def _csv_cell(value: Cell) -> str:
    if type(value) is str:   # most cells: first, and without isinstance's cost (a tenth of the export)
        return value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(path: Path, table: Table) -> None:
    # utf-8-sig writes the BOM Excel and WPS look for; without it they guess GBK and garble Chinese.
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(table.headers)
        writer.writerows([_csv_cell(c) for c in row] for row in table.rows)


def _width(value: object) -> int:
    text = _csv_cell(value) if not isinstance(value, str) else value
    if text.isascii():
        return len(text)
    # CJK characters take two columns in Excel as on a terminal
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_xlsx(path: Path, tables: list[Table]) -> None:
    """The tables as one workbook, a sheet each: the header bold and kept in view, each column as wide
    as its widest cell among the first 2,000 rows (at least 6, at most 50), dates as real dates."""
    from checkpoint.exchange.xlsx_sheets import Sheet, write_workbook

    sheets = []
    for table in tables:
        widths = [min(max(max([_width(header)] + [_width(r[i]) for r in table.rows[:2000]]) + 2, 6), 50)
                  for i, header in enumerate(table.headers)]
        sheets.append(Sheet(table.sheet, table.headers, table.rows, widths))
    write_workbook(path, sheets)
