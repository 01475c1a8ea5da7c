"""The kit's manifest (kit-manifest.json) and its checksums: every file's SHA-256, where the Python
runtime came from, and the program version (the one `checkpoint --version` prints once installed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

MANIFEST = "kit-manifest.json"
SUMS = "SHA256SUMS"
FORMAT = "checkpoint-kit-manifest"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_of(root: Path) -> list[Path]:
    return sorted((p for p in root.rglob("*") if p.is_file() and p.name not in (MANIFEST, SUMS)),
                  key=lambda p: p.relative_to(root).as_posix())


def write(root: Path, kit: str, version: str, python: dict, packages: list[dict]) -> dict:
    """Write kit-manifest.json and SHA256SUMS (sha256sum's format) into the kit folder `root`."""
    files = [{"path": p.relative_to(root).as_posix(), "size": p.stat().st_size, "sha256": sha256(p)}
             for p in files_of(root)]
    manifest = {"format": FORMAT, "version": 1, "kit": kit,
                "program": {"name": "checkpoint", "version": version},
                "python": python, "packages": packages,
                "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "files": files}
    (root / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (root / SUMS).write_text("".join(f"{f['sha256']}  {f['path']}\n" for f in files), encoding="utf-8")
    return manifest


def zip_folder(root: Path, target: Path) -> None:
    """The kit folder as a zip that unpacks to the same named folder. Names are stored as UTF-8
    (zipfile sets the flag for non-ASCII names), which Windows' own Explorer reads correctly."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(root.rglob("*")):
            name = f"{root.name}/{path.relative_to(root).as_posix()}"
            if path.is_dir():
                continue
            info = zipfile.ZipInfo.from_file(path, name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if path.suffix == ".sh":
                info.external_attr = (0o100755 & 0xFFFF) << 16   # install.sh stays executable once unzipped
            with open(path, "rb") as f:
                archive.writestr(info, f.read(), compresslevel=6)
