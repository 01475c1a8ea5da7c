"""The daily export (日报 bundle): one folder and one .zip per station and day, for the township.

    <out>/<station>-<YYYY-MM-DD>-r<N>/      ledger.csv, ledger.xlsx, report.md, follow-up.csv,
    <out>/<station>-<YYYY-MM-DD>-r<N>.zip    revocations.json, station-key.json, summary.json,
                                             manifest.json (size + SHA-256 of each, Ed25519-signed)

Files are made from the database, never the other way round. A re-export is the next revision
(r2, r3 ...), never an overwrite: the township keeps the newest one of a station-day. Everything is
written into a hidden folder beside the target and renamed into place at the end, in the same
transaction as the audit row, so an error leaves no half-written bundle and no audit row claiming one.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from checkpoint.errors import InputError, RefusedError
from checkpoint.services import clock, settings
from checkpoint.services.accounts import Account, require
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import audit
from checkpoint.store import reports as report_store

# The desk imports this module for `report_due` (its banner) when it opens: what only making or
# checking a bundle needs (cryptography, the tables, the report, zipfile, package metadata: about
# 0.1 s of imports) is imported inside the functions that use it, not at start-up.
if TYPE_CHECKING:
    from checkpoint.domain import daily_report

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "checkpoint-daily-manifest"
SUMMARY_FORMAT = "checkpoint-daily-summary"
FORMAT_VERSION = 1
DEFAULT_DIR = "exports"
MAX_MANIFEST = 1024 * 1024
_ATTEMPTS = 3  # another lane exporting the same day at the same moment takes the revision: retry

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    zip_path: Path
    day: str
    revision: int
    station_code: str
    zero_report: bool
    counts: dict
    files: tuple[str, ...]


class BundleRejected(RefusedError):
    """A bundle that fails a check: the reason is the message; nothing of it may be used."""


def default_out_dir(store: Store) -> Path:
    """The `export-dir` setting when set, else exports/ in the folder the program runs from."""
    configured = settings.text_setting(store, "export-dir")
    return Path(configured) if configured else Path.cwd() / DEFAULT_DIR


def exported(store: Store, day: str) -> bool:
    return bool(report_store.export_revisions(store, day))


def report_due(store: Store, now: dt.datetime | None = None) -> str | None:
    """Today's date when the report cut-off (setting report-cutoff, default 17:00) has passed and
    today's bundle is not made yet: the desk shows a banner until it is."""
    station = require_station(store)
    local = clock.local(now or clock.utc_now(), station.tz)
    hours, minutes = (int(x) for x in settings.text_setting(store, "report-cutoff").split(":"))
    if (local.hour, local.minute) < (hours, minutes):
        return None
    day = local.date().isoformat()
    return None if exported(store, day) else day


def bundle_name(code: str, day: str, revision: int) -> str:
    return f"{code}-{day}-r{revision}"


def _existing_revisions(out: Path, code: str, day: str) -> set[int]:
    pattern = re.compile(rf"^{re.escape(code)}-{re.escape(day)}-r(\d+)(\.zip)?$")
    found = set()
    for entry in out.iterdir():
        match = pattern.match(entry.name)
        if match:
            found.add(int(match.group(1)))
    return found


def _next_revision(store: Store, out: Path, code: str, day: str) -> int:
    # Earlier exports count wherever they went (a USB stick last time, exports/ now): the township
    # must see each new one as newer. Folders already in `out` count too, even from another laptop.
    taken = set(report_store.export_revisions(store, day)) | _existing_revisions(out, code, day)
    return max(taken, default=0) + 1


