# Long on purpose (#17): one job, the day's bundle made as one all-or-nothing step (read, render, seal, sign, zip, rename, undo).
"""The daily export (日报 bundle): one folder and one .zip per station and day, for the township.

    <out>/<station>-<YYYY-MM-DD>-r<N>/      readable: report.md, revocations.json, station-key.json,
    <out>/<station>-<YYYY-MM-DD>-r<N>.zip    summary.json; sealed to the township: ledger.csv.enc,
                                             ledger.xlsx.enc, report.docx.enc, follow-up.csv.enc,
                                             follow-up.xlsx.enc (every other file); manifest.json
                                             (size + SHA-256 of each) and manifest.sig (Ed25519 over
                                             manifest.json's exact bytes)

Files are made from the database, never the other way round. A re-export is the next revision
(r2, r3 ...), never an overwrite: the township keeps the newest one of a station-day. Everything is
written into a hidden folder beside the target and renamed into place at the end, in the same
transaction as the audit row, so an error leaves no half-written bundle and no audit row claiming one.

Which files stay readable is one list, READABLE: any other file a later change adds to the bundle
is sealed to the township's key, so a new file that names a person cannot reach the stick in plain.
"""

from __future__ import annotations

import datetime as dt
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
from checkpoint.exchange import formats
from checkpoint.exchange.signature import MANIFEST, SIGNATURE, sha256_file
from checkpoint.domain import clock
from checkpoint.services import settings
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

DEFAULT_DIR = "exports"
# The files that stay readable on the stick: counts, the zero report, revocations, the station's public
# key. They name nobody (report.md gives the follow-up people by village and count only). Every
# other file is sealed to the township's key.
READABLE = frozenset({"report.md", "revocations.json", "station-key.json", "summary.json"})
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
    sealed: tuple[str, ...] = ()        # the files sealed to the township (their names before .enc)
    local_copy: Path | None = None      # the readable copy asked for with local_copy=

    @property
    def plain(self) -> bool:
        """Written without encryption (asked for with plain=True): the personal files are readable."""
        return not self.sealed


def default_out_dir(store: Store) -> Path:
    """The `export-dir` setting when set, else exports/ in the folder the program runs from."""
    configured = settings.text_setting(store, "export-dir")
    return Path(configured) if configured else Path.cwd() / DEFAULT_DIR


def exported(store: Store, day: str) -> bool:
    """Whether `day` (YYYY-MM-DD) has been exported at least once."""
    return bool(report_store.export_revisions(store, day))


def report_due(store: Store, now: dt.datetime | None = None) -> str | None:
    """Today's date when the report cut-off (setting report-cutoff, default 17:00) has passed and
    today's bundle is not made yet: the desk shows a banner until it is.
    Raises DatabaseError when the station is not set up."""
    station = require_station(store)
    local = clock.local(now or clock.utc_now(), station.tz)
    hours, minutes = (int(x) for x in settings.text_setting(store, "report-cutoff").split(":"))
    if (local.hour, local.minute) < (hours, minutes):
        return None
    day = local.date().isoformat()
    return None if exported(store, day) else day


def bundle_name(code: str, day: str, revision: int) -> str:
    """The folder (and zip) name of a day's bundle: CODE-YYYY-MM-DD-rN."""
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
    from checkpoint.exchange import tables
    from checkpoint.exchange.follow_up_xlsx import write_follow_up_xlsx
    from checkpoint.exchange.report_docx import write_daily_docx
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
    (folder / "report.md").write_text(daily_report.render_markdown(report, station_info, revision, tables.zh,
                                                                   personal=False), encoding="utf-8")
    write_daily_docx(folder / "report.docx", report, station_info, revision, tables.zh)   # exchange/report_docx.py
    step()
    follow_up = tables.follow_up_table(daily_report.follow_up_rows(data.persons), tz)
    tables.write_csv(folder / "follow-up.csv", follow_up)
    write_follow_up_xlsx(folder / "follow-up.xlsx", follow_up)   # IDs and phones as text: exchange/follow_up_xlsx.py
    step()
    passes.export_revocations(store, folder / "revocations.json")
    keys.export_public_key(store, folder / "station-key.json")
    step()
    _write_json(folder / "summary.json", {
        "format": formats.DAILY_SUMMARY, "version": formats.DAILY_VERSION, "station": station_info, "date": day,
        "revision": revision, "zero_report": report.zero_report,
        "exported_at": now.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
        "exported_by": by.name if by else None, "key_id": key_row["key_id"],
        "software": {"name": "checkpoint", "version": _software_version()}, "counts": report.counts(),
        # the audit chain's head when the bundle was made: the township refuses a later bundle whose
        # head is behind it, and `audit verify --anchor` checks the station's chain still holds it
        "audit_head": report_store.audit_head(store)})
    step()
    return sorted(p.name for p in folder.iterdir())


