# Long on purpose (#17): one report, its figures and the text that shows every one of them; nothing else reads either half alone.
"""The daily report (日报) of one station day: figures counted from the day's rows, and its text.

Pure: it takes plain rows (as the store reads them) and returns plain values, so the same counting
serves the export bundle, a screen, and the township's checks. "零报告不同于不报告" (003): a day with
no fevers, no one held or referred and no one isolated is a zero report, and it still says so.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from checkpoint.domain import shifts as shift_rules
from checkpoint.domain.masking import mask_id_number
from checkpoint.domain.policy import DISPOSITIONS, FEVER_DISPOSITIONS, ISOLATIONS

# The people the township follows up by village: held, referred onward, or sent to isolation.
FOLLOW_UP = FEVER_DISPOSITIONS + ISOLATIONS
UNKNOWN_ORIGIN = "?"

Text = Callable[..., str]


@dataclass(frozen=True)
class Staffing:
    """Who stood one shift of the day."""

    shift_id: int
    kind: str
    leader: str
    start: str                     # local "HH:MM", as the service formats it
    people: int
    categories: dict[str, int]
    warnings: list[tuple[str, dict]]


@dataclass(frozen=True)
class SupplyLine:
    item: str
    count: int
    days_left: float | None
    low: bool


@dataclass(frozen=True)
class FollowUp:
    village: str
    name: str
    doc_masked: str
    disposition: str
    fever: bool


@dataclass(frozen=True)
class DailyReport:
    day: str
    persons: int = 0
    persons_in: int = 0
    persons_out: int = 0
    residents: int = 0
    outsiders: int = 0
    vehicles: int = 0
    vehicles_in: int = 0
    vehicles_out: int = 0
    fevers: int = 0
    not_measured: int = 0
    key_area: int = 0
    key_area_where: dict[str, int] = field(default_factory=dict)
    by_origin: dict[str, int] = field(default_factory=dict)
    dispositions: dict[str, int] = field(default_factory=dict)
    follow_up: list[FollowUp] = field(default_factory=list)
    passes_issued: int = 0
    passes_by_kind: dict[str, int] = field(default_factory=dict)
    scans: int = 0
    scans_by_verdict: dict[str, int] = field(default_factory=dict)
    staffing: list[Staffing] = field(default_factory=list)
    handovers: int = 0
    supplies: list[SupplyLine] = field(default_factory=list)
    open_matters: list[str] = field(default_factory=list)
    amended: int = 0
    amended_after_signoff: int = 0
    signoff: dict | None = None    # {"by": leader, "at": "YYYY-MM-DD HH:MM" local} once the day is signed off

    @property
    def held_or_referred(self) -> int:
        return sum(self.dispositions.get(d, 0) for d in FEVER_DISPOSITIONS)

    @property
    def isolated(self) -> int:
        return sum(self.dispositions.get(d, 0) for d in ISOLATIONS)

    @property
    def zero_report(self) -> bool:
        return self.fevers == 0 and self.held_or_referred == 0 and self.isolated == 0

    def counts(self) -> dict:
        """The machine-readable figures (summary.json): English keys, plain numbers."""
        return {
            "persons": self.persons, "persons_in": self.persons_in, "persons_out": self.persons_out,
            "residents": self.residents, "outsiders": self.outsiders,
            "vehicles": self.vehicles, "vehicles_in": self.vehicles_in, "vehicles_out": self.vehicles_out,
            "fevers": self.fevers, "not_measured": self.not_measured,
            "key_area": self.key_area, "key_area_where": self.key_area_where, "by_origin": self.by_origin,
            "dispositions": self.dispositions, "held_or_referred": self.held_or_referred,
            "isolated": self.isolated, "follow_up": len(self.follow_up),
            "passes_issued": self.passes_issued, "passes_by_kind": self.passes_by_kind,
            "scans": self.scans, "scans_by_verdict": self.scans_by_verdict,
            "shifts": len(self.staffing), "staff_on_duty": sum(s.people for s in self.staffing),
            "handovers": self.handovers,
            "supplies": [{"item": s.item, "count": s.count, "days_left": s.days_left, "low": s.low}
                         for s in self.supplies],
            "supplies_low": [s.item for s in self.supplies if s.low],
            "open_matters": len(self.open_matters),
            "amended": self.amended, "amended_after_signoff": self.amended_after_signoff,
            "signed_off": self.signoff is not None,
            "signed_off_by": (self.signoff or {}).get("by"), "signed_off_at": (self.signoff or {}).get("at"),
        }


def _tally(values: Iterable[str]) -> dict[str, int]:
    """Counts, largest first, then by name: the same input always gives the same order."""
    counter = Counter(values)
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _json(value: object, default: object) -> object:
    if isinstance(value, (list, dict)):
        return value
    try:
        return json.loads(value) if value else default
    except (TypeError, ValueError):
        return default


def staffing(shift_rows: list[dict], roster_rows: list[dict]) -> list[Staffing]:
    """One line per shift: its people by category and the staffing warnings (003: ≥4 by day, ≥2 at night)."""
    result = []
    for shift in shift_rows:
        members = [shift_rules.RosterMember(r["staff_id"], r["name"], r["role"], r["category"])
                   for r in roster_rows if r["shift_id"] == shift["id"]]
        result.append(Staffing(
            shift_id=shift["id"], kind=shift["kind"], leader=shift.get("leader_name") or "",
            start=shift.get("start_local") or "", people=len(members),
            categories=_tally(m.category for m in members),
            warnings=shift_rules.staffing_warnings(shift["kind"], members)))
    return result


def supplies(handover_rows: list[dict]) -> list[SupplyLine]:
    """The stock left at the day's last handover (the freshest count the station has)."""
    if not handover_rows:
        return []
    last = max(handover_rows, key=lambda h: (h["signed_at"], h["id"]))
    lines = _json(last.get("stock"), [])
    return [SupplyLine(str(line["item"]), int(line["count"]), line.get("days_left"), bool(line.get("low")))
            for line in lines if isinstance(line, dict) and "item" in line and "count" in line]


