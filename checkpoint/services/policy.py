"""Reading and changing the station's policy (key areas, suggested dispositions)."""

from __future__ import annotations

from dataclasses import replace

from checkpoint.domain.policy import DISPOSITIONS, Policy
from checkpoint.errors import InputError
from checkpoint.services.accounts import Account, require
from checkpoint.store import Store
from checkpoint.store import policy as policy_store

AREA_MAX = 40


def current_policy(store: Store) -> Policy:
    row = policy_store.current(store)
    if row is None:
        return Policy()
    return Policy.from_row(row["version"], row["key_areas"], row["rules"])


def parse_key_areas(text: str) -> list[str]:
    """Key areas typed one per line or separated by commas (，、, both widths)."""
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


def update_policy(store: Store, by: Account, key_areas: list[str] | None = None,
                  rules: dict[str, str] | None = None, note: str = "") -> Policy:
    """Add a new policy version; the old one stays readable, entries keep the version they used."""
    require(by, "policy.edit")
    policy = current_policy(store)
    if key_areas is not None:
        policy = replace(policy, key_areas=tuple(parse_key_areas("\n".join(key_areas))))
    for rule, value in (rules or {}).items():
        if rule not in Policy.RULE_FIELDS:
            raise InputError("policy.rule_unknown", field="rules", value=rule)
        if value not in DISPOSITIONS:
            raise InputError("disposition.unknown", field=rule, value=value)
        policy = replace(policy, **{rule: value})
    with store.write():
        version = policy_store.add_version(store, list(policy.key_areas), policy.rules_json(), by.id, note)
    return replace(policy, version=version)
