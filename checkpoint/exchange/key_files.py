"""The small JSON files stations and the township pass to each other by hand (public keys,
revocation lists): reading one safely, and the public key file itself (`checkpoint keys export`,
`checkpoint township key`) with the fingerprint people read to each other over the phone."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from checkpoint.domain.pass_token import key_id_of
from checkpoint.errors import InputError
from checkpoint.exchange import formats

MAX_KEY_FILE = 64 * 1024


def read_json_file(path: Path, file_format: str, max_bytes: int, bad_key: str) -> dict:
    """The file's JSON object when it is ours (`"format": file_format`) and at most `max_bytes`.
    Raises InputError(bad_key) for anything else, InputError("keys.file_missing") when it is not there."""
    p = Path(path)
    try:
        if p.stat().st_size > max_bytes:
            raise InputError(bad_key, field="file", path=str(p))
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("keys.file_missing", field="file", path=str(p)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(bad_key, field="file", path=str(p)) from None
    if not isinstance(data, dict) or data.get("format") != file_format:
        raise InputError(bad_key, field="file", path=str(p))
    return data


def fingerprint(public_key: bytes) -> str:
    """A fingerprint people can read to each other over the phone: 20 hex digits in groups of four."""
    digest = sha256(public_key).hexdigest()[:20].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class KeyFile:
    """A public key file as read: the key, its id, who owns it, and every field of the file."""

    key_id: str
    public_key: bytes
    owner: str
    fields: dict

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def read_key_file(path: Path) -> KeyFile:
    """The public key file at `path` (a station's or the township's). Raises InputError
    ("keys.file_bad", "keys.file_missing") saying what is wrong."""
    p = Path(path)
    data = read_json_file(p, formats.PUBLIC_KEY, MAX_KEY_FILE, "keys.file_bad")
    try:
        public = base64.b64decode(str(data.get("public_key", "")), validate=True)
    except (binascii.Error, ValueError):
        raise InputError("keys.file_bad", field="file", path=str(p)) from None
    if len(public) != 32 or key_id_of(public) != data.get("key_id"):
        raise InputError("keys.file_bad", field="file", path=str(p))
    owner = str(data.get("owner") or data.get("station_code") or "?")[:60]
    return KeyFile(key_id_of(public), public, owner, data)


def write_key_file(path: Path, data: dict, field: str | None = None) -> None:
    """Write a public key file: `data` is its fields in the file's order (format, version, key_id,
    owner, then the station's code and township or the township's role, the public key ...).
    Raises InputError("keys.write_failed", field=`field`) when it cannot be written."""
    try:
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        raise InputError("keys.write_failed", field=field, path=str(path), detail=exc.strerror or str(exc)) from None
