"""The station's signing key and the trust list of other issuers' public keys.

The private key never leaves the database; `export_public_key` writes only the public half, in a
small JSON file another station or the township imports.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkpoint.domain.pass_token import key_id_of
from checkpoint.errors import InputError
from checkpoint.services.accounts import Account, require
from checkpoint.services.files import read_json_file
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import passes as pass_store

KEY_FILE_FORMAT = "checkpoint-public-key"
MAX_KEY_FILE = 64 * 1024


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    owner: str
    own: bool
    source: str
    revoked: bool


def fingerprint(public_key: bytes) -> str:
    """A fingerprint people can read to each other over the phone."""
    from hashlib import sha256

    digest = sha256(public_key).hexdigest()[:20].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 20, 4))


def ensure_station_key(store: Store) -> dict:
    """This station's signing key, made the first time it is needed."""
    row = pass_store.own_key(store)
    if row is not None:
        return row
    station = require_station(store)
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    with store.write():
        pass_store.add_key(store, key_id_of(public), public, raw, f"{station.name}（{station.code}）", "own", None)
    return pass_store.own_key(store) or {}


def signer(row: dict):
    return Ed25519PrivateKey.from_private_bytes(row["private_key"]).sign


def list_keys(store: Store) -> list[KeyInfo]:
    return [KeyInfo(r["key_id"], r["owner"], bool(r["own"]), r["source"], bool(r["revoked_at"]))
            for r in pass_store.all_keys(store)]


def export_public_key(store: Store, path: Path) -> KeyInfo:
    row = ensure_station_key(store)
    station = require_station(store)
    data = {"format": KEY_FILE_FORMAT, "version": 1, "key_id": row["key_id"], "owner": row["owner"],
            "station_code": station.code, "township": station.township,
            "public_key": base64.b64encode(row["public_key"]).decode("ascii")}
    try:
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        raise InputError("keys.write_failed", field="out", path=str(path), detail=exc.strerror or str(exc)) from None
    return KeyInfo(row["key_id"], row["owner"], True, "own", False)


def read_key_file(path: Path) -> tuple[str, bytes, str]:
    """(key id, public key, owner) from a file made by `keys export`, or InputError saying what is wrong."""
    p = Path(path)
    data = read_json_file(p, KEY_FILE_FORMAT, MAX_KEY_FILE, "keys.file_bad")
    try:
        public = base64.b64decode(str(data.get("public_key", "")), validate=True)
    except (binascii.Error, ValueError):
        raise InputError("keys.file_bad", field="file", path=str(p)) from None
    if len(public) != 32 or key_id_of(public) != data.get("key_id"):
        raise InputError("keys.file_bad", field="file", path=str(p))
    owner = str(data.get("owner") or data.get("station_code") or "?")[:60]
    return key_id_of(public), public, owner


def import_public_key(store: Store, by: Account | None, path: Path) -> tuple[KeyInfo, bool]:
    """Trust another issuer's key; (info, False) when it was already known."""
    if by is not None:
        require(by, "keys.manage")
    key_id, public, owner = read_key_file(path)
    with store.write():
        existing = pass_store.key_by_id(store, key_id)
        if existing is not None:
            return KeyInfo(key_id, existing["owner"], bool(existing["own"]), existing["source"],
                           bool(existing["revoked_at"])), False
        pass_store.add_key(store, key_id, public, None, owner, "imported", by.id if by else None)
    return KeyInfo(key_id, owner, False, "imported", False), True
