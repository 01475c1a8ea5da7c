"""Passes (通行证): the fields each kind has, what each kind needs, and the verdict a scan gets.

The verdict is a pure function of the token's claims, the clock and what the station knows
(revocations, the crossing log, isolation), so every verdict can be tested with a fake clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from checkpoint.domain import documents, plates, registration
from checkpoint.domain.pass_token import KINDS, PassClaims
from checkpoint.domain.problems import Problem, error

# 有效 已过期 未生效 已吊销 伪造 未知签发方 次数已用完 未返回 隔离中; and two for text that is no pass
VALID = "valid"
EXPIRED = "expired"
NOT_YET_VALID = "not-yet-valid"
REVOKED = "revoked"
FORGED = "forged"
UNKNOWN_ISSUER = "unknown-issuer"
QUOTA_USED = "quota-used"
NOT_BACK = "not-back"
ISOLATED = "isolated"
UNREADABLE = "unreadable"
UNKNOWN_PASS = "unknown-pass"
VERDICTS = (VALID, EXPIRED, NOT_YET_VALID, REVOKED, FORGED, UNKNOWN_ISSUER, QUOTA_USED, NOT_BACK,
            ISOLATED, UNREADABLE, UNKNOWN_PASS)

DEFAULT_DAYS = {"household": 30, "medical": 3, "vehicle": 14, "work": 30, "official": 30}
MAX_DAYS = 366
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")
# A pass number: the station code (letters, digits, '-', up to 20) and a serial of 6 digits or more.
_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}-\d{6,9}$")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "_": "-", "‐": "-"})


def normalize_number(text: str) -> str:
    """A pass number as typed (k01 - 000001, full-width digits, a long dash) in its written form."""
    import unicodedata

    plain = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    return "".join(plain.split()).upper()


def looks_like_number(text: str) -> bool:
    """Whether `text` (normalized) has the shape of a pass number, e.g. K01-000001."""
    return bool(_NUMBER.match(text or ""))


@dataclass(frozen=True)
class PassField:
    """One field of the pass form: its name (PassForm's), the kinds of pass that have it (every kind
    when empty) and the text it starts with."""

    name: str
    kinds: tuple[str, ...] = ()
    default: str = ""

    def for_kind(self, kind: str) -> bool:
        """Whether a pass of `kind` has this field."""
        return not self.kinds or kind in self.kinds


# Which fields each kind of pass has, and their defaults, in the order the form asks them: read by
# PassForm, the issue screen (which rows show) and `checkpoint pass issue` (its options' defaults).
DEFAULT_KIND = "household"
PASS_FIELDS: tuple[PassField, ...] = (
    PassField("name"), PassField("doc_no"), PassField("village"),
    PassField("members", ("household",)),
    PassField("plate", ("vehicle",)), PassField("route", ("vehicle",)), PassField("cargo", ("vehicle",)),
    PassField("reason", ("medical",)),
    PassField("employer", ("work", "official")),
    PassField("valid_days"),
    PassField("exits", ("household",), "1"), PassField("per_days", ("household",), "2"),
    PassField("back_by", ("household",), "18:00"),
)
_FIELDS = {f.name: f for f in PASS_FIELDS}


def field_default(name: str) -> str:
    """The text the pass form's field `name` starts with ("" for most)."""
    return _FIELDS[name].default


@dataclass
class PassForm:
    """What a leader typed to issue a pass (screen or CLI), as text."""

    kind: str = DEFAULT_KIND
    name: str = ""
    doc_no: str = ""
    village: str = ""
    members: list[tuple[str, str]] = field(default_factory=list)  # designated members: (name, ID)
    plate: str = ""
    route: str = ""   # "A-B"
    cargo: str = ""
    reason: str = ""
    employer: str = ""
    valid_days: str = ""
    exits: str = _FIELDS["exits"].default
    per_days: str = _FIELDS["per_days"].default
    back_by: str = _FIELDS["back_by"].default


def parse_members(text: str) -> list[tuple[str, str]]:
    """'张三:110…,李四:110…' (full- or half-width punctuation) as (name, ID) pairs.

    Raises ValueError with the part that has no ':'.
    """
    members = []
    for part in (text or "").replace("，", ",").replace("、", ",").split(","):
        if not part.strip():
            continue
        name, sep, doc = part.replace("：", ":").partition(":")
        if not sep:
            raise ValueError(part.strip())
        members.append((name.strip(), doc.strip()))
    return members


def parse_hhmm(text: str) -> int | None:
    """'18:00' (or 18：00) as minutes after midnight; None when it is not a time of day."""
    m = _HHMM.match((text or "").strip())
    return int(m.group(1)) * 60 + int(m.group(2)) if m else None


def hhmm(minutes: int | None) -> str:
    """Minutes after midnight as 'HH:MM'; "" for None."""
    return "" if minutes is None else f"{minutes // 60:02d}:{minutes % 60:02d}"


