"""Who may do what. Roles: 值守 staff, 带班 leader, 管理 admin."""

from __future__ import annotations

ROLES = ("staff", "leader", "admin")

# action -> roles allowed. Listed once; the CLI, the screens and the tests read this table. Reading
# the day's masked log is no action here: the desk shows it to whoever is logged in, and
# `checkpoint log` needs no --as (the search, which finds anyone on any day, is review.read).
PERMISSIONS: dict[str, frozenset[str]] = {
    "register": frozenset({"staff", "leader", "admin"}),
    "staff.manage": frozenset({"leader", "admin"}),
    "policy.edit": frozenset({"leader", "admin"}),
    "settings.edit": frozenset({"leader", "admin"}),
    "pass.issue": frozenset({"leader", "admin"}),   # staff too when the setting pass-issue-staff is on
    "pass.check": frozenset({"staff", "leader", "admin"}),
    "pass.revoke": frozenset({"leader", "admin"}),
    "keys.manage": frozenset({"leader", "admin"}),
    "shift.lead": frozenset({"leader", "admin"}),
    "matter.manage": frozenset({"staff", "leader", "admin"}),
    "review.read": frozenset({"staff", "leader", "admin"}),   # staff only while the setting review-staff is on
    "entry.amend": frozenset({"leader", "admin"}),
    "entry.flag": frozenset({"leader", "admin"}),
    "entry.unmask": frozenset({"leader"}),
    "day.signoff": frozenset({"leader", "admin"}),
    "audit.read": frozenset({"leader", "admin"}),
    "data.purge": frozenset({"admin"}),
    "data.restore": frozenset({"admin"}),
    "export.day": frozenset({"leader", "admin"}),
}


def allowed(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, frozenset())


def needed_roles(action: str) -> tuple[str, ...]:
    return tuple(r for r in ROLES if r in PERMISSIONS.get(action, frozenset()))
