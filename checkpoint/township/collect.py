# Long on purpose (#17): one job, a bundle checked whole and then written in one transaction; the checks are what the township trusts.
"""Collecting the stations' daily bundles at the township (`checkpoint township collect`).

Every bundle is checked whole before anything of it is written: the station and its key are
registered and not revoked, the manifest signature holds, every file is there unchanged with
nothing extra and nothing oversized, the text files are UTF-8, the summary agrees with the
manifest, the day is not in the future. Then one transaction writes it, or nothing does.

Idempotent: the same revision with the same manifest changes nothing. A newer revision replaces
the station day's report; an older one is noted and ignored. The same revision with DIFFERENT
content means the day was exported on two laptops: rejected, the township keeps what it had.
"Same" and "different" are decided on manifest.json's bytes, which are exactly what was signed.

The follow-up list arrives sealed to the township's encryption key (follow-up.csv.enc) and is
decrypted into a temporary folder of our own; a bundle a station wrote with --plain is accepted and
its line says so. Each bundle carries the station's audit head (sequence and hash): a bundle made
after one already collected whose head is behind it, or a head with a known sequence but another
hash, means the station's audit log lost rows or was rewritten, and is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from checkpoint.database import audit_chain
from checkpoint.domain import clock
from checkpoint.domain import township_report as rules
from checkpoint.errors import CheckpointError, InputError
from checkpoint.exchange import BundleRejected, bundle_io, formats, sealed, signature
from checkpoint.exchange.signature import MANIFEST
from checkpoint.exchange.tables import zh
from checkpoint.i18n import t
from checkpoint.township import store as store_township
from checkpoint.township.office import require_township
from checkpoint.township.schema import TownshipStore

NEW, REPLACED, SAME, OLDER, REJECTED = "new", "replaced", "same", "older", "rejected"
FOLLOW_UP_FILE = "follow-up.csv"
_TEXT_SUFFIXES = (".csv", ".md", ".json")
_FOLLOW_UP_COLUMNS = ("address", "name", "doc_type", "doc_no", "phone", "disposition", "fever", "temp",
                      "recheck_temp", "time")
MAX_FOLLOW_UP = 100_000


@dataclass(frozen=True)
class Outcome:
    source: str
    status: str
    station: str = ""
    day: str = ""
    revision: int = 0
    previous: int = 0
    zero_report: bool = False
    reason: str = ""
    plain: bool = False   # the station wrote its personal files without encryption (--plain)

    @property
    def accepted(self) -> bool:
        return self.status != REJECTED

    @property
    def line(self) -> str:
        """One line for the person collecting: what happened to this bundle, and why."""
        if self.status == REJECTED:
            return t("township.collect_rejected", source=self.source, reason=self.reason)
        line = t(f"township.collect_{self.status}", source=self.source, station=self.station, day=self.day,
                 revision=self.revision, previous=self.previous,
                 zero=t("township.zero_mark") if self.zero_report else "")
        return line + t("exchange.collect_plain") if self.plain else line


@dataclass(frozen=True)
class _Checked:
    station_id: int
    station: str
    day: str
    revision: int
    manifest_sha256: str
    exported_at: str
    zero_report: bool
    counts: dict
    follow_up: list[dict]
    revocations: list[tuple[str, str, str, str]]
    audit_seq: int
    audit_hash: str
    plain: bool


def collect(store: TownshipStore, paths: list[Path | str], now: dt.datetime | None = None,
            progress=None) -> list[Outcome]:
    """Collect every bundle found under `paths`; one Outcome per bundle, in the order found.
    Raises InputError only when a path does not exist or holds no bundle at all."""
    require_township(store)
    now = now or clock.utc_now()
    found = bundle_io.find_bundles(list(paths))
    outcomes = []
    for index, path in enumerate(found, start=1):
        outcomes.append(collect_one(store, path, now))
        if progress is not None:
            progress(index, len(found))
    return outcomes


def collect_one(store: TownshipStore, path: Path, now: dt.datetime | None = None) -> Outcome:
    """Check and file one station bundle (folder or zip) at `path`; returns its Outcome. Never
    raises for a bad bundle: a rejected one is an Outcome with the reason in words."""
    source = path.name
    now = now or clock.utc_now()
    try:
        with bundle_io.opened(path) as folder:
            checked = _check(store, folder, now)
            return _write(store, checked, source)
    except BundleRejected as exc:
        return Outcome(source, REJECTED, reason=exc.message)
    except CheckpointError as exc:  # a database problem is this bundle's problem, said in words
        return Outcome(source, REJECTED, reason=exc.message)


# ---- checking -------------------------------------------------------------------------------------------
def open_readable(store: TownshipStore, path: Path, out: Path, now: dt.datetime | None = None) -> Path:
    """Check one station bundle as `collect` does and write its files, the sealed ones decrypted,
    into a new folder `out/<bundle name>` for the clerk; nothing is collected. Returns the folder.
    Raises InputError (no such bundle, several, the folder exists) or BundleRejected; audited."""
    require_township(store)
    found = bundle_io.find_bundles([path])
    if len(found) > 1:
        raise InputError("township_import.several", path=str(path), count=len(found))
    source = found[0]
    target = Path(out).expanduser() / (source.stem if source.suffix.lower() == ".zip" else source.name)
    if target.exists():
        raise InputError("exchange.open_exists", path=str(target))
    with bundle_io.opened(source) as folder:
        checked = _check(store, folder, now or clock.utc_now(), keep=target)
    with store.write():
        audit_chain.append(store, "bundle.open", None, detail={"station": checked.station, "day": checked.day,
                                                         "revision": checked.revision, "folder": str(target)})
    return target


def _check(store: TownshipStore, folder: Path, now: dt.datetime, keep: Path | None = None) -> _Checked:
    claimed = bundle_io.read_manifest(folder, formats.DAILY_MANIFEST)
    code, key_id = str(claimed.manifest.get("station_code") or "")[:40], claimed.key_id[:40]
    key = store_township.key_by_id(store, key_id)
    if key is None:
        if store_township.station_by_code(store, code) is not None:
            raise BundleRejected("township.key_unknown", code=code, key_id=key_id)
        raise BundleRejected("township.station_unregistered", code=code or "?")
    if key["station_code"] != code:
        raise BundleRejected("township.key_other_station", key_id=key_id, code=key["station_code"])
    if key["revoked_at"]:
        raise BundleRejected("township.station_revoked_bundle", code=code, at=key["revoked_at"][:10],
                             reason=key["revoked_reason"] or "-")
    manifest = signature.verify_claimed(folder, claimed, key["public_key"])
    day, revision = _day_and_revision(manifest)
    town = require_township(store)
    today = clock.local(now, town.tz).date()
    if dt.date.fromisoformat(day) > today:
        raise BundleRejected("township.future", day=day, today=today.isoformat())
    summary = bundle_io.read_json(folder / "summary.json", formats.DAILY_SUMMARY)
    counts, zero, exported_at = _summary(summary, code, day, revision, key_id)
    seq, head = _audit_head(summary)
    with bundle_io.scratch() as opened:
        plain = _open_sealed(store, folder, manifest, opened)
        for name in sorted(p.name for p in opened.iterdir()):
            if name.endswith(_TEXT_SUFFIXES):
                bundle_io.check_text(opened / name)
        follow_up = _follow_up(opened / FOLLOW_UP_FILE)
        revocations = _revocations(opened / "revocations.json")
        if keep is not None:
            try:
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copytree(opened, keep)
            except OSError as exc:
                shutil.rmtree(keep, ignore_errors=True)
                raise InputError("export.out_unusable", path=str(keep), detail=exc.strerror or str(exc)) from None
    return _Checked(key["station_id"], code, day, revision, bundle_io.sha256_of(folder / MANIFEST), exported_at,
                    zero, counts, follow_up, revocations, seq, head, plain)


def _open_sealed(store: TownshipStore, folder: Path, manifest: dict, target: Path) -> bool:
    """Put every file of the bundle, readable, into `target`: sealed ones decrypted with the
    township's encryption keys (the current one and any it replaced), the others copied. Returns
    True when the bundle was written plain (no encryption declared)."""
    encryption = manifest.get("encryption")
    names = [item["name"] for item in manifest["files"]]
    if encryption is not None and (not isinstance(encryption, dict) or encryption.get("scheme") != sealed.SCHEME):
        raise BundleRejected("export.manifest_format")
    private_keys = store_township.encryption_private_keys(store) if encryption else []
    for name in names:
        if name.endswith(sealed.SUFFIX):
            if not encryption:
                raise BundleRejected("export.manifest_format")
            plain_name = name[:-len(sealed.SUFFIX)]
            sealed.open_file(folder / name, target / plain_name, private_keys, plain_name, bundle_io.MAX_MEMBER)
        else:
            shutil.copyfile(folder / name, target / name)
    return encryption is None


def _audit_head(summary: dict) -> tuple[int, str]:
    head = summary.get("audit_head")
    seq = head.get("seq") if isinstance(head, dict) else None
    value = head.get("hash") if isinstance(head, dict) else None
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1 or not isinstance(value, str) \
            or len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise BundleRejected("exchange.audit_head_bad")
    return seq, value


def _day_and_revision(manifest: dict) -> tuple[str, int]:
    day, revision = manifest.get("date"), manifest.get("revision")
    try:
        dt.date.fromisoformat(str(day))
    except ValueError:
        raise BundleRejected("export.manifest_format") from None
    if not isinstance(revision, int) or isinstance(revision, bool) or not 1 <= revision <= 1_000_000:
        raise BundleRejected("export.manifest_format")
    return str(day), revision


def _summary(summary: dict, code: str, day: str, revision: int, key_id: str) -> tuple[dict, bool, str]:
    station = summary.get("station") if isinstance(summary.get("station"), dict) else {}
    counts = summary.get("counts")
    if (station.get("code") != code or summary.get("date") != day or summary.get("revision") != revision
            or summary.get("key_id") != key_id or not isinstance(counts, dict)
            or not isinstance(summary.get("zero_report"), bool)):
        raise BundleRejected("township.summary_mismatch")
    try:
        exported = dt.datetime.fromisoformat(str(summary.get("exported_at")))
    except ValueError:
        raise BundleRejected("township.summary_mismatch") from None
    if exported.tzinfo is None:
        raise BundleRejected("township.summary_mismatch")
    return counts, summary["zero_report"], exported.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def _follow_up(path: Path) -> list[dict]:
    """The follow-up list's rows (full contact details: the township reaches these people)."""
    wanted = {zh(f"export.col.{c}"): c for c in _FOLLOW_UP_COLUMNS}
    rows = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None or not {"address", "name", "doc_no"} <= {wanted.get(h) for h in header}:
                raise BundleRejected("township.csv_bad", name=path.name)
            index = {wanted[h]: i for i, h in enumerate(header) if h in wanted}
            for record in reader:
                if not record:
                    continue
                if len(record) != len(header) or len(rows) >= MAX_FOLLOW_UP:
                    raise BundleRejected("township.csv_bad", name=path.name)
                value = {c: record[i].strip()[:200] if i is not None else "" for c, i in
                         ((c, index.get(c)) for c in _FOLLOW_UP_COLUMNS)}
                rows.append({"village": rules.village_of(value["address"]), "address": value["address"],
                             "name": value["name"], "doc_type": value["doc_type"], "doc_no": value["doc_no"],
                             "phone": value["phone"], "disposition": value["disposition"], "fever": value["fever"],
                             "temp": value["temp"], "recheck_temp": value["recheck_temp"], "recorded": value["time"]})
    except FileNotFoundError:
        raise BundleRejected("export.file_missing", name=path.name) from None
    except (csv.Error, UnicodeDecodeError):
        raise BundleRejected("township.csv_bad", name=path.name) from None
    return rows


