"""The township office (镇防控办): set up, register stations by their public keys, revoke a
station's key, keep the township's own policy (key areas and rules it sends to the stations).

The township's policy is its own, set with `township policy set`; until it is set, the township
bundle carries no policy and the stations keep theirs (a township that has not decided never
overwrites the stations' lists). Collected summaries carry no policy, so they cannot be its source.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkpoint.domain import clock
from checkpoint.domain import township_report as rules
from checkpoint.domain.pass_token import key_id_of
from checkpoint.domain.policy import Policy, parse_key_areas, with_rules
from checkpoint.errors import DatabaseError, InputError, RefusedError
from checkpoint.exchange import formats, sealed
from checkpoint.exchange.key_files import fingerprint, read_key_file, write_key_file
from checkpoint.township import store as store_township
from checkpoint.township.schema import TownshipStore, open_township_store

NAME_MAX = 40


@dataclass(frozen=True)
class Township:
    name: str
    tz: str
    cutoff: str
    key_id: str
    public_key: bytes
    fingerprint: str
    encryption_key: bytes | None = None   # X25519 public key the stations seal personal files to


@dataclass(frozen=True)
class StationInfo:
    code: str
    name: str
    township: str
    key_ids: tuple[str, ...]
    active: bool      # has a key that is not revoked
    first_day: str | None
    registered_at: str


def open_township(path: Path | str, create: bool = False) -> TownshipStore:
    """The township database at `path` (created only when asked: `township init`)."""
    return open_township_store(path, create=create)


def get_township(store: TownshipStore) -> Township | None:
    """The township set up in this database, or None before `township init`."""
    row = store_township.township(store)
    if row is None:
        return None
    return Township(row["name"], row["tz"], row["cutoff"], row["key_id"], row["public_key"],
                    fingerprint(row["public_key"]),
                    bytes(row["enc_public_key"]) if row.get("enc_public_key") else None)


def require_township(store: TownshipStore) -> Township:
    """The township. Raises DatabaseError (township.not_set_up) before `township init`."""
    found = get_township(store)
    if found is None:
        raise DatabaseError("township.not_set_up")
    return found


def signer(store: TownshipStore):
    """The township's signing function (bytes -> Ed25519 signature). Raises DatabaseError before
    `township init`."""
    row = store_township.township(store)
    if row is None:
        raise DatabaseError("township.not_set_up")
    return Ed25519PrivateKey.from_private_bytes(row["private_key"]).sign


def init_township(store: TownshipStore, name: str, tz: str = clock.DEFAULT_TZ,
                  cutoff: str = rules.DEFAULT_CUTOFF) -> Township:
    """Create the township and its Ed25519 key pair (the private half never leaves the database).
    Raises InputError when the township is set up already, for a bad name or cut-off time."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise InputError("township.name_bad")
    clock.zone(tz)
    if rules.parse_cutoff(cutoff) is None:
        raise InputError("township.cutoff_bad", value=cutoff)
    existing = get_township(store)
    if existing is not None:
        raise InputError("township.already", name=existing.name)
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    pair = sealed.new_key_pair()
    with store.write():
        store_township.create_township(store, name, tz, rules.parse_cutoff(cutoff).strftime("%H:%M"),
                                       key_id_of(public), public, raw)
        store_township.set_encryption_key(store, pair.public, pair.private)
    return require_township(store)


def ensure_encryption_key(store: TownshipStore) -> Township:
    """The township, with an X25519 encryption key made now if it has none yet (a township set up
    before stations sealed their personal files). Raises DatabaseError before `township init`."""
    town = require_township(store)
    if town.encryption_key is not None:
        return town
    pair = sealed.new_key_pair()
    with store.write():
        store_township.set_encryption_key(store, pair.public, pair.private)
    return require_township(store)


