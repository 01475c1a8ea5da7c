"""The station's signing key and the trust list of other issuers' public keys.

The private key never leaves the database; `export_public_key` writes only the public half, in a
small JSON file another station or the township imports.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkpoint.domain.pass_token import key_id_of
from checkpoint.exchange import formats
from checkpoint.exchange.key_files import read_key_file, write_key_file
from checkpoint.services.accounts import Account, require
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import passes as pass_store


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    owner: str
    own: bool
    source: str
    revoked: bool


def ensure_station_key(store: Store) -> dict:
    """This station's signing key, made the first time it is needed.
    Raises DatabaseError when the station is not set up."""
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
    """The signing function (bytes -> Ed25519 signature) of a key row holding a private key."""
    return Ed25519PrivateKey.from_private_bytes(row["private_key"]).sign


def list_keys(store: Store) -> list[KeyInfo]:
    """Every key this station knows (its own and trusted ones): id, owner, own, source, revoked."""
    return [KeyInfo(r["key_id"], r["owner"], bool(r["own"]), r["source"], bool(r["revoked_at"]))
            for r in pass_store.all_keys(store)]


def export_public_key(store: Store, path: Path) -> KeyInfo:
    """Write this station's public key file to `path` (the station key is made first if there is
    none); returns the key. Raises InputError when the file cannot be written, DatabaseError when
    the station is not set up."""
    row = ensure_station_key(store)
    station = require_station(store)
    write_key_file(path, {"format": formats.PUBLIC_KEY, "version": 1, "key_id": row["key_id"], "owner": row["owner"],
                          "station_code": station.code, "township": station.township,
                          "public_key": base64.b64encode(row["public_key"]).decode("ascii")}, field="out")
    return KeyInfo(row["key_id"], row["owner"], True, "own", False)


def import_public_key(store: Store, by: Account | None, path: Path) -> tuple[KeyInfo, bool]:
    """Trust another issuer's key; (info, False) when it was already known.
    Raises RefusedError when `by` may not manage keys,
    InputError for a file that is missing or not a public key file."""
    if by is not None:
        require(by, "keys.manage")
    key = read_key_file(path)
    key_id, public, owner = key.key_id, key.public_key, key.owner
    with store.write():
        existing = pass_store.key_by_id(store, key_id)
        if existing is not None:
            return KeyInfo(key_id, existing["owner"], bool(existing["own"]), existing["source"],
                           bool(existing["revoked_at"])), False
        pass_store.add_key(store, key_id, public, None, owner, "imported", by.id if by else None)
    return KeyInfo(key_id, owner, False, "imported", False), True
