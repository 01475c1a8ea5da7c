"""Reading bundles that arrive on a USB stick or through a chat upload: finding them in a folder
tree, opening a .zip without trusting it, and the size limits that keep a hostile file from
filling the disk or the memory. Used by the township (station bundles) and by a station (the
township's bundle). Nothing here writes outside a temporary folder it made itself.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from checkpoint.errors import InputError
from checkpoint.exchange import BundleRejected
from checkpoint.exchange import signature
from checkpoint.exchange.signature import MANIFEST, MAX_MANIFEST, SIGNATURE, sha256_file

MAX_MEMBER = 200 * 1024 * 1024   # one file of a bundle; a day's ledger is a few MB
MAX_MEMBERS = 64                 # a bundle has nine files; a zip with thousands is not one
MAX_TOTAL = 512 * 1024 * 1024    # all files of one bundle together, unpacked
MAX_RATIO = 100                  # unpacked / packed: a ledger packs 5-10 times, zeros a thousand times
RATIO_FROM = 1024 * 1024         # members smaller than this are not judged by their ratio
MAX_JSON = 16 * 1024 * 1024      # summary, revocations, trust list: read whole, so bounded
_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


sha256_of = sha256_file   # one way to hash a bundle's file, shared with the station's export


# ---- finding bundles ---------------------------------------------------------------------------------
def find_bundles(paths: list[Path | str]) -> list[Path]:
    """Every bundle under the given paths: a folder holding manifest.json, or a .zip file.

    A whole USB stick may be given: the tree is walked (symbolic links not followed, hidden and
    half-written `.partial` entries skipped). A .zip lying beside the folder of the same name is the
    same bundle written twice by the export, so only the folder is taken.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_symlink() or not path.exists():
            raise InputError("township.path_missing", path=str(path))
        if path.is_file():
            if path.suffix.lower() != ".zip":
                raise InputError("township.path_not_bundle", path=str(path))
            found.append(path)
            continue
        if (path / MANIFEST).exists():
            found.append(path)
            continue
        before = len(found)
        for folder, dirs, files in os.walk(path, followlinks=False):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
            bundles = [d for d in dirs if (here / d / MANIFEST).is_file()]
            found.extend(here / d for d in bundles)
            dirs[:] = [d for d in dirs if d not in bundles]   # a bundle's inside is not searched
            found.extend(here / f for f in sorted(files)
                         if f.lower().endswith(".zip") and not f.startswith(".") and f[:-4] not in bundles
                         and not (here / f).is_symlink())
        if len(found) == before:
            raise InputError("township.nothing_found", path=str(path))
    unique: list[Path] = []
    for p in found:
        if p.resolve() not in {u.resolve() for u in unique}:
            unique.append(p)
    return unique


# ---- opening one bundle --------------------------------------------------------------------------------
@contextlib.contextmanager
def opened(path: Path) -> Iterator[Path]:
    """The bundle as a folder to check: a folder as it is (after the size checks), a .zip unpacked
    safely into a temporary folder that is removed afterwards. Every limit (names, sizes, the total,
    the compression ratio) is checked before the temporary folder is even made. Raises BundleRejected."""
    path = Path(path)
    if path.is_dir():
        check_folder(path)
        yield path
        return
    with _open_zip(path) as archive:
        files = inspect_zip(archive)
        work = Path(tempfile.mkdtemp(prefix="checkpoint-bundle-"))
        try:
            for info, name in files:
                limit = min(info.file_size, _limit_of(name))
                _copy_member(archive, info, work / name, limit)
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder of our own (for files decrypted from a bundle), removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="checkpoint-open-"))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _limit_of(name: str) -> int:
    return MAX_MANIFEST if name == MANIFEST else signature.MAX_SIGNATURE if name == SIGNATURE else MAX_MEMBER


def _too_big(name: str, size: int) -> BundleRejected:
    return BundleRejected("township.manifest_too_big" if name in (MANIFEST, SIGNATURE) else "township.too_big",
                          name=name[:80], size=_mb(size), limit=_mb(_limit_of(name)))


def check_folder(folder: Path) -> None:
    """Refuse links and oversized files (each, and all together) before anything is hashed or read."""
    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        raise BundleRejected("township.unreadable", detail=exc.strerror or str(exc)) from None
    if len(entries) > MAX_MEMBERS:
        raise BundleRejected("township.too_many_files", count=len(entries))
    total = 0
    for entry in entries:
        if entry.is_symlink():
            raise BundleRejected("township.link", name=entry.name[:80])
        if entry.is_file():
            size = entry.stat().st_size
            if size > _limit_of(entry.name):
                raise _too_big(entry.name, size)
            total += size
    if total > MAX_TOTAL:
        raise BundleRejected("exchange.total_too_big", size=_mb(total), limit=_mb(MAX_TOTAL))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _member_parts(info: zipfile.ZipInfo) -> list[str]:
    """The member's path parts, or BundleRejected when it could land outside the target folder."""
    name = info.filename
    if stat.S_ISLNK(info.external_attr >> 16):
        raise BundleRejected("township.zip_link", name=name[:80])
    parts = name.split("/")
    if (name.startswith("/") or "\\" in name or _DRIVE.match(name) or "\0" in name
            or any(p in ("..", ".") for p in parts)):
        raise BundleRejected("township.zip_escape", name=name[:80])
    parts = [p for p in parts if p]
    if not parts or len(parts) > 2:
        raise BundleRejected("township.zip_layout", name=name[:80])
    return parts