def check_pass_form(form: PassForm, today: dt.date) -> list[Problem]:
    """The problems of a pass form, in form order: an unknown kind alone, else the holder's and the
    members' names and IDs, and what the kind needs (plate and route, reason, employer, the
    household's exit rule), and the validity in days. Empty when the pass may be issued."""
    problems: list[Problem] = []
    if form.kind not in KINDS:
        return [error("kind", "pass.kind_unknown", value=form.kind)]
    # The desk's rule for a name (at most NAME_MAX characters, no digits): every name it accepts fits
    # the token, which carries the name masked to three characters (masking.mask_name_short).
    problems += [p for p in registration.check_name(form.name) if p.is_error]   # an odd name only warns
    problems += [p for p in documents.check_resident_id(form.doc_no, today) if p.is_error]
    for member_name, member_id in form.members:
        if not member_name.strip():
            problems.append(error("members", "pass.member_name"))
        bad = [p for p in documents.check_resident_id(member_id, today) if p.is_error]
        if bad:
            problems.append(error("members", "pass.member_id", name=member_name, detail=bad[0].message))
    if form.kind == "vehicle":
        if not form.plate.strip():
            problems.append(error("plate", "pass.plate_required"))
        else:
            problems += [p for p in plates.check_plate(form.plate) if p.is_error]
        if "-" not in form.route.replace("—", "-") or any(not part.strip() for part in form.route.replace("—", "-").split("-", 1)):
            problems.append(error("route", "pass.route_format"))
    if form.kind == "medical" and not form.reason.strip():
        problems.append(error("reason", "pass.reason_required"))
    if form.kind in ("work", "official") and not form.employer.strip():
        problems.append(error("employer", "pass.employer_required"))
    days = form.valid_days.strip()
    if days and (not days.isdecimal() or not 1 <= int(days) <= MAX_DAYS):
        problems.append(error("valid_days", "pass.days_range", limit=MAX_DAYS))
    if form.kind == "household":
        for name_, value, low, high in (("exits", form.exits, 1, 20), ("per_days", form.per_days, 1, 30)):
            v = value.strip()
            if not v.isdecimal() or not low <= int(v) <= high:
                problems.append(error(name_, "pass.rule_range", low=low, high=high))
        if form.back_by.strip() and parse_hhmm(form.back_by) is None:
            problems.append(error("back_by", "pass.back_by_format"))
    return problems


@dataclass(frozen=True)
class ScanFacts:
    """What the station knows about a scanned pass, besides its claims."""

    issuer_known: bool
    signature_ok: bool
    issuer_revoked: bool = False
    revoked_reason: str | None = None
    holder_isolated: bool = False
    open_exit_at: dt.datetime | None = None      # local time of an exit not yet closed by a return
    exits_in_period: int = 0                     # valid exits within the rule's period


@dataclass(frozen=True)
class Verdict:
    """What a scan gets: one of VERDICTS, the message key saying why (with its parameters), and
    whether it closes an open exit (a holder coming back)."""

    verdict: str
    reason_key: str
    params: tuple[tuple[str, object], ...] = ()
    closes_exit: bool = False

    @property
    def valid(self) -> bool:
        return self.verdict == VALID


def judge(claims: PassClaims, facts: ScanFacts, direction: str, now: dt.datetime) -> Verdict:
    """The verdict for one scan, most serious first. `now` is station-local time."""
    if not facts.issuer_known:
        return Verdict(UNKNOWN_ISSUER, "verdict.why_unknown_issuer", (("key", claims.key_id),))
    if not facts.signature_ok:
        return Verdict(FORGED, "verdict.why_signature")
    if facts.issuer_revoked:
        return Verdict(REVOKED, "verdict.why_issuer_revoked")
    if facts.revoked_reason is not None:
        return Verdict(REVOKED, "verdict.why_revoked", (("reason", facts.revoked_reason),))
    today = now.date()
    if today < claims.valid_from:
        return Verdict(NOT_YET_VALID, "verdict.why_not_yet", (("date", claims.valid_from.isoformat()),))
    if today > claims.valid_to:
        return Verdict(EXPIRED, "verdict.why_expired", (("date", claims.valid_to.isoformat()),))
    if facts.holder_isolated:
        return Verdict(ISOLATED, "verdict.why_isolated")
    if direction == "in":
        if facts.open_exit_at is not None:
            return Verdict(VALID, "verdict.why_back", (("since", facts.open_exit_at.strftime("%m-%d %H:%M")),),
                           closes_exit=True)
        return Verdict(VALID, "verdict.why_in")
    if facts.open_exit_at is not None:
        return Verdict(NOT_BACK, "verdict.why_not_back", (("since", facts.open_exit_at.strftime("%m-%d %H:%M")),))
    if claims.per_days and claims.exits and facts.exits_in_period >= claims.exits:
        return Verdict(QUOTA_USED, "verdict.why_quota", (("exits", claims.exits), ("days", claims.per_days)))
    return Verdict(VALID, "verdict.why_out")


def quota_window_start(claims: PassClaims, today: dt.date) -> dt.date:
    """First day counted by the rule "N exits per D days": today and the D-1 days before."""
    return today - dt.timedelta(days=max(claims.per_days, 1) - 1)


def overdue(exit_at: dt.datetime, back_by: int | None, now: dt.datetime) -> bool:
    """Out and not back by the deadline: back-by time on the day of the exit, else end of that day."""
    deadline_minutes = back_by if back_by is not None else 24 * 60 - 1
    deadline = exit_at.replace(hour=deadline_minutes // 60, minute=deadline_minutes % 60, second=0, microsecond=0)
    if deadline < exit_at:  # went out after the back-by time: due at the end of that day
        deadline = exit_at.replace(hour=23, minute=59, second=0, microsecond=0)
    return now > deadline