def follow_up_rows(persons: list[dict]) -> list[dict]:
    """The people to follow up, by village (the address), then in the order they were registered."""
    rows = [p for p in persons if p["disposition"] in FOLLOW_UP]
    return sorted(rows, key=lambda p: ((p.get("address") or "").strip(), p["recorded_at"], p["id"]))


def build(day: str, persons: list[dict], vehicles: list[dict], passes: list[dict], scans: list[dict],
          shift_rows: list[dict], roster_rows: list[dict], handover_rows: list[dict],
          open_matters: list[str], signoff: dict | None = None) -> DailyReport:
    dispositions = {d: 0 for d in DISPOSITIONS}
    dispositions.update(Counter(p["disposition"] for p in persons))
    return DailyReport(
        day=day,
        persons=len(persons),
        persons_in=sum(p["direction"] == "in" for p in persons),
        persons_out=sum(p["direction"] == "out" for p in persons),
        residents=sum(bool(p["resident"]) for p in persons),
        outsiders=sum(not p["resident"] for p in persons),
        vehicles=len(vehicles),
        vehicles_in=sum(v["direction"] == "in" for v in vehicles),
        vehicles_out=sum(v["direction"] == "out" for v in vehicles),
        fevers=sum(bool(p["fever"]) for p in persons),
        not_measured=sum(p["temp"] is None for p in persons),
        key_area=sum(bool(p["key_area_travel"]) for p in persons),
        key_area_where=_tally((p.get("travel_where") or "").strip() or UNKNOWN_ORIGIN
                              for p in persons if p["key_area_travel"]),
        by_origin=_tally((p.get("origin") or "").strip() or UNKNOWN_ORIGIN for p in persons),
        dispositions=dispositions,
        follow_up=[FollowUp((p.get("address") or "").strip(), p["name"], mask_id_number(p["doc_no"]),
                            p["disposition"], bool(p["fever"])) for p in follow_up_rows(persons)],
        passes_issued=len(passes),
        passes_by_kind=_tally(p["kind"] for p in passes),
        scans=len(scans),
        scans_by_verdict=_tally(s["verdict"] for s in scans),
        staffing=staffing(shift_rows, roster_rows),
        handovers=len(handover_rows),
        supplies=supplies(handover_rows),
        open_matters=list(open_matters),
        amended=sum(bool(p.get("amended")) for p in persons),
        amended_after_signoff=sum(bool(p.get("amended_after_signoff")) for p in persons),
        signoff=signoff,
    )