def rotate_key(store: TownshipStore, now: dt.datetime | None = None) -> tuple[Township, Township]:
    """Replace the township's signing and encryption keys (a laptop lost, a key that may be known).

    The announcement of the new keys is signed with the old signing key and travels in every later
    township bundle, so a station that trusts the old key accepts the new one on its next import.
    The old keys are kept to open bundles sealed to them. Returns (old, new).
    Raises DatabaseError before `township init`."""
    old = ensure_encryption_key(store)
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    pair = sealed.new_key_pair()
    at = (now or clock.utc_now()).astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    body = (json.dumps({"format": formats.KEY_CHANGE, "version": 1, "township": old.name, "old_key_id": old.key_id,
                        "new_key_id": key_id_of(public), "new_public_key": base64.b64encode(public).decode("ascii"),
                        "new_encryption_key": base64.b64encode(pair.public).decode("ascii"), "at": at},
                       ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    signature = signer(store)(body)
    with store.write():
        store_township.rotate_key(store, key_id_of(public), public, raw, pair.public, pair.private, body, signature)
    return old, require_township(store)


def set_cutoff(store: TownshipStore, cutoff: str) -> str:
    """Keep `cutoff` (HH:MM) as the time stations' reports are due; returns it as kept. Raises
    InputError for a bad time, DatabaseError before `township init`."""
    require_township(store)
    parsed = rules.parse_cutoff(cutoff)
    if parsed is None:
        raise InputError("township.cutoff_bad", value=cutoff)
    with store.write():
        store_township.set_cutoff(store, parsed.strftime("%H:%M"))
    return parsed.strftime("%H:%M")


def export_key(store: TownshipStore, path: Path) -> Township:
    """The township's public key in the stations' key-file format, for the first `checkpoint import`."""
    town = ensure_encryption_key(store)
    write_key_file(path, {"format": formats.PUBLIC_KEY, "version": 1, "key_id": town.key_id, "owner": town.name,
                          "township": town.name, "role": "township",
                          "public_key": base64.b64encode(town.public_key).decode("ascii"),
                          "encryption_key": base64.b64encode(town.encryption_key or b"").decode("ascii")})
    return town


# ---- stations ------------------------------------------------------------------------------------------
def add_station(store: TownshipStore, key_file: Path) -> tuple[StationInfo, bool]:
    """Register a station from its `checkpoint keys export` file; (info, False) when already known.

    A second key for a known station is taken only once the old one is revoked (a new laptop after
    a lost one): two live keys for one station would let two laptops report the same day.
     Raises InputError for a file that is not a station's key file, RefusedError for a key
    naming another station or a second live key, DatabaseError before `township init`."""
    town = require_township(store)
    path = Path(key_file)
    key = read_key_file(path)
    key_id, public, owner, data = key.key_id, key.public_key, key.owner, key.fields
    code = str(data.get("station_code") or "").strip()
    if not code or data.get("role") == "township":
        raise InputError("township.key_not_station", path=str(path))
    name = owner.rsplit("（", 1)[0].strip() or code
    station_township = str(data.get("township") or "").strip()
    with store.write():
        known = store_township.key_by_id(store, key_id)
        if known is not None:
            if known["station_code"] != code:
                raise RefusedError("township.key_other_station", key_id=key_id, code=known["station_code"])
            return _info(store, code), False
        station = store_township.station_by_code(store, code)
        if station is None:
            station_id = store_township.add_station(store, code, name, station_township or town.name)
        else:
            station_id = station["id"]
            live = [s for s in store_township.stations(store) if s["code"] == code and s["live_keys"]]
            if live:
                raise RefusedError("township.second_key", code=code)
            if station["name"] != name:
                store_township.rename_station(store, station_id, name)
        store_township.add_station_key(store, station_id, key_id, public, owner)
    return _info(store, code), True


def _info(store: TownshipStore, code: str) -> StationInfo:
    return next(s for s in list_stations(store) if s.code == code)


def list_stations(store: TownshipStore) -> list[StationInfo]:
    """Every station registered here, with its keys and whether one is still trusted."""
    return [StationInfo(r["code"], r["name"], r["township"], tuple((r["key_ids"] or "").split(",")) if r["key_ids"]
                        else (), bool(r["live_keys"]), r["first_day"], r["registered_at"])
            for r in store_township.stations(store)]


def revoke_station(store: TownshipStore, code: str, reason: str) -> int:
    """Revoke the station's key(s): its bundles are refused from now on, and the stations told
    through the next township bundle refuse the passes it signed.
    Raises InputError for an unknown station or no reason, RefusedError when already
    revoked, DatabaseError before `township init`."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise InputError("township.reason_required")
    with store.write():
        station = store_township.station_by_code(store, (code or "").strip())
        if station is None:
            raise InputError("township.station_unknown", code=code)
        count = store_township.revoke_station_keys(store, station["id"], reason)
    if not count:
        raise RefusedError("township.already_revoked", code=code)
    return count


# ---- the township's policy ----------------------------------------------------------------------------
def current_policy(store: TownshipStore) -> Policy | None:
    """The key-area policy the township issued last, or None before the first."""
    row = store_township.current_policy(store)
    return None if row is None else Policy.from_row(row["version"], row["key_areas"], row["rules"])


def set_policy(store: TownshipStore, key_areas: str | None, rules_given: dict[str, str], note: str = "") -> Policy:
    """A new version of the township's policy: the areas replace the list when given, rules merge.
    Returns the new Policy. Raises InputError for a bad area list or rule, DatabaseError before `township init`."""
    require_township(store)
    policy = current_policy(store) or Policy()
    areas = tuple(parse_key_areas(key_areas)) if key_areas is not None else policy.key_areas
    changed = with_rules(policy, rules_given, name_fields=False)
    values = {r: getattr(changed, r) for r in Policy.RULE_FIELDS}
    with store.write():
        version = store_township.add_policy(store, list(areas), values, (note or "").strip()[:200])
    return Policy.from_row(version, list(areas), values)


def today(store: TownshipStore, now: dt.datetime | None = None) -> dt.date:
    """Today in the township's time zone. Raises DatabaseError before `township init`."""
    return clock.local(now or clock.utc_now(), require_township(store).tz).date()


def follow_ups_to_purge(store: TownshipStore, before: str) -> int:
    """How many follow-up people were last seen before `before` (YYYY-MM-DD). Raises InputError for
    a bad date, DatabaseError before `township init`."""
    require_township(store)
    return store_township.follow_ups_to_purge(store, clock.parse_day(before).isoformat())


def purge_follow_ups(store: TownshipStore, before: str) -> int:
    """Retention at the township: the follow-up lists' personal fields before `before` are emptied.
    Returns how many were emptied. Raises InputError for a bad date, DatabaseError before `township init`."""
    require_township(store)
    return store_township.purge_follow_ups(store, clock.parse_day(before).isoformat())
