"""At a station: applying the township's bundle (`checkpoint import BUNDLE --as LEADER`).

The township's public key is entered once (`--township-key FILE` on the first import, its
fingerprint shown so the leader can read it to the township office over the phone) and kept in
the station's `keys` table with source "township". Every later bundle must be signed by it.

Applying, in one transaction with an audit row: the station keys the township trusts (so a pass
from station A verifies at station B), the ones it revoked (passes they signed are refused), the
merged revocation list (a pass revoked at A is refused at B), and the township's key areas and
rules as a new policy version when they differ. Bundles carry a serial: an older one than the last
applied is refused, the same one again changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path

from checkpoint.domain.pass_token import key_id_of
from checkpoint.domain.policy import Policy
from checkpoint.errors import InputError, RefusedError
from checkpoint.services import bundle_io, keys
from checkpoint.services import passes as station_passes
from checkpoint.services.accounts import Account, require
from checkpoint.services.export import BundleRejected
from checkpoint.services.policy import current_policy, update_policy
from checkpoint.services.station import require_station
from checkpoint.services.township_bundle import MANIFEST_FORMAT, POLICY_FORMAT, TRUST_FORMAT
from checkpoint.store import Store, audit
from checkpoint.store import passes as pass_store
from checkpoint.store import station as station_store
from checkpoint.store import trust as trust_store

SERIAL_SETTING = "township_bundle_serial"


@dataclass(frozen=True)
class TownshipKey:
    key_id: str
    public_key: bytes
    owner: str

    @property
    def fingerprint(self) -> str:
        return keys.fingerprint(self.public_key)


@dataclass(frozen=True)
class ImportResult:
    township: str
    serial: int
    key: TownshipKey
    key_first_time: bool
    already: bool = False
    keys_added: int = 0
    keys_revoked: int = 0
    revocations_added: int = 0
    policy_version: int | None = None


@dataclass(frozen=True)
class _Content:
    township: str
    serial: int
    trusted: list[dict]
    revocations: list[tuple[str, str, str, str]]
    policy: dict | None


def stored_township_key(store: Store) -> TownshipKey | None:
    row = trust_store.township_key(store)
    return None if row is None else TownshipKey(row["key_id"], row["public_key"], row["owner"])


def read_township_key(path: Path) -> TownshipKey:
    """The key file `checkpoint township key --out FILE` wrote; a station's key file is refused."""
    key_id, public, owner = keys.read_key_file(Path(path))
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("role") != "township":
        raise InputError("township_import.not_township_key", path=str(path))
    return TownshipKey(key_id, public, owner)