# ---- the human-readable report ------------------------------------------------------------------
def _label(text: Text, key: str, fallback: str) -> str:
    value = text(key)
    return fallback if value == key else value


def _joined(text: Text, prefix: str, counts: dict[str, int]) -> str:
    return "、".join(f"{_label(text, f'{prefix}.{k}', k)}{n}" for k, n in counts.items() if n)


def _village_only(address: str) -> str:
    """The village of an address, or "" when the address names none (then the address itself, which
    may be a house, is not shown)."""
    from checkpoint.domain.township_report import village_of

    village = village_of(address)
    return village if village.endswith(("村", "社区", "居委会")) else ""


def _follow_up_by_village(report: DailyReport, text: Text) -> list[str]:
    """The follow-up people as counts per village and disposition: no name, document or address."""
    groups: dict[str, Counter] = {}
    fevers: Counter = Counter()
    for f in report.follow_up:
        village = _village_only(f.village)
        groups.setdefault(village, Counter())[f.disposition] += 1
        fevers[village] += int(f.fever)
    lines = [text("export.report.follow_up_sealed"), ""]
    for village in sorted(groups, key=lambda v: (v == "", v)):
        counts = "、".join(f"{_label(text, f'disposition.{d}', d)}{n}" for d, n in sorted(groups[village].items()))
        fever = text("export.report.follow_up_fevers", count=fevers[village]) if fevers[village] else ""
        lines.append(f"- {village or text('export.report.no_village')}：{counts}{fever}")
    return lines


def render_markdown(report: DailyReport, station: dict, revision: int, text: Text, personal: bool = True) -> str:
    """The 日报 as Markdown. `text` is the message lookup (t-like), so the words live in the catalogue.

    With `personal=False` (the copy that travels readable on the USB stick) nobody is named: the
    follow-up people are counted by village and the open matters only counted."""
    r = "export.report."
    lines = [f"# {text(r + 'title', name=station['name'], code=station['code'])}", "",
             text(r + "subtitle", township=station["township"], day=report.day, revision=revision), "",
             signoff_line(report, text), ""]
    if report.zero_report:
        lines += [f"**{text(r + 'zero')}**", ""]
    else:
        lines += [f"**{text(r + 'not_zero', count=len(report.follow_up), fevers=report.fevers, held=report.held_or_referred, isolated=report.isolated)}**", ""]

    lines += [f"## {text(r + 'people')}", "",
              f"- {text(r + 'persons', persons=report.persons, persons_in=report.persons_in, persons_out=report.persons_out, residents=report.residents, outsiders=report.outsiders)}",
              f"- {text(r + 'vehicles', vehicles=report.vehicles, vehicles_in=report.vehicles_in, vehicles_out=report.vehicles_out)}",
              f"- {text(r + 'fevers', count=report.fevers)}",
              f"- {text(r + 'not_measured', count=report.not_measured)}", ""]

    lines += [f"## {text(r + 'origin')}", ""]
    lines += [f"- {origin}：{n}" for origin, n in report.by_origin.items()] or [f"- {text(r + 'none')}"]
    lines += ["", f"## {text(r + 'key_area')}", "", f"- {text(r + 'key_area_count', count=report.key_area)}"]
    lines += [f"  - {where}：{n}" for where, n in report.key_area_where.items()]

    lines += ["", f"## {text(r + 'dispositions')}", ""]
    lines += [f"- {_label(text, f'disposition.{d}', d)}：{n}" for d, n in report.dispositions.items()]

    lines += ["", f"## {text(r + 'follow_up')}", ""]
    if report.follow_up and not personal:
        lines += _follow_up_by_village(report, text)
    elif report.follow_up:
        lines.append(text(r + "follow_up_file"))
        lines.append("")
        village = None
        for f in report.follow_up:
            if f.village != village:
                village = f.village
                lines.append(f"- {village or text(r + 'no_village')}")
            fever = text(r + "fever_mark") if f.fever else ""
            lines.append(f"  - {f.name}（{f.doc_masked}）：{_label(text, f'disposition.{f.disposition}', f.disposition)}{fever}")
    else:
        lines.append(f"- {text(r + 'none')}")

    lines += ["", f"## {text(r + 'passes')}", "",
              f"- {text(r + 'passes_issued', count=report.passes_issued)}"
              + (f"（{_joined(text, 'pass_kind', report.passes_by_kind)}）" if report.passes_by_kind else ""),
              f"- {text(r + 'scans', count=report.scans)}"
              + (f"（{_joined(text, 'verdict', report.scans_by_verdict)}）" if report.scans_by_verdict else "")]

    lines += ["", f"## {text(r + 'staffing')}", ""]
    for s in report.staffing:
        kind = _label(text, f"shift.kind_{s.kind}", s.kind)
        line = text(r + "shift_line", id=s.shift_id, kind=kind, start=s.start or "-", leader=s.leader or "-",
                    people=s.people, categories=_joined(text, "category", s.categories) or "-")
        warnings = "；".join(text(key, **{**params, "kind": kind} if "kind" in params else params)
                            for key, params in s.warnings)
        lines.append(f"- {line}" + (f" ⚠ {warnings}" if warnings else ""))
    if not report.staffing:
        lines.append(f"- {text(r + 'no_shifts')}")

    lines += ["", f"## {text(r + 'supplies')}", ""]
    for s in report.supplies:
        days = "-" if s.days_left is None else s.days_left
        low = text(r + "low") if s.low else ""
        lines.append(f"- {text(r + 'supply_line', item=_label(text, f'supply.{s.item}', s.item), count=s.count, days=days, low=low)}".rstrip())
    if not report.supplies:
        lines.append(f"- {text(r + 'no_handover')}")

    lines += ["", f"## {text(r + 'matters')}", ""]
    if personal or not report.open_matters:
        lines += [f"- {m}" for m in report.open_matters] or [f"- {text(r + 'none')}"]
    else:
        lines.append(f"- {text(r + 'matters_sealed', count=len(report.open_matters))}")

    if report.amended:
        lines += ["", f"## {text(r + 'amended_title')}", "",
                  f"- {text(r + 'amended', count=report.amended, after=report.amended_after_signoff)}"]
    return "\n".join(lines) + "\n"