def _seal(folder: Path, names: list[str], recipient: bytes) -> tuple[list[str], list[str]]:
    """Encrypt every file not in READABLE to the township (`name` becomes `name.enc`).
    Returns (the bundle's file names now, the names sealed)."""
    from checkpoint.exchange import sealed

    sealed_names = [n for n in names if n not in READABLE]
    for name in sealed_names:
        sealed.seal_file(folder / name, folder / f"{name}{sealed.SUFFIX}", recipient, name)
        (folder / name).unlink()
    return sorted(p.name for p in folder.iterdir()), sealed_names


def _sign_manifest(folder: Path, names: list[str], station, day: str, revision: int, key_row: dict,
                   recipient: bytes | None) -> None:
    from checkpoint.exchange import sealed, signature
    from checkpoint.services import keys

    body = {"format": formats.DAILY_MANIFEST, "version": formats.DAILY_VERSION, "station_code": station.code, "date": day,
            "revision": revision, "key_id": key_row["key_id"],
            "encryption": None if recipient is None else {"scheme": sealed.SCHEME,
                                                          "recipient": sealed.recipient_id(recipient)},
            "files": signature.file_entries(folder, names)}
    signature.write_signed(folder, body, key_row["key_id"], keys.signer(key_row))


def _zip(folder: Path, name: str, target: Path) -> None:
    import zipfile

    # The archive holds the folder itself, so unpacking it anywhere gives the same named folder.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{name}/{path.name}")


@dataclass(frozen=True)
class _Sealing:
    """How this export treats the files that name a person."""

    recipient: bytes | None        # the township's X25519 public key; None = written plain (asked for)
    local_copy: Path | None        # folder for the leader's readable copy, or None


def export_day(store: Store, day: str | dt.date, out_dir: Path | str | None = None,
               progress: Progress | None = None, *, by: Account | None = None,
               now: dt.datetime | None = None, plain: bool = False,
               local_copy: Path | str | None = None) -> ExportResult:
    """Write the bundle of `day` (local date) and return where it went.

    `by` is the leader exporting (checked and recorded); None only from tests and the township's
    own tooling. Every file that names a person is sealed to the township's encryption key, which
    the station has from the township's key file or bundle; `plain=True` writes them readable
    instead (the caller warns). `local_copy` is a folder (not inside the bundle's folder) that gets
    a readable copy of every file for the station leader.

    Raises InputError for a bad or future date and an unusable folder, RefusedError when the
    station has no township key and `plain` is not given.
    """
    from checkpoint.domain import daily_report
    from checkpoint.services import keys
    from checkpoint.services.township_import import encryption_key
    from checkpoint.services.signoff import signoff_of

    if by is not None:
        require(by, "export.day")
    station = require_station(store)
    now = now or clock.utc_now()
    the_day = day if isinstance(day, dt.date) else clock.parse_day(day)
    today = clock.local(now, station.tz).date()
    if the_day > today:
        raise InputError("export.future", field="date", day=the_day.isoformat(), today=today.isoformat())
    recipient = None if plain else encryption_key(store)
    if recipient is None and not plain:
        raise RefusedError("exchange.no_township_key")
    day_text = the_day.isoformat()
    out = _prepare_out(out_dir, store)
    sealing = _Sealing(recipient, _prepare_local_copy(local_copy, out) if local_copy is not None else None)
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
        result = _attempt(store, out, name, data, report, station, day_text, revision, key_row, by, now, step,
                          sealing)
        if result is not None:
            if progress is not None:
                progress(total, total)
            return result
        done[0] = 0
    raise RefusedError("export.busy")


