"""Files that name a person, encrypted to the township's X25519 public key before they reach the
USB stick (`<name>.enc`); only the township's private key opens them.

The construction is age's X25519 recipient with its STREAM payload, built from `cryptography`
(already a dependency, so nothing new to install on a station laptop):

    header  = b"CHKPSEAL" | version (1 byte) | recipient id (8 bytes) | ephemeral X25519 public key (32 bytes)
    key     = HKDF-SHA256(X25519(ephemeral, recipient), salt = ephemeral public | recipient public,
                          info = b"checkpoint sealed file v1|" + file name)
    payload = 64 KiB chunks, each ChaCha20-Poly1305(key, nonce = 11-byte chunk counter | last-chunk flag,
              associated data = header)

A fresh ephemeral key per file means a fresh key per file, so the counter nonces never repeat. The
file's name is bound into the key (a sealed ledger renamed to follow-up.csv.enc does not open),
the header into every chunk, and the last-chunk flag makes a cut file fail instead of opening short.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from checkpoint.exchange import BundleRejected

SUFFIX = ".enc"
SCHEME = "x25519-hkdf-sha256-chacha20poly1305-stream-v1"
MAGIC = b"CHKPSEAL"
VERSION = 1
CHUNK = 64 * 1024
TAG = 16
HEADER = len(MAGIC) + 1 + 8 + 32


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    private: bytes


def new_key_pair() -> KeyPair:
    """A new X25519 key pair (raw 32-byte halves) for a township."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    return KeyPair(private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
                   private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                         serialization.NoEncryption()))


def recipient_id(public: bytes) -> str:
    """A short name of an encryption public key (16 hex characters), written in every sealed header."""
    return hashlib.sha256(b"checkpoint-x25519|" + public).hexdigest()[:16]


def public_of(private: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _key(shared: bytes, ephemeral: bytes, recipient: bytes, name: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient,
                info=b"checkpoint sealed file v1|" + name.encode("utf-8")).derive(shared)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def seal_file(source: Path, target: Path, recipient: bytes, name: str) -> None:
    """Encrypt `source` into `target` (a new file) for the holder of `recipient`'s private key.
    `name` is the file's name in the bundle, bound into the key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw,
                                                           serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    aead = ChaCha20Poly1305(_key(shared, ephemeral_public, recipient, name))
    header = MAGIC + bytes([VERSION]) + bytes.fromhex(recipient_id(recipient)) + ephemeral_public
    with open(source, "rb") as src, open(target, "xb") as out:
        out.write(header)
        counter = 0
        block = src.read(CHUNK)
        while True:
            following = src.read(CHUNK) if len(block) == CHUNK else b""
            last = not following
            out.write(aead.encrypt(_nonce(counter, last), block, header))
            if last:
                break
            block, counter = following, counter + 1


def sealed_for(path: Path) -> str | None:
    """The recipient id a sealed file names in its header, or None when it is not a sealed file."""
    try:
        with open(path, "rb") as f:
            header = f.read(HEADER)
    except OSError:
        return None
    if len(header) != HEADER or not header.startswith(MAGIC) or header[len(MAGIC)] != VERSION:
        return None
    return header[len(MAGIC) + 1:len(MAGIC) + 9].hex()


def open_file(source: Path, target: Path, private_keys: list[bytes], name: str, limit: int) -> None:
    """Decrypt `source` into `target` (a new file) with whichever of `private_keys` it was sealed
    to. Raises BundleRejected when it was sealed to another key, was changed or cut, or would
    decrypt to more than `limit` bytes; `target` is removed then."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    wanted = sealed_for(source)
    if wanted is None:
        raise BundleRejected("exchange.not_sealed", name=name)
    private = next((p for p in private_keys if recipient_id(public_of(p)) == wanted), None)
    if private is None:
        raise BundleRejected("exchange.sealed_for_other", name=name, recipient=wanted)
    written = 0
    try:
        with open(source, "rb") as src, open(target, "xb") as out:
            header = src.read(HEADER)
            ephemeral_public = header[-32:]
            shared = X25519PrivateKey.from_private_bytes(private).exchange(
                X25519PublicKey.from_public_bytes(ephemeral_public))
            aead = ChaCha20Poly1305(_key(shared, ephemeral_public, public_of(private), name))
            counter = 0
            block = src.read(CHUNK + TAG)
            while True:
                following = src.read(CHUNK + TAG) if len(block) == CHUNK + TAG else b""
                last = not following
                plain = aead.decrypt(_nonce(counter, last), block, header)
                written += len(plain)
                if written > limit:
                    raise BundleRejected("township.too_big", name=name, size=f"> {limit / 1024 / 1024:.1f} MB",
                                         limit=f"{limit / 1024 / 1024:.1f} MB")
                out.write(plain)
                if last:
                    break
                block, counter = following, counter + 1
    except (InvalidTag, ValueError):
        _remove(target)
        raise BundleRejected("exchange.sealed_damaged", name=name) from None
    except BaseException:
        _remove(target)
        raise


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