def signoff_line(report: DailyReport, text: Text) -> str:
    """**已签核**：who, when — or that the day was not signed off when this bundle was made."""
    if report.signoff is None:
        return text("dayclose.report_not_signed")
    return text("dayclose.report_signed", by=report.signoff.get("by", ""), at=report.signoff.get("at", ""))


def summary_rows(report: DailyReport, text: Text) -> list[tuple[str, object]]:
    """(label, value) pairs for the 日报 sheet of the workbook: the same figures as the text."""
    r = "export.report."
    rows: list[tuple[str, object]] = [
        (text("dayclose.row_signoff"), signoff_line(report, text).replace("*", "")),
        (text(r + "row_zero"), text("yesno.yes") if report.zero_report else text("yesno.no")),
        (text(r + "row_persons"), report.persons), (text(r + "row_persons_in"), report.persons_in),
        (text(r + "row_persons_out"), report.persons_out), (text(r + "row_residents"), report.residents),
        (text(r + "row_outsiders"), report.outsiders), (text(r + "row_vehicles"), report.vehicles),
        (text(r + "row_fevers"), report.fevers), (text(r + "row_not_measured"), report.not_measured),
        (text(r + "row_key_area"), report.key_area),
    ]
    rows += [(_label(text, f"disposition.{d}", d), n) for d, n in report.dispositions.items()]
    rows += [(text(r + "row_follow_up"), len(report.follow_up)),
             (text(r + "row_passes_issued"), report.passes_issued), (text(r + "row_scans"), report.scans),
             (text(r + "row_shifts"), len(report.staffing)),
             (text(r + "row_staff"), sum(s.people for s in report.staffing)),
             (text(r + "row_matters"), len(report.open_matters))]
    rows += [(text(r + "row_origin", origin=o), n) for o, n in report.by_origin.items()]
    rows += [(text(r + "row_supply", item=_label(text, f"supply.{s.item}", s.item)), s.count) for s in report.supplies]
    return rows
