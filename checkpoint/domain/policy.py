"""Dispositions (处置) and the policy that suggests one.

The policy is data (a versioned row a leader edits), not code: key areas change weekly and the
rules differ by period and province. A suggestion is shown with its reason; staff confirm it or
pick another, and it never saves itself.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace

from checkpoint.errors import InputError
from checkpoint.i18n import catalogue, t

# 处置: keys used on the CLI and in the database; Chinese words from the catalogue.
DISPOSITIONS = ("release", "turn-back", "hold", "refer", "home-isolation", "central-isolation",
                "refused", "escorted")
FEVER_DISPOSITIONS = ("hold", "refer")
ISOLATIONS = ("home-isolation", "central-isolation")
HEALTH_CODES = ("", "green", "yellow", "red")
PURPOSES = ("return-home", "work", "medical", "supplies", "official", "visit", "transit", "other")
SYMPTOMS = ("fever", "cough", "fatigue", "diarrhoea")


def disposition_label(key: str) -> str:
    return t(f"disposition.{key}")


def parse_disposition(text: str) -> str | None:
    """The disposition key for an English key or the Chinese (or English) word; None if unknown."""
    s = (text or "").strip()
    if s in DISPOSITIONS:
        return s
    for key in DISPOSITIONS:
        entry = catalogue().get(f"disposition.{key}", {})
        if s in (entry.get("zh"), entry.get("en")) or s.lower() == (entry.get("en") or "").lower():
            return key
    return None


@dataclass(frozen=True)
class Policy:
    """One version of the station's policy (防控策略)."""

    version: int = 0
    key_areas: tuple[str, ...] = ()
    resident_key_area: str = "home-isolation"
    outsider_key_area: str = "turn-back"
    resident_default: str = "release"
    outsider_default: str = "release"
    symptoms: str = "refer"
    health_yellow: str = "home-isolation"
    health_red: str = "central-isolation"
    fever: str = "hold"

    RULE_FIELDS = ("resident_key_area", "outsider_key_area", "resident_default", "outsider_default",
                   "symptoms", "health_yellow", "health_red", "fever")

    def rules_json(self) -> str:
        d = asdict(self)
        return json.dumps({k: d[k] for k in self.RULE_FIELDS}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_row(cls, version: int, key_areas: list[str], rules: dict) -> "Policy":
        known = {k: v for k, v in rules.items() if k in cls.RULE_FIELDS and v in DISPOSITIONS}
        return cls(version=version, key_areas=tuple(key_areas), **known)


AREA_MAX = 40


def parse_key_areas(text: str) -> list[str]:
    """Key areas typed one per line or separated by commas (，、, both widths), each once, in order.
    Raises InputError("policy.area_too_long", field="key_areas") for an area too long or unprintable."""
    areas: list[str] = []
    for part in text.replace("，", ",").replace("、", ",").replace("\n", ",").split(","):
        area = part.strip()
        if not area:
            continue
        if len(area) > AREA_MAX or not area.isprintable():
            raise InputError("policy.area_too_long", field="key_areas", value=area[:20])
        if area not in areas:
            areas.append(area)
    return areas


def with_rules(policy: Policy, rules: dict[str, str], name_fields: bool = True) -> Policy:
    """`policy` with the given rules (rule -> disposition key) changed. Raises InputError for a rule
    or a disposition it does not know; `name_fields` names the form's field at fault with it (the
    station's form and CLI; the township's commands name none)."""
    for rule, value in rules.items():
        if rule not in Policy.RULE_FIELDS:
            raise InputError("policy.rule_unknown", field="rules" if name_fields else None, value=rule)
        if value not in DISPOSITIONS:
            raise InputError("disposition.unknown", field=rule if name_fields else None, value=value)
        policy = replace(policy, **{rule: value})
    return policy


@dataclass(frozen=True)
class Facts:
    """What the desk knows about a person when it suggests a disposition."""

    resident: bool
    origin: str = ""
    travel_where: str = ""
    key_area_travel: bool = False
    symptoms: tuple[str, ...] = ()
    health_code: str = ""
    fever_confirmed: bool = False


@dataclass(frozen=True)
class Suggestion:
    disposition: str
    reason_key: str
    params: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return t(self.reason_key, **self.params)


def matching_key_area(policy: Policy, *places: str) -> str | None:
    for area in policy.key_areas:
        a = area.strip()
        if a and any(a in (p or "") for p in places):
            return a
    return None


def suggest(policy: Policy, facts: Facts) -> Suggestion:
    """The disposition the policy suggests, most serious rule first."""
    if facts.fever_confirmed:
        return Suggestion(policy.fever, "reason.fever")
    if facts.health_code == "red":
        return Suggestion(policy.health_red, "reason.health_red")
    area = matching_key_area(policy, facts.origin, facts.travel_where)
    if area or facts.key_area_travel:
        rule = policy.resident_key_area if facts.resident else policy.outsider_key_area
        who = t("who.resident") if facts.resident else t("who.outsider")
        return Suggestion(rule, "reason.key_area", {"area": area or facts.travel_where or "?", "who": who})
    if facts.symptoms:
        return Suggestion(policy.symptoms, "reason.symptoms")
    if facts.health_code == "yellow":
        return Suggestion(policy.health_yellow, "reason.health_yellow")
    if facts.resident:
        return Suggestion(policy.resident_default, "reason.default_resident")
    return Suggestion(policy.outsider_default, "reason.default_outsider")