def _revocations(path: Path) -> list[tuple[str, str, str, str]]:
    data = bundle_io.read_json(path, formats.REVOCATIONS)
    items = data.get("revocations")
    if not isinstance(items, list):
        raise BundleRejected("township.json_bad", name=path.name)
    result = []
    for item in items:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k)
                                                 for k in ("key_id", "pass_number", "revoked_at")):
            raise BundleRejected("township.json_bad", name=path.name)
        result.append((item["key_id"][:16], item["pass_number"][:40], str(item.get("reason", ""))[:200],
                       item["revoked_at"][:40]))
    return result


# ---- writing (one transaction) -------------------------------------------------------------------------
def _write(store: TownshipStore, c: _Checked, source: str) -> Outcome:
    with store.write():
        seen = store_township.received(store, c.station_id, c.day, c.revision)
        if seen is not None:
            if seen["manifest_sha256"] == c.manifest_sha256:
                return Outcome(source, SAME, c.station, c.day, c.revision, zero_report=c.zero_report, plain=c.plain)
            raise BundleRejected("township.two_laptops", code=c.station, day=c.day, revision=c.revision)
        _check_head(store, c)
        current = store_township.current_report(store, c.station_id, c.day)
        received_id = store_township.add_received(store, c.station_id, c.day, c.revision, c.manifest_sha256,
                                                  c.exported_at, source[:200], c.audit_seq, c.audit_hash)
        for key_id, number, reason, at in c.revocations:
            store_township.add_revocation(store, key_id, number, reason, at, c.station_id)
        if current is not None and current["revision"] > c.revision:
            return Outcome(source, OLDER, c.station, c.day, c.revision, current["revision"], c.zero_report,
                           plain=c.plain)
        first = store_township.first_exported_at(store, c.station_id, c.day) or c.exported_at
        store_township.put_report(store, c.station_id, c.day, c.revision, received_id, c.zero_report,
                                  c.exported_at, first, c.counts, c.follow_up)
    if current is None:
        return Outcome(source, NEW, c.station, c.day, c.revision, zero_report=c.zero_report, plain=c.plain)
    return Outcome(source, REPLACED, c.station, c.day, c.revision, current["revision"], c.zero_report,
                   plain=c.plain)


def _check_head(store: TownshipStore, c: _Checked) -> None:
    """Refuse a bundle whose audit head contradicts one already collected from the station: the
    same sequence with another hash (the chain was rewritten), or a head behind that of a bundle
    made before it (rows were cut from the end of the chain). "Made before" is a lower revision of
    the same day, or, across days, an earlier exported_at (the station's signed clock)."""
    for seen in store_township.audit_heads(store, c.station_id):
        if seen["audit_seq"] == c.audit_seq and seen["audit_hash"] != c.audit_hash:
            raise BundleRejected("exchange.audit_head_forked", seq=c.audit_seq, day=seen["day"],
                                 revision=seen["revision"])
        later = (c.revision > seen["revision"]) if c.day == seen["day"] else c.exported_at > seen["exported_at"]
        if later and c.audit_seq < seen["audit_seq"]:
            raise BundleRejected("exchange.audit_head_behind", seq=c.audit_seq, seen=seen["audit_seq"],
                                 day=seen["day"], revision=seen["revision"])
