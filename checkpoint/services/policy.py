"""Reading and changing the station's policy (key areas, suggested dispositions)."""

from __future__ import annotations

from dataclasses import replace

from checkpoint.domain.policy import Policy, parse_key_areas, with_rules
from checkpoint.services.accounts import Account, require
from checkpoint.store import Store
from checkpoint.store import policy as policy_store

def current_policy(store: Store) -> Policy:
    """The key-area policy in force here (the township's last one applied), or the empty default."""
    row = policy_store.current(store)
    if row is None:
        return Policy()
    return Policy.from_row(row["version"], row["key_areas"], row["rules"])


def update_policy(store: Store, by: Account, key_areas: list[str] | None = None,
                  rules: dict[str, str] | None = None, note: str = "") -> Policy:
    """Add a new policy version; the old one stays readable, entries keep the version they used.
    Returns the new Policy (its version). Raises RefusedError when `by` may not edit the
    policy, InputError for a bad area list or rule."""
    require(by, "policy.edit")
    policy = current_policy(store)
    if key_areas is not None:
        policy = replace(policy, key_areas=tuple(parse_key_areas("\n".join(key_areas))))
    policy = with_rules(policy, rules or {})
    with store.write():
        version = policy_store.add_version(store, list(policy.key_areas), policy.rules_json(), by.id, note)
    return replace(policy, version=version)
