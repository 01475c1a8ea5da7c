"""The pass token in the QR code (通行证二维码): compact, versioned, signed.

    "CP" + base32( version | kind | issuer key id | valid from/to | rule | number | holder | id last 4
                   | Ed25519 signature over everything before it )

Base32 (A–Z, 2–7) fits QR alphanumeric mode, so the code stays small enough to scan from a worn
card or a phone screen. The token carries no full ID number, phone or address: a photo of the
card leaks only the masked name and the last four characters of the ID, which staff compare with
the ID card shown beside it. Decoding is strict: the text must be exactly the canonical encoding
of the bytes it decodes to, so no altered character (even in base32's spare bits) goes unnoticed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

PREFIX = "CP"
VERSION = 1
KINDS = ("household", "medical", "vehicle", "work", "official")
EPOCH = dt.date(2020, 1, 1)
SIGNATURE_BYTES = 64
NO_TIME = 0xFFFF
MAX_TOKEN = 400  # characters; anything longer is not ours
_HEAD = struct.Struct(">BB4sHHBBH")  # version, kind, key id, from, to, exits, per days, back-by


class TokenError(ValueError):
    """The text is not a well-formed pass token. `reason` is a catalogue key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PassClaims:
    number: str
    kind: str
    key_id: str  # 8 hex characters
    valid_from: dt.date
    valid_to: dt.date
    exits: int = 0        # N exits ...
    per_days: int = 0     # ... per D days (0: no quota)
    back_by: int | None = None  # minutes after midnight by which the holder must be back
    holder: str = ""      # masked: 张*三
    id_last4: str = ""


def key_id_of(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()[:8]


def _short(text: str, limit: int) -> bytes:
    raw = text.encode("utf-8")
    if len(raw) > limit:
        raise ValueError(f"too long: {text!r}")
    return bytes([len(raw)]) + raw


def claims_bytes(c: PassClaims) -> bytes:
    head = _HEAD.pack(VERSION, KINDS.index(c.kind), bytes.fromhex(c.key_id),
                      (c.valid_from - EPOCH).days, (c.valid_to - EPOCH).days, c.exits, c.per_days,
                      NO_TIME if c.back_by is None else c.back_by)
    return head + _short(c.number, 32) + _short(c.holder, 40) + _short(c.id_last4, 4)


def _b32encode(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def encode(claims: PassClaims, sign: Callable[[bytes], bytes]) -> str:
    body = claims_bytes(claims)
    return PREFIX + _b32encode(body + sign(body))


def normalize(text: str) -> str:
    """What a scanner or a person typed, as the token it means (spaces dropped, upper case)."""
    return "".join((text or "").split()).upper()


def split(token: str) -> tuple[PassClaims, bytes, bytes]:
    """(claims, signed bytes, signature), or TokenError naming what is wrong with the text."""
    t = normalize(token)
    if not t.startswith(PREFIX):
        raise TokenError("token.not_ours")
    if len(t) > MAX_TOKEN:
        raise TokenError("token.too_long")
    data = t[len(PREFIX):]
    try:
        raw = base64.b32decode(data + "=" * (-len(data) % 8))
    except (binascii.Error, ValueError):
        raise TokenError("token.damaged") from None
    if _b32encode(raw) != data:
        raise TokenError("token.damaged")
    if len(raw) < _HEAD.size + 3 + SIGNATURE_BYTES:
        raise TokenError("token.damaged")
    if raw[0] != VERSION:
        raise TokenError("token.version")
    body, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    try:
        version, kind, key_id, start, end, exits, per_days, back_by = _HEAD.unpack_from(body)
        at = _HEAD.size
        fields = []
        for _ in range(3):
            size = body[at]
            fields.append(body[at + 1:at + 1 + size].decode("utf-8"))
            at += 1 + size
        if at != len(body) or kind >= len(KINDS):
            raise ValueError
        claims = PassClaims(number=fields[0], kind=KINDS[kind], key_id=key_id.hex(),
                            valid_from=EPOCH + dt.timedelta(days=start), valid_to=EPOCH + dt.timedelta(days=end),
                            exits=exits, per_days=per_days, back_by=None if back_by == NO_TIME else back_by,
                            holder=fields[1], id_last4=fields[2])
    except (ValueError, IndexError, struct.error, UnicodeDecodeError):
        raise TokenError("token.damaged") from None
    return claims, body, signature


def signature_valid(public_key: bytes, body: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, body)
    except (InvalidSignature, ValueError):
        return False
    return True
