"""A correction as people read it, for an entry (services.review) and a vehicle
(services.vehicle_amend) alike: when, who, why, each field before and after, in words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One field a correction changed, before and after, in words."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Amendment:
    """One correction: when (station time), who, why, what changed, and whether after the day's sign-off."""

    at: str
    staff: str
    reason: str
    changes: tuple[Change, ...]
    after_signoff: bool