def _prepare_out(out_dir: Path | str | None, store: Store) -> Path:
    out = Path(out_dir).expanduser() if out_dir is not None else default_out_dir(store)
    try:
        out.mkdir(parents=True, exist_ok=True)
        if not out.is_dir():
            raise NotADirectoryError(20, "not a folder")
        probe = tempfile.TemporaryFile(dir=out)  # the one sure test of "can I write here" (root ignores modes)
        probe.close()
    except OSError as exc:
        raise InputError("export.out_unusable", path=str(out), detail=exc.strerror or str(exc)) from None
    return out.resolve()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def canonical(body: dict) -> bytes:
    """The exact bytes the signature covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _software_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("checkpoint")
    except metadata.PackageNotFoundError:
        return "unknown"


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class _Day:
    """Everything read from the database for the day, read once."""

    persons: list[dict]
    vehicles: list[dict]
    passes: list[dict]
    scans: list[dict]
    shifts: list[dict]
    rosters: list[dict]
    handovers: list[dict]
    matters: list[str]


def _read_day(store: Store, day: str, tz: str, now: dt.datetime) -> _Day:
    from checkpoint.services.shifts import open_matters

    shift_rows = [{**s, "start_local": clock.local(s["started_at"], tz).strftime("%m-%d %H:%M")}
                  for s in report_store.shifts(store, day)]
    ids = [s["id"] for s in shift_rows]
    return _Day(report_store.persons(store, day), report_store.vehicles(store, day),
                report_store.passes_issued(store, day), report_store.pass_scans(store, day), shift_rows,
                report_store.rosters(store, ids), report_store.handovers(store, ids),
                [m.text for m in open_matters(store, now)])


def _write_files(store: Store, folder: Path, data: _Day, report: daily_report.DailyReport, station, day: str,
                 revision: int, key_row: dict, by: Account | None, now: dt.datetime,
                 step: Callable[[], None]) -> list[str]:
    """Write every file but the manifest into `folder`; returns their names."""
    from checkpoint.domain import daily_report
    from checkpoint.services import export_tables as tables
    from checkpoint.services import keys, passes

    tz = station.tz
    station_info = {"code": station.code, "name": station.name, "township": station.township, "tz": tz}
    ledger = tables.ledger_table(data.persons, tz)
    tables.write_csv(folder / "ledger.csv", ledger)
    step()
    tables.write_xlsx(folder / "ledger.xlsx", [
        ledger, tables.vehicles_table(data.vehicles, tz), tables.passes_table(data.passes, tz),
        tables.scans_table(data.scans, tz), tables.handovers_table(data.handovers, tz),
        tables.summary_table(daily_report.summary_rows(report, tables.zh))])
    step()
    (folder / "report.md").write_text(daily_report.render_markdown(report, station_info, revision, tables.zh),
                                      encoding="utf-8")
    step()
    tables.write_csv(folder / "follow-up.csv",
                     tables.follow_up_table(daily_report.follow_up_rows(data.persons), tz))
    step()
    passes.export_revocations(store, folder / "revocations.json")
    keys.export_public_key(store, folder / "station-key.json")
    step()
    _write_json(folder / "summary.json", {
        "format": SUMMARY_FORMAT, "version": FORMAT_VERSION, "station": station_info, "date": day,
        "revision": revision, "zero_report": report.zero_report,
        "exported_at": now.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
        "exported_by": by.name if by else None, "key_id": key_row["key_id"],
        "software": {"name": "checkpoint", "version": _software_version()}, "counts": report.counts()})
    step()
    return sorted(p.name for p in folder.iterdir())


def _sign_manifest(folder: Path, names: list[str], station, day: str, revision: int, key_row: dict) -> None:
    from checkpoint.services import keys

    body = {"format": MANIFEST_FORMAT, "version": FORMAT_VERSION, "station_code": station.code, "date": day,
            "revision": revision, "key_id": key_row["key_id"],
            "files": [{"name": n, "size": (folder / n).stat().st_size, "sha256": sha256_file(folder / n)}
                      for n in names]}
    signature = keys.signer(key_row)(canonical(body))
    _write_json(folder / MANIFEST, {**body, "signature": {
        "algorithm": "ed25519", "key_id": key_row["key_id"], "value": base64.b64encode(signature).decode("ascii")}})


def _zip(folder: Path, name: str, target: Path) -> None:
    import zipfile

    # The archive holds the folder itself, so unpacking it anywhere gives the same named folder.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{name}/{path.name}")


def export_day(store: Store, day: str | dt.date, out_dir: Path | str | None = None,
               progress: Progress | None = None, *, by: Account | None = None,
               now: dt.datetime | None = None) -> ExportResult:
    """Write the bundle of `day` (local date) and return where it went.

    `by` is the leader exporting (checked and recorded); None only from tests and the township's
    own tooling. Raises InputError for a bad or future date and an unusable folder.
    """
    from checkpoint.domain import daily_report
    from checkpoint.services import keys
    from checkpoint.services.signoff import signoff_of

    if by is not None:
        require(by, "export.day")
    station = require_station(store)
    now = now or clock.utc_now()
    the_day = day if isinstance(day, dt.date) else clock.parse_day(day)
    today = clock.local(now, station.tz).date()
    if the_day > today:
        raise InputError("export.future", field="date", day=the_day.isoformat(), today=today.isoformat())
    day_text = the_day.isoformat()
    out = _prepare_out(out_dir, store)
    key_row = keys.ensure_station_key(store)
    data = _read_day(store, day_text, station.tz, now)
    report = daily_report.build(day_text, data.persons, data.vehicles, data.passes, data.scans, data.shifts,
                                data.rosters, data.handovers, data.matters, signoff=signoff_of(store, day_text))
    total, done = 9, [0]

    def step() -> None:
        done[0] += 1
        if progress is not None:
            progress(min(done[0], total), total)

    for _ in range(_ATTEMPTS):
        revision = _next_revision(store, out, station.code, day_text)
        name = bundle_name(station.code, day_text, revision)
        result = _attempt(store, out, name, data, report, station, day_text, revision, key_row, by, now, step)
        if result is not None:
            if progress is not None:
                progress(total, total)
            return result
        done[0] = 0
    raise RefusedError("export.busy")


def _attempt(store: Store, out: Path, name: str, data: _Day, report: daily_report.DailyReport, station,
             day: str, revision: int, key_row: dict, by: Account | None, now: dt.datetime,
             step: Callable[[], None]) -> ExportResult | None:
    """One try at writing revision `revision`; None when somebody took that revision meanwhile."""
    final, final_zip = out / name, out / f"{name}.zip"
    moved: list[Path] = []
    work = zip_tmp = None
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=out))
        names = _write_files(store, work, data, report, station, day, revision, key_row, by, now, step)
        _sign_manifest(work, names, station, day, revision, key_row)
        step()
        handle, zip_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".zip.partial", dir=out)
        os.close(handle)
        zip_tmp = Path(zip_name)
        _zip(work, name, zip_tmp)
        # mkdtemp/mkstemp make owner-only entries; the bundle is an ordinary file set like its contents
        os.chmod(work, 0o755)
        os.chmod(zip_tmp, 0o644)
        step()
        with store.write():
            # Under the database's write lock: no other lane can claim this revision between the
            # check and the rename, and the audit row commits only if both renames happened.
            if revision in report_store.export_revisions(store, day) or final.exists() or final_zip.exists():
                return None
            audit.append(store, "export.day", by.id if by else None, detail={
                "day": day, "revision": revision, "folder": name, "persons": report.persons,
                "zero_report": report.zero_report, "manifest_sha256": sha256_file(work / MANIFEST)})
            os.rename(work, final)
            moved.append(final)
            os.rename(zip_tmp, final_zip)
            moved.append(final_zip)
    except OSError as exc:
        _undo(moved)
        raise InputError("export.failed", detail=f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None
    except BaseException:
        _undo(moved)
        raise
    finally:
        if work is not None and work.exists():
            shutil.rmtree(work, ignore_errors=True)
        if zip_tmp is not None and zip_tmp.exists():
            zip_tmp.unlink()
    return ExportResult(final, final_zip, day, revision, station.code, report.zero_report, report.counts(),
                        tuple([*names, MANIFEST]))


def _undo(moved: list[Path]) -> None:
    """Remove what this attempt put in place (never anything that was there before it)."""
    for path in moved:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()


# ---- checking a bundle (the township side uses this) ----------------------------------------------
def _safe_name(name: object) -> bool:
    return (isinstance(name, str) and bool(name) and name == os.path.basename(name) and "\\" not in name
            and not name.startswith(".") and name != MANIFEST)


def verify_manifest(folder: Path | str, public_key: bytes) -> dict:
    """Check a bundle folder against its manifest and the station's public key (32 raw bytes).

    Returns the manifest when the signature holds and every file is there, unchanged, with nothing
    extra; raises BundleRejected naming the first thing wrong otherwise.
    """
    folder = Path(folder)
    try:
        path = folder / MANIFEST
        if path.stat().st_size > MAX_MANIFEST:
            raise BundleRejected("export.manifest_format")
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise BundleRejected("export.manifest_unreadable") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT \
            or not isinstance(manifest.get("files"), list) or not isinstance(manifest.get("signature"), dict):
        raise BundleRejected("export.manifest_format")
    return check_signed(folder, manifest, public_key)


def check_signed(folder: Path, manifest: dict, public_key: bytes) -> dict:
    """The checks every signed bundle gets (the station's daily ones and the township's): the
    signature by `public_key` over the manifest without its signature, every listed file present
    and unchanged, nothing extra. Returns the manifest, or raises BundleRejected."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from checkpoint.domain.pass_token import key_id_of

    body = {k: v for k, v in manifest.items() if k != "signature"}
    if body.get("key_id") != key_id_of(public_key):
        raise BundleRejected("export.wrong_key", key_id=str(body.get("key_id"))[:40])
    try:
        signature = base64.b64decode(str(manifest["signature"].get("value", "")), validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, canonical(body))
    except (binascii.Error, ValueError, InvalidSignature):
        raise BundleRejected("export.signature_bad") from None
    listed = set()
    for item in body["files"]:
        name = item.get("name") if isinstance(item, dict) else None
        if not _safe_name(name) or name in listed:
            raise BundleRejected("export.name_bad", name=str(name)[:80])
        listed.add(name)
        target = folder / name
        if target.is_symlink():  # a link could point anywhere on the township's disk
            raise BundleRejected("export.name_bad", name=name)
        if not target.is_file():
            raise BundleRejected("export.file_missing", name=name)
        if target.stat().st_size != item.get("size") or sha256_file(target) != item.get("sha256"):
            raise BundleRejected("export.file_changed", name=name)
    for entry in folder.iterdir():
        if entry.name != MANIFEST and entry.name not in listed:
            raise BundleRejected("export.file_extra", name=entry.name[:80])
    return manifest
