"""Where people come from and live, as the desk completes them: the national division list for
从哪来, the station's own villages for 住址/村 (learnt from residents' addresses, edited by a leader).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checkpoint.domain import places
from checkpoint.domain.registration import TEXT_MAX
from checkpoint.errors import InputError
from checkpoint.services.accounts import Account, require
from checkpoint.store import Store
from checkpoint.store import villages as village_store


@dataclass(frozen=True)
class PlaceLists:
    """What the desk completes from, read once when it opens and after each save."""

    villages: tuple[str, ...] = ()
    origins_seen: dict[str, int] = field(default_factory=dict)


def lists(store: Store) -> PlaceLists:
    """The station's villages and how often each origin was registered lately (ranking)."""
    return PlaceLists(village_store.names(store), village_store.origins_seen(store))


def warm_up() -> None:
    """Build the division index (half a second of pinyin) before the first keystroke needs it."""
    places.divisions()


def origin_choices(text: str, known: PlaceLists) -> list[str]:
    """Provinces, cities and counties that `text` (Chinese, pinyin or initials) may mean, best first."""
    return places.complete(text, places.divisions(), known.origins_seen)


def village_choices(text: str, known: PlaceLists) -> list[str]:
    """The station's villages that `text` may mean."""
    return places.complete(text, places.villages(known.villages))


def list_villages(store: Store) -> list[dict]:
    """Every village ever known, hidden ones too (`removed` = 1), by name."""
    return village_store.listing(store)


def add_village(store: Store, by: Account, name: str) -> int:
    """Add a village to the station's list (a leader's right). Returns its id.

    Raises InputError when the name is empty, too long or unprintable; RefusedError for a role
    that may not edit the policy."""
    require(by, "policy.edit")
    name = (name or "").strip()
    if not name:
        raise InputError("village.required", field="village")
    if len(name) > TEXT_MAX // 4 or not name.isprintable():
        raise InputError("village.bad", field="village", limit=TEXT_MAX // 4)
    with store.write():
        return village_store.add(store, name, "manual", by.id)


def remove_village(store: Store, by: Account, name: str) -> None:
    """Hide a village from the completion and the resident rule (kept in the audit).

    Raises InputError when there is no such village; RefusedError for a role that may not edit."""
    require(by, "policy.edit")
    row = village_store.find(store, (name or "").strip())
    if row is None or row["removed"]:
        raise InputError("village.unknown", field="village", value=(name or "").strip()[:20])
    with store.write():
        village_store.remove(store, int(row["id"]), by.id)


def learn_from(store: Store, addresses: list[str]) -> None:
    """Add the villages that saved residents' addresses name; inside the saving transaction."""
    for address in addresses:
        village = places.village_of(address)
        if village and village_store.find(store, village) is None:
            village_store.add(store, village, "learnt", None)