def import_bundle(store: Store, by: Account, bundle: Path | str,
                  township_key_file: Path | str | None = None) -> ImportResult:
    require(by, "keys.manage")
    require(by, "policy.edit")
    station = require_station(store)
    stored = stored_township_key(store)
    given = read_township_key(Path(township_key_file)) if township_key_file else None
    if stored is None and given is None:
        raise InputError("township_import.key_needed")
    if stored is not None and given is not None and stored.key_id != given.key_id:
        raise RefusedError("township_import.key_differs", fingerprint=stored.fingerprint)
    key = stored or given
    assert key is not None
    path = _one_bundle(Path(bundle))
    with bundle_io.opened(path) as folder:
        manifest = bundle_io.verify_signed(folder, MANIFEST_FORMAT, key.public_key)
        content = _read(folder, manifest)
    last = int(station_store.get_setting(store, SERIAL_SETTING, 0) or 0)
    if content.serial < last:
        raise RefusedError("township_import.older", serial=content.serial, last=last)
    if content.serial == last and stored is not None:
        return ImportResult(content.township, content.serial, key, False, already=True)
    own = {k["key_id"] for k in pass_store.all_keys(store) if k["own"]}
    added = revoked = revocations = 0
    policy_version = None
    with store.write():
        if stored is None:
            pass_store.add_key(store, key.key_id, key.public_key, None, key.owner, trust_store.TOWNSHIP_SOURCE, by.id)
        for item in content.trusted:
            if item["key_id"] in own or item["key_id"] == key.key_id:
                continue
            existing = pass_store.key_by_id(store, item["key_id"])
            if existing is not None and bytes(existing["public_key"]) != item["public_key"]:
                raise BundleRejected("township_import.key_clash", key_id=item["key_id"])
            if existing is None:
                pass_store.add_key(store, item["key_id"], item["public_key"], None, item["owner"],
                                   trust_store.FROM_TOWNSHIP, by.id)
                added += 1
            if item["revoked"] and trust_store.revoke_key(store, item["key_id"], by.id):
                revoked += 1
        for key_id, number, reason, at in content.revocations:
            if pass_store.add_revocation(store, key_id, number, reason, at, by.id, "township"):
                revocations += 1
        if content.policy is not None and _differs(current_policy(store), content.policy):
            policy_version = update_policy(store, by, content.policy["key_areas"], content.policy["rules"],
                                           f"{content.township} #{content.serial}").version
        station_store.set_setting(store, SERIAL_SETTING, content.serial, by.id)
        audit.append(store, "township.import", by.id, detail={
            "township": content.township, "serial": content.serial, "station": station.code, "keys_added": added,
            "keys_revoked": revoked, "revocations_added": revocations, "policy_version": policy_version})
    return ImportResult(content.township, content.serial, key, stored is None, False, added, revoked, revocations,
                        policy_version)


def _one_bundle(path: Path) -> Path:
    found = bundle_io.find_bundles([path])
    if len(found) > 1:
        raise InputError("township_import.several", path=str(path), count=len(found))
    return found[0]


def _read(folder: Path, manifest: dict) -> _Content:
    serial = manifest.get("serial")
    if not isinstance(serial, int) or isinstance(serial, bool) or serial < 1:
        raise BundleRejected("export.manifest_format")
    trust = bundle_io.read_json(folder / "trust.json", TRUST_FORMAT)
    trusted = []
    for item in trust.get("keys") if isinstance(trust.get("keys"), list) else [None]:
        if not isinstance(item, dict):
            raise BundleRejected("township.json_bad", name="trust.json")
        try:
            public = base64.b64decode(str(item.get("public_key", "")), validate=True)
        except (binascii.Error, ValueError):
            raise BundleRejected("township.json_bad", name="trust.json") from None
        if len(public) != 32 or key_id_of(public) != item.get("key_id"):
            raise BundleRejected("township.json_bad", name="trust.json")
        trusted.append({"key_id": item["key_id"], "public_key": public, "owner": str(item.get("owner") or "?")[:60],
                        "revoked": bool(item.get("revoked_at"))})
    data = bundle_io.read_json(folder / "revocations.json", station_passes.REVOCATIONS_FORMAT)
    revocations = []
    for item in data.get("revocations") if isinstance(data.get("revocations"), list) else [None]:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k)
                                                 for k in ("key_id", "pass_number", "revoked_at")):
            raise BundleRejected("township.json_bad", name="revocations.json")
        revocations.append((item["key_id"][:16], item["pass_number"][:40], str(item.get("reason", ""))[:200],
                            item["revoked_at"][:40]))
    policy = bundle_io.read_json(folder / "policy.json", POLICY_FORMAT).get("policy")
    if policy is not None:
        if not isinstance(policy, dict) or not isinstance(policy.get("key_areas"), list) \
                or not isinstance(policy.get("rules"), dict) \
                or not all(isinstance(a, str) for a in policy["key_areas"]) \
                or not set(policy["rules"]) <= set(Policy.RULE_FIELDS):
            raise BundleRejected("township.json_bad", name="policy.json")
    return _Content(str(manifest.get("township") or "?")[:40], serial, trusted, revocations, policy)


def _differs(current: Policy, wanted: dict) -> bool:
    rules = json.loads(current.rules_json())
    return list(current.key_areas) != list(wanted["key_areas"]) or any(
        rules.get(k) != v for k, v in wanted["rules"].items())