def _prepare_local_copy(folder: Path | str, out: Path) -> Path:
    """The local copy's folder, made if needed; refused inside the export folder or above it (on a
    stick given as --out, either would put the readable copy on the stick)."""
    path = Path(folder).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
        path = path.resolve()
    except OSError as exc:
        raise InputError("export.out_unusable", field="local_copy", path=str(folder),
                         detail=exc.strerror or str(exc)) from None
    if path == out or out in path.parents or path in out.parents:
        raise InputError("exchange.local_copy_on_stick", field="local_copy", path=str(path), out=str(out))
    return path


def _attempt(store: Store, out: Path, name: str, data: _Day, report: daily_report.DailyReport, station,
             day: str, revision: int, key_row: dict, by: Account | None, now: dt.datetime,
             step: Callable[[], None], sealing: _Sealing) -> ExportResult | None:
    """One try at writing revision `revision`; None when somebody took that revision meanwhile."""
    final, final_zip = out / name, out / f"{name}.zip"
    final_copy = sealing.local_copy / name if sealing.local_copy is not None else None
    moved: list[Path] = []
    work = zip_tmp = copy_tmp = None
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=out))
        names = _write_files(store, work, data, report, station, day, revision, key_row, by, now, step)
        if sealing.local_copy is not None:
            copy_tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=sealing.local_copy))
            for n in names:
                shutil.copyfile(work / n, copy_tmp / n)
        sealed_names: list[str] = []
        if sealing.recipient is not None:
            names, sealed_names = _seal(work, names, sealing.recipient)
        _sign_manifest(work, names, station, day, revision, key_row, sealing.recipient)
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
            if revision in report_store.export_revisions(store, day) or final.exists() or final_zip.exists() \
                    or (final_copy is not None and final_copy.exists()):
                return None
            audit.append(store, "export.day", by.id if by else None, detail={
                "day": day, "revision": revision, "folder": name, "persons": report.persons,
                "zero_report": report.zero_report, "manifest_sha256": sha256_file(work / MANIFEST),
                "sealed": bool(sealed_names), "local_copy": str(final_copy) if final_copy else None})
            os.rename(work, final)
            moved.append(final)
            os.rename(zip_tmp, final_zip)
            moved.append(final_zip)
            if copy_tmp is not None and final_copy is not None:
                os.rename(copy_tmp, final_copy)  # owner-only, as mkdtemp made it: it names people
                moved.append(final_copy)
    except OSError as exc:
        _undo(moved)
        raise InputError("export.failed", detail=f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None
    except BaseException:
        _undo(moved)
        raise
    finally:
        for leftover in (work, copy_tmp):
            if leftover is not None and leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)
        if zip_tmp is not None and zip_tmp.exists():
            zip_tmp.unlink()
    return ExportResult(final, final_zip, day, revision, station.code, report.zero_report, report.counts(),
                        tuple([*names, MANIFEST, SIGNATURE]), tuple(sealed_names), final_copy)


def _undo(moved: list[Path]) -> None:
    """Remove what this attempt put in place (never anything that was there before it)."""
    for path in moved:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()


# ---- checking a bundle written here (the audit anchor check uses it) -----------------------------
def verify_manifest(folder: Path | str, public_key: bytes) -> dict:
    """Check a bundle folder against its manifest, its signature over the manifest's exact bytes
    and the station's public key (32 raw bytes).

    Returns the manifest when the signature holds and every file is there, unchanged, with nothing
    extra; raises BundleRejected naming the first thing wrong otherwise (a bundle of the previous
    format, signed inside its manifest, is refused with a sentence saying so).
    """
    from checkpoint.exchange import signature

    return signature.verify_folder(Path(folder), formats.DAILY_MANIFEST, public_key)
