"""Shifts and the handover (交接班), by job: `roster` (open a shift, who stands it, the shift as its
screen shows it), `matters` (what stays open from shift to shift), `handover` (sign it over, 收班,
the signed record). The names below are the whole surface, so a caller writes `shifts.hand_over(...)`."""

from checkpoint.services.shifts.handover import (TEXT_MAX, CloseResult, HandoverResult, close_shift,
                                                 default_next_roster, hand_over, handover_markdown,
                                                 handover_record, supply_items, supply_label)
from checkpoint.services.shifts.matters import (CLOSE_NOTE_MAX, Matter, add_matter, age_text, close_matter,
                                                closure_of, open_matters)
from checkpoint.services.shifts.roster import (ShiftStatus, change_roster, kind_now, no_shift_text, parse_roster,
                                               require_open, roster_members, roster_people, shift_status,
                                               staffing_banner, start_shift, warning_texts)

__all__ = [
    "CLOSE_NOTE_MAX", "TEXT_MAX", "CloseResult", "HandoverResult", "Matter", "ShiftStatus", "add_matter", "age_text",
    "change_roster", "close_matter", "close_shift", "closure_of", "default_next_roster", "hand_over",
    "handover_markdown", "handover_record", "kind_now", "no_shift_text", "open_matters", "parse_roster",
    "require_open", "roster_members", "roster_people", "shift_status", "staffing_banner", "start_shift",
    "supply_items", "supply_label", "warning_texts",
]
