"""Township → stations (`checkpoint township bundle`): one signed folder and .zip with

    trust.json        every registered station key (revoked ones marked) and the township's keys
                      (signing, and the X25519 key stations seal their personal files to)
    revocations.json  every pass revocation collected from any station (the stations' format)
    policy.json       the township's key-area list and rules (null until the township sets one)
    key-changes.json  every replacement of the township's key, each signed by the key it replaced
    manifest.json     size + SHA-256 of each, and its issue time
    manifest.sig      Ed25519 signature of the township key over manifest.json's exact bytes

Each bundle has the next serial number: a station applies a bundle only if it is newer than the
last one it applied, so an old stick found in a drawer cannot roll the key areas back.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from checkpoint.domain import clock
from checkpoint.errors import InputError
from checkpoint.exchange import bundle_io, formats
from checkpoint.township import store as store_township
from checkpoint.township.office import current_policy, ensure_encryption_key, signer
from checkpoint.township.schema import TownshipStore


@dataclass(frozen=True)
class BundleResult:
    folder: Path
    zip_path: Path
    serial: int
    keys: int
    revocations: int
    policy_version: int | None


def _json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_files(store: TownshipStore, folder: Path, town) -> tuple[int, int, int | None]:
    station_keys = store_township.all_station_keys(store)
    trusted = [{"key_id": k["key_id"], "public_key": base64.b64encode(k["public_key"]).decode("ascii"),
                "owner": k["owner"], "station_code": k["station_code"], "role": "station",
                "revoked_at": k["revoked_at"], "revoked_reason": k["revoked_reason"] or ""} for k in station_keys]
    trusted.append({"key_id": town.key_id, "public_key": base64.b64encode(town.public_key).decode("ascii"),
                    "owner": town.name, "station_code": None, "role": "township", "revoked_at": None,
                    "revoked_reason": "",
                    "encryption_key": base64.b64encode(town.encryption_key or b"").decode("ascii")})
    _json(folder / "trust.json", {"format": formats.TRUST_LIST, "version": formats.TOWNSHIP_VERSION, "township": town.name,
                                  "keys": trusted})
    revocations = store_township.all_revocations(store)
    _json(folder / "revocations.json", {"format": formats.REVOCATIONS, "version": 1,
                                        "station": town.name, "revocations": revocations})
    policy = current_policy(store)
    _json(folder / "policy.json", {"format": formats.TOWNSHIP_POLICY, "version": formats.TOWNSHIP_VERSION, "policy": None if policy is None
                                   else {"version": policy.version, "key_areas": list(policy.key_areas),
                                         "rules": json.loads(policy.rules_json())}})
    _json(folder / "key-changes.json", {"format": formats.KEY_CHANGES, "version": 1, "changes": [
        {"body": base64.b64encode(c["body"]).decode("ascii"), "signature": base64.b64encode(c["signature"]).decode("ascii")}
        for c in store_township.key_changes(store)]})
    return len(trusted), len(revocations), policy.version if policy else None


def write_bundle(store: TownshipStore, out_dir: Path | str, now: dt.datetime | None = None) -> BundleResult:
    """Write the township bundle (trust list, revocations, policy; signed) for the stations into
    `out_dir`, as a folder and a zip; returns what was written. Raises InputError when the folder
    cannot be used or written, DatabaseError before `township init`."""
    town = ensure_encryption_key(store)
    now = now or clock.utc_now()
    out = Path(out_dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("export.out_unusable", path=str(out), detail=exc.strerror or str(exc)) from None
    serial = store_township.next_bundle_serial(store)
    name = f"township-{clock.local(now, town.tz).date().isoformat()}-n{serial}"
    final, final_zip = out / name, out / f"{name}.zip"
    work = zip_tmp = None
    moved: list[Path] = []
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=out))
        counts = _write_files(store, work, town)
        issued_at = now.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
        manifest_sha = bundle_io.write_signed_manifest(work, {
            "format": formats.TOWNSHIP_MANIFEST, "version": formats.TOWNSHIP_VERSION, "township": town.name, "serial": serial,
            "issued_at": issued_at, "key_id": town.key_id}, signer(store))
        handle, zip_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".zip.partial", dir=out)
        os.close(handle)
        zip_tmp = Path(zip_name)
        with zipfile.ZipFile(zip_tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(work.iterdir()):
                archive.write(path, f"{name}/{path.name}")
        os.chmod(work, 0o755)
        os.chmod(zip_tmp, 0o644)
        with store.write():
            if final.exists() or final_zip.exists():
                raise InputError("township.bundle_exists", path=str(final))
            store_township.add_bundle(store, serial, issued_at, name, manifest_sha)
            os.rename(work, final)
            moved.append(final)
            os.rename(zip_tmp, final_zip)
            moved.append(final_zip)
    except OSError as exc:
        for path in moved:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        raise InputError("export.failed", detail=f"{exc.strerror or exc}") from None
    except BaseException:
        for path in moved:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        raise
    finally:
        if work is not None and work.exists():
            shutil.rmtree(work, ignore_errors=True)
        if zip_tmp is not None and zip_tmp.exists():
            zip_tmp.unlink()
    return BundleResult(final, final_zip, serial, *counts)
