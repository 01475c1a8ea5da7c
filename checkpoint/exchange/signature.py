"""A bundle's signature: Ed25519 over the exact bytes of its manifest.json, kept beside it in
manifest.sig. Nothing is re-serialised before checking, so a tab, a space or a changed line end
anywhere in the manifest breaks the signature, and what the township remembers of a bundle (the
SHA-256 of manifest.json) is exactly what was signed.

manifest.sig itself is one small JSON file whose bytes must be exactly what `signature_file`
writes for its key id and signature value: an edit of any byte of it is refused too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from checkpoint.exchange import BundleRejected

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SIGNATURE_FORMAT = "checkpoint-signature"
MAX_MANIFEST = 1024 * 1024
MAX_SIGNATURE = 4096


def signature_file(key_id: str, signature: bytes) -> bytes:
    """The bytes of manifest.sig for this key id and signature (one way to write it, so one way to read it)."""
    data = {"format": SIGNATURE_FORMAT, "version": 1, "algorithm": "ed25519", "signed_file": MANIFEST,
            "key_id": key_id, "value": base64.b64encode(signature).decode("ascii")}
    return (json.dumps(data, ensure_ascii=True, indent=2) + "\n").encode("ascii")


def write_signed(folder: Path, manifest: dict, key_id: str, sign) -> bytes:
    """Write manifest.json (indented UTF-8 JSON) and manifest.sig, the signature over its bytes.
    Returns the manifest's bytes."""
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    (folder / MANIFEST).write_bytes(data)
    (folder / SIGNATURE).write_bytes(signature_file(key_id, sign(data)))
    return data


def _read_limited(path: Path, limit: int, too_big: str) -> bytes:
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise BundleRejected("export.file_missing", name=path.name) from None
    except OSError as exc:
        raise BundleRejected("township.unreadable", detail=exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise BundleRejected(too_big, name=path.name, size=f"{path.stat().st_size / 1024 / 1024:.1f} MB",
                             limit=f"{limit / 1024 / 1024:.1f} MB")
    return data


def read_manifest_bytes(folder: Path) -> bytes:
    """manifest.json's bytes (at most 1 MB), not yet trusted."""
    return _read_limited(folder / MANIFEST, MAX_MANIFEST, "township.manifest_too_big")


def parse_manifest(data: bytes) -> dict:
    """The manifest's JSON object, or BundleRejected."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleRejected("township.encoding", name=MANIFEST) from None
    except ValueError:
        raise BundleRejected("export.manifest_unreadable") from None
    if not isinstance(manifest, dict):
        raise BundleRejected("export.manifest_format")
    return manifest


def read_signature(folder: Path, manifest_bytes: bytes | None = None) -> tuple[str, bytes]:
    """(key id, signature) from manifest.sig. A bundle of the previous format (the signature inside
    manifest.json) is refused with a sentence saying so."""
    path = folder / SIGNATURE
    if not path.exists() and not path.is_symlink():
        if manifest_bytes is not None and _old_format(manifest_bytes):
            raise BundleRejected("exchange.old_format")
        raise BundleRejected("export.file_missing", name=SIGNATURE)
    if path.is_symlink():
        raise BundleRejected("export.name_bad", name=SIGNATURE)
    data = _read_limited(path, MAX_SIGNATURE, "township.manifest_too_big")
    try:
        parsed = json.loads(data.decode("ascii"))
        key_id = parsed["key_id"]
        signature = base64.b64decode(parsed["value"], validate=True)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, binascii.Error):
        raise BundleRejected("exchange.signature_file_bad") from None
    if not isinstance(key_id, str) or data != signature_file(key_id, signature):
        raise BundleRejected("exchange.signature_file_bad")
    return key_id, signature


def _old_format(manifest_bytes: bytes) -> bool:
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(manifest, dict) and isinstance(manifest.get("signature"), dict)


def verify_bytes(data: bytes, signature: bytes, public_key: bytes) -> None:
    """Raise BundleRejected unless `signature` is `public_key`'s Ed25519 signature of exactly `data`."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (ValueError, InvalidSignature):
        raise BundleRejected("export.signature_bad") from None


# ---- a signed folder: the manifest's signature, then every file it lists -----------------------------
@dataclass(frozen=True)
class Claimed:
    """A bundle's manifest as found, before its signature is checked: who claims to have signed it."""

    data: bytes
    manifest: dict
    key_id: str
    signature: bytes


def read_claimed(folder: Path, file_format: str) -> Claimed:
    """The manifest and its signature file, parsed but not trusted; BundleRejected when either is
    missing, malformed, of another format, or of the previous format (signature inside)."""
    data = read_manifest_bytes(folder)
    key_id, signature = read_signature(folder, data)
    manifest = parse_manifest(data)
    if manifest.get("format") != file_format or not isinstance(manifest.get("files"), list):
        raise BundleRejected("export.manifest_format")
    if manifest.get("key_id") != key_id:
        raise BundleRejected("export.wrong_key", key_id=str(key_id)[:40])
    return Claimed(data, manifest, key_id, signature)


def verify_claimed(folder: Path, claimed: Claimed, public_key: bytes) -> dict:
    """The manifest, once the signature by `public_key` over its exact bytes holds and every listed
    file is present and unchanged with nothing extra; BundleRejected naming the first thing wrong."""
    from checkpoint.domain.pass_token import key_id_of

    if claimed.key_id != key_id_of(public_key):
        raise BundleRejected("export.wrong_key", key_id=claimed.key_id[:40])
    verify_bytes(claimed.data, claimed.signature, public_key)
    check_files(folder, claimed.manifest)
    return claimed.manifest


def verify_folder(folder: Path, file_format: str, public_key: bytes) -> dict:
    """`read_claimed` then `verify_claimed`: the manifest of a bundle signed by `public_key`."""
    return verify_claimed(folder, read_claimed(folder, file_format), public_key)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def safe_name(name: object) -> bool:
    """A plain file name of the bundle's own (not the manifest or its signature, no folder, not hidden)."""
    return (isinstance(name, str) and bool(name) and name == os.path.basename(name) and "\\" not in name
            and not name.startswith(".") and name not in (MANIFEST, SIGNATURE))


def check_files(folder: Path, manifest: dict) -> None:
    """Every file the manifest lists is in `folder` with its size and SHA-256, and nothing else is."""
    listed = set()
    for item in manifest["files"]:
        name = item.get("name") if isinstance(item, dict) else None
        if not safe_name(name) or name in listed:
            raise BundleRejected("export.name_bad", name=str(name)[:80])
        listed.add(name)
        target = folder / name
        if target.is_symlink():  # a link could point anywhere on the reader's disk
            raise BundleRejected("export.name_bad", name=name)
        if not target.is_file():
            raise BundleRejected("export.file_missing", name=name)
        if target.stat().st_size != item.get("size") or sha256_file(target) != item.get("sha256"):
            raise BundleRejected("export.file_changed", name=name)
    for entry in folder.iterdir():
        if entry.name not in (MANIFEST, SIGNATURE) and entry.name not in listed:
            raise BundleRejected("export.file_extra", name=entry.name[:80])


def file_entries(folder: Path, names: list[str]) -> list[dict]:
    """The manifest's `files`: name, size and SHA-256 of each."""
    return [{"name": n, "size": (folder / n).stat().st_size, "sha256": sha256_file(folder / n)} for n in names]