@contextlib.contextmanager
def _open_zip(zip_path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(zip_path)
    except FileNotFoundError:
        raise InputError("township.path_missing", path=str(zip_path)) from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BundleRejected("township.zip_bad") from None
    with archive:
        yield archive


def inspect_zip(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, str]]:
    """The bundle's members (info, file name), once every one passed the checks that need no
    unpacking: its name (no ../, no absolute path, no drive letter, no link), the layout (files at
    the top or in one folder), its declared size, the total of all sizes and the compression ratio.
    Raises BundleRejected; reads only the zip's directory."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BundleRejected("township.too_many_files", count=len(infos))
    files: list[tuple[zipfile.ZipInfo, str]] = []
    tops: set[str] = set()
    total = packed = 0
    for info in infos:
        parts = _member_parts(info)
        if info.is_dir():
            if len(parts) != 1:
                raise BundleRejected("township.zip_layout", name=info.filename[:80])
            continue
        tops.add(parts[0] if len(parts) == 2 else "")
        name = parts[-1]
        if info.file_size > _limit_of(name):
            raise _too_big(name, info.file_size)
        if info.file_size >= RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise BundleRejected("exchange.zip_ratio", name=name[:80], ratio=info.file_size // max(info.compress_size, 1),
                                 limit=MAX_RATIO)
        total += info.file_size
        packed += info.compress_size
        files.append((info, name))
    if total > MAX_TOTAL:
        raise BundleRejected("exchange.total_too_big", size=_mb(total), limit=_mb(MAX_TOTAL))
    if total >= RATIO_FROM and total > MAX_RATIO * max(packed, 1):
        raise BundleRejected("exchange.zip_ratio", name="*", ratio=total // max(packed, 1), limit=MAX_RATIO)
    if len(tops) > 1:
        raise BundleRejected("township.zip_layout", name="、".join(sorted(t or "/" for t in tops))[:80])
    names = [n for _, n in files]
    if len(set(names)) != len(names):
        raise BundleRejected("township.zip_layout", name=next(n for n in names if names.count(n) > 1)[:80])
    return files


def unpack_zip(zip_path: Path, target: Path) -> None:
    """Unpack a bundle zip (its files at the top, or inside one folder) into `target`.

    Never `extractall`: `inspect_zip` checks every member first, then each is copied in chunks
    with the bytes counted, so a member that lies about its size is stopped at the limit too.
    """
    with _open_zip(zip_path) as archive:
        for info, name in inspect_zip(archive):
            _copy_member(archive, info, target / name, min(info.file_size, _limit_of(name)))


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, limit: int) -> None:
    written = 0
    try:
        with archive.open(info) as source, open(dest, "xb") as out:
            while True:
                block = source.read(_CHUNK)
                if not block:
                    break
                written += len(block)
                if written > limit:
                    raise BundleRejected("township.too_big", name=info.filename[:80], size=_mb(written),
                                         limit=_mb(limit))
                out.write(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError):
        raise BundleRejected("township.zip_bad") from None
    except OSError as exc:
        raise BundleRejected("township.unreadable", detail=exc.strerror or str(exc)) from None


# ---- reading a bundle's files ---------------------------------------------------------------------------
def check_text(path: Path) -> None:
    """The file is UTF-8 throughout (a BOM allowed), read in chunks: a CSV saved by a program in
    GBK, or cut in the middle of a character, is refused with its name."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(_CHUNK), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise BundleRejected("township.encoding", name=path.name) from None


def read_json(path: Path, file_format: str, limit: int = MAX_JSON) -> dict:
    """A bundle's JSON file of the given format, or BundleRejected naming the file."""
    try:
        if path.stat().st_size > limit:
            raise BundleRejected("township.too_big", name=path.name, size=_mb(path.stat().st_size), limit=_mb(limit))
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleRejected("export.file_missing", name=path.name) from None
    except UnicodeDecodeError:
        raise BundleRejected("township.encoding", name=path.name) from None
    except (OSError, ValueError):
        raise BundleRejected("township.json_bad", name=path.name) from None
    if not isinstance(data, dict) or data.get("format") != file_format:
        raise BundleRejected("township.json_bad", name=path.name)
    return data


# ---- signed manifests (the township's bundle) -------------------------------------------------------------
def write_signed_manifest(folder: Path, body: dict, sign) -> str:
    """Add `files` (size and SHA-256 of every file in `folder`) to `body`, write manifest.json and
    manifest.sig (the signature over its bytes); returns the manifest's own SHA-256."""
    names = sorted(p.name for p in folder.iterdir() if p.name not in (MANIFEST, SIGNATURE))
    signature.write_signed(folder, {**body, "files": signature.file_entries(folder, names)}, body["key_id"], sign)
    return sha256_of(folder / MANIFEST)


def read_manifest(folder: Path, file_format: str) -> signature.Claimed:
    """The manifest and who claims to have signed it, unverified, or BundleRejected."""
    return signature.read_claimed(folder, file_format)


def verify_signed(folder: Path, file_format: str, public_key: bytes) -> dict:
    """Signature by `public_key` over the manifest's bytes, every listed file present and unchanged,
    nothing extra."""
    return signature.verify_folder(folder, file_format, public_key)
