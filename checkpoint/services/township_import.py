# Long on purpose (#17): one job, a township bundle applied all or nothing; its checks (signature, key change, serial) sit by the write they guard.
"""At a station: applying the township's bundle (`checkpoint import BUNDLE --as LEADER`).

The township's public key is entered once (`--township-key FILE` on the first import, its
fingerprint shown so the leader can read it to the township office over the phone) and kept in
the station's `keys` table with source "township". Every later bundle must be signed by it.

Applying, in one transaction with an audit row: the station keys the township trusts (so a pass
from station A verifies at station B), the ones it revoked (passes they signed are refused), the
merged revocation list (a pass revoked at A is refused at B), and the township's key areas and
rules as a new policy version when they differ. Bundles carry a serial: an older one than the last
applied is refused, the same one again changes nothing.

The station also keeps what the bundle says about itself: its serial (recorded with every pass
check, so each crossing says which list verified it), its issue time (the list's age, shown on the
check screen and by `checkpoint status`), and the township's X25519 key the daily export seals
personal files to. A bundle signed by a newer township key is accepted when its key-changes.json
leads from the key this station trusts to the signer, each step signed by the key it replaces.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

from checkpoint.domain.pass_token import key_id_of
from checkpoint.domain.policy import Policy
from checkpoint.errors import InputError, RefusedError
from checkpoint.exchange import BundleRejected, bundle_io, formats, signature
from checkpoint.exchange.key_files import fingerprint, read_key_file
from checkpoint.services.accounts import Account, require
from checkpoint.services.policy import current_policy, update_policy
from checkpoint.services.station import require_station
from checkpoint.store import Store, audit
from checkpoint.store import passes as pass_store
from checkpoint.store import station as station_store
from checkpoint.store import trust as trust_store

SERIAL_SETTING = trust_store.SERIAL_SETTING
ISSUED_SETTING = "township_bundle_issued_at"      # the applied bundle's issue time (UTC ISO)
ENCRYPTION_SETTING = "township_encryption_key"    # base64 of the township's X25519 public key


@dataclass(frozen=True)
class TownshipKey:
    key_id: str
    public_key: bytes
    owner: str
    encryption_key: bytes | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


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
    key_changed_from: TownshipKey | None = None   # the township key this bundle replaced here


@dataclass(frozen=True)
class _Content:
    township: str
    serial: int
    issued_at: str
    trusted: list[dict]
    revocations: list[tuple[str, str, str, str]]
    policy: dict | None
    encryption_key: bytes | None


def stored_township_key(store: Store) -> TownshipKey | None:
    """The township's key this station trusts (with its encryption key), or None before the first
    township bundle or key file was applied."""
    row = trust_store.township_key(store)
    return None if row is None else TownshipKey(row["key_id"], row["public_key"], row["owner"],
                                                encryption_key(store))


def encryption_key(store: Store) -> bytes | None:
    """The township's X25519 public key the daily export seals personal files to, or None when
    this station has not been given it yet (the township's key file or bundle carries it)."""
    value = station_store.get_setting(store, ENCRYPTION_SETTING, None)
    try:
        raw = base64.b64decode(str(value), validate=True) if value else b""
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def list_state(store: Store) -> tuple[int | None, str | None]:
    """(serial, issue time) of the township bundle applied last, or (None, None)."""
    serial = station_store.get_setting(store, SERIAL_SETTING, None)
    issued = station_store.get_setting(store, ISSUED_SETTING, None)
    return (int(serial) if serial else None), (str(issued) if issued else None)


def _encryption_of(value: object) -> bytes | None:
    try:
        raw = base64.b64decode(str(value or ""), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def read_township_key(path: Path) -> TownshipKey:
    """The key file `checkpoint township key --out FILE` wrote; a station's key file is refused.
    Returns the TownshipKey. Raises InputError for a file missing, bad,
    or not the township's."""
    key = read_key_file(Path(path))
    if key.fields.get("role") != "township":
        raise InputError("township_import.not_township_key", path=str(path))
    return TownshipKey(key.key_id, key.public_key, key.owner, _encryption_of(key.fields.get("encryption_key")))


def import_bundle(store: Store, by: Account, bundle: Path | str,
                  township_key_file: Path | str | None = None) -> ImportResult:
    """Apply the township's bundle (folder or zip) at this station, all of it or nothing.

    `township_key_file` is needed the first time only. Returns what changed; raises InputError
    (no key yet, bad files), RefusedError (a different key given, an older bundle) or
    BundleRejected (signature, files, key changes)."""
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
        claimed = signature.read_claimed(folder, formats.TOWNSHIP_MANIFEST)
        signer = _signing_key(folder, key, claimed.key_id)
        manifest = signature.verify_claimed(folder, claimed, signer.public_key)
        content = _read(folder, manifest, signer.key_id)
    signer = replace(signer, encryption_key=content.encryption_key or signer.encryption_key)
    changed = signer.key_id != key.key_id
    last = int(station_store.get_setting(store, SERIAL_SETTING, 0) or 0)
    if content.serial < last:
        raise RefusedError("township_import.older", serial=content.serial, last=last)
    if content.serial == last and stored is not None and not changed:
        return ImportResult(content.township, content.serial, key, False, already=True)
    own = {k["key_id"] for k in pass_store.all_keys(store) if k["own"]}
    added = revoked = revocations = 0
    policy_version = None
    with store.write():
        if stored is None:
            pass_store.add_key(store, key.key_id, key.public_key, None, key.owner, trust_store.TOWNSHIP_SOURCE, by.id)
        if changed:
            _replace_key(store, key, signer, by, "township.key_change")
        if signer.encryption_key is not None and signer.encryption_key != encryption_key(store):
            station_store.set_setting(store, ENCRYPTION_SETTING,
                                      base64.b64encode(signer.encryption_key).decode("ascii"), by.id)
        for item in content.trusted:
            if item["key_id"] in own or item["role"] == "township":
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
        station_store.set_setting(store, ISSUED_SETTING, content.issued_at, by.id)
        audit.append(store, "township.import", by.id, detail={
            "township": content.township, "serial": content.serial, "issued_at": content.issued_at,
            "station": station.code, "keys_added": added, "keys_revoked": revoked,
            "revocations_added": revocations, "policy_version": policy_version, "signed_by": signer.key_id})
    return ImportResult(content.township, content.serial, signer, stored is None, False, added, revoked, revocations,
                        policy_version, key if changed else None)


def _replace_key(store: Store, old: TownshipKey | None, new: TownshipKey, by: Account, action: str) -> None:
    """Trust `new` as the township's key from now on (the old one is marked revoked); audited."""
    existing = pass_store.key_by_id(store, new.key_id)
    if existing is not None and bytes(existing["public_key"]) != new.public_key:
        raise BundleRejected("township_import.key_clash", key_id=new.key_id)
    if existing is None:
        pass_store.add_key(store, new.key_id, new.public_key, None, new.owner, trust_store.TOWNSHIP_SOURCE, by.id)
    if old is not None and old.key_id != new.key_id:
        trust_store.revoke_key(store, old.key_id, by.id)
    audit.append(store, action, by.id, detail={"old": old.key_id if old else None, "new": new.key_id})


def _signing_key(folder: Path, trusted: TownshipKey, wanted: str) -> TownshipKey:
    """The key that signed this bundle, reached from the one this station trusts: itself, or through
    the bundle's key-changes.json, each change verified with the key it replaces."""
    if wanted == trusted.key_id:
        return trusted
    path = folder / "key-changes.json"
    if not path.exists():
        raise BundleRejected("export.wrong_key", key_id=wanted[:40])
    changes = bundle_io.read_json(path, formats.KEY_CHANGES).get("changes")
    current = trusted
    for item in changes if isinstance(changes, list) else [None]:
        try:
            body = base64.b64decode(str(item["body"]), validate=True)
            sig = base64.b64decode(str(item["signature"]), validate=True)
            change = json.loads(body.decode("utf-8"))
            new_public = base64.b64decode(str(change["new_public_key"]), validate=True)
        except (TypeError, KeyError, ValueError, binascii.Error, UnicodeDecodeError):
            raise BundleRejected("township.json_bad", name=path.name) from None
        if not isinstance(change, dict) or change.get("format") != formats.KEY_CHANGE:
            raise BundleRejected("township.json_bad", name=path.name)
        if change.get("old_key_id") != current.key_id:
            continue
        try:
            signature.verify_bytes(body, sig, current.public_key)
        except BundleRejected:
            raise BundleRejected("exchange.key_change_bad", key_id=str(change.get("new_key_id"))[:40]) from None
        if len(new_public) != 32 or key_id_of(new_public) != change.get("new_key_id"):
            raise BundleRejected("township.json_bad", name=path.name)
        current = TownshipKey(key_id_of(new_public), new_public, current.owner,
                              _encryption_of(change.get("new_encryption_key")))
        if current.key_id == wanted:
            return current
    raise BundleRejected("export.wrong_key", key_id=wanted[:40])


def replace_township_key(store: Store, by: Account, key_file: Path | str, fingerprint: str) -> TownshipKey:
    """Trust the township key in `key_file` instead of the stored one (or as the first one), by hand:
    `fingerprint` must be the one read out by the township over the phone. The bundle serial starts
    again (a new township database numbers its bundles from 1). Raises RefusedError when the
    fingerprint does not match, InputError for a file that is not the township's key."""
    require(by, "keys.manage")
    require_station(store)
    new = read_township_key(Path(key_file))
    if _compact(fingerprint) != _compact(new.fingerprint):
        raise RefusedError("exchange.fingerprint_mismatch")
    old = stored_township_key(store)
    with store.write():
        if old is None or old.key_id != new.key_id:
            _replace_key(store, old, new, by, "township.key_replace")
        if new.encryption_key is not None:
            station_store.set_setting(store, ENCRYPTION_SETTING, base64.b64encode(new.encryption_key).decode("ascii"),
                                      by.id)
        if old is not None and old.key_id != new.key_id:
            station_store.set_setting(store, SERIAL_SETTING, 0, by.id)
    return new


def _compact(fingerprint: str) -> str:
    return "".join((fingerprint or "").split()).upper()


def _one_bundle(path: Path) -> Path:
    found = bundle_io.find_bundles([path])
    if len(found) > 1:
        raise InputError("township_import.several", path=str(path), count=len(found))
    return found[0]


def _read(folder: Path, manifest: dict, signer_key_id: str) -> _Content:
    serial = manifest.get("serial")
    if not isinstance(serial, int) or isinstance(serial, bool) or serial < 1:
        raise BundleRejected("export.manifest_format")
    issued_at = _issued_at(manifest.get("issued_at"))
    trust = bundle_io.read_json(folder / "trust.json", formats.TRUST_LIST)
    trusted = []
    township_encryption = None
    for item in trust.get("keys") if isinstance(trust.get("keys"), list) else [None]:
        if not isinstance(item, dict):
            raise BundleRejected("township.json_bad", name="trust.json")
        try:
            public = base64.b64decode(str(item.get("public_key", "")), validate=True)
        except (binascii.Error, ValueError):
            raise BundleRejected("township.json_bad", name="trust.json") from None
        if len(public) != 32 or key_id_of(public) != item.get("key_id"):
            raise BundleRejected("township.json_bad", name="trust.json")
        role = "township" if item.get("role") == "township" else "station"
        if role == "township" and item["key_id"] == signer_key_id:
            township_encryption = _encryption_of(item.get("encryption_key"))
        trusted.append({"key_id": item["key_id"], "public_key": public, "owner": str(item.get("owner") or "?")[:60],
                        "revoked": bool(item.get("revoked_at")), "role": role})
    data = bundle_io.read_json(folder / "revocations.json", formats.REVOCATIONS)
    revocations = []
    for item in data.get("revocations") if isinstance(data.get("revocations"), list) else [None]:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k)
                                                 for k in ("key_id", "pass_number", "revoked_at")):
            raise BundleRejected("township.json_bad", name="revocations.json")
        revocations.append((item["key_id"][:16], item["pass_number"][:40], str(item.get("reason", ""))[:200],
                            item["revoked_at"][:40]))
    policy = bundle_io.read_json(folder / "policy.json", formats.TOWNSHIP_POLICY).get("policy")
    if policy is not None:
        if not isinstance(policy, dict) or not isinstance(policy.get("key_areas"), list) \
                or not isinstance(policy.get("rules"), dict) \
                or not all(isinstance(a, str) for a in policy["key_areas"]) \
                or not set(policy["rules"]) <= set(Policy.RULE_FIELDS):
            raise BundleRejected("township.json_bad", name="policy.json")
    return _Content(str(manifest.get("township") or "?")[:40], serial, issued_at, trusted, revocations, policy,
                    township_encryption)


def _issued_at(value: object) -> str:
    try:
        issued = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise BundleRejected("export.manifest_format") from None
    if issued.tzinfo is None:
        raise BundleRejected("export.manifest_format")
    return issued.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def _differs(current: Policy, wanted: dict) -> bool:
    rules = json.loads(current.rules_json())
    return list(current.key_areas) != list(wanted["key_areas"]) or any(
        rules.get(k) != v for k, v in wanted["rules"].items())
