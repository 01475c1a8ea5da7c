"""Checking the audit chain (`checkpoint audit verify`), and the head a daily export carries so a
tail cut after that export is caught (`audit verify --anchor BUNDLE`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from checkpoint.errors import InputError, RefusedError
from checkpoint.i18n import t
from checkpoint.domain import clock
from checkpoint.services.accounts import Account, require
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import audit as audit_store
from checkpoint.store import audit_log as audit_log_store
from checkpoint.store.audit import ChainReport, Head

MAX_HEAD_FILE = 1 << 20   # a plain head file is a line of JSON


def verify_chain(store: Store, progress=None, anchor: Head | None = None) -> ChainReport:
    """The chain, every audited row, the derived tables and the kept head checked; with `anchor` (a
    head saved elsewhere, see `read_anchor`) also that the chain still holds that row unchanged."""
    return audit_store.verify(store, progress=progress, anchor=anchor)


def head(store: Store) -> dict:
    """The chain's newest row as a daily export carries it: {"seq": N, "hash": "<hex>"}."""
    h = audit_store.head(store)
    return {"seq": h.seq, "hash": h.hash}


def read_anchor(store: Store, path: Path | str) -> Head:
    """The head saved in `path`: a daily export bundle of this station (folder or .zip, its signature
    checked with this station's own keys, the head read from summary.json's `audit_head`), or a
    plain JSON file holding {"audit_head": {"seq": N, "hash": "..."}} (or the inner object alone).

    Raises InputError when the file is missing or not one of those, RefusedError when the bundle is
    not signed by this station or was changed."""
    path = Path(path).expanduser()
    if not path.exists():
        raise InputError("audit.anchor_missing", field="anchor", path=str(path))
    if path.is_file() and path.suffix.lower() == ".json":
        if path.stat().st_size > MAX_HEAD_FILE:
            raise InputError("audit.anchor_bad", field="anchor", path=str(path))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            raise InputError("audit.anchor_bad", field="anchor", path=str(path)) from None
        return _head_of(data.get("audit_head", data) if isinstance(data, dict) else None, path)
    return _head_of(_bundle_summary(store, path).get("audit_head"), path, from_bundle=True)


def _bundle_summary(store: Store, path: Path) -> dict:
    from checkpoint.exchange import BundleRejected, bundle_io, formats
    from checkpoint.services import export
    from checkpoint.store import passes as pass_store

    own = [k for k in pass_store.all_keys(store) if k["own"]]
    if path.is_file() and path.suffix.lower() != ".zip":
        raise InputError("audit.anchor_bad", field="anchor", path=str(path))
    try:
        with bundle_io.opened(path) as folder:
            reasons = []
            for key in own:   # an older own key (replaced since) signed older bundles
                try:
                    export.verify_manifest(folder, bytes(key["public_key"]))
                except BundleRejected as exc:
                    reasons.append(exc.message)
                    continue
                return bundle_io.read_json(folder / "summary.json", formats.DAILY_SUMMARY)
            raise RefusedError("audit.anchor_not_ours", reason=reasons[-1] if reasons else "-")
    except BundleRejected as exc:
        raise RefusedError("audit.anchor_not_ours", reason=exc.message) from None


def _head_of(value: object, path: Path, from_bundle: bool = False) -> Head:
    if value is None and from_bundle:
        raise InputError("audit.anchor_no_head", field="anchor")
    if not isinstance(value, dict):
        raise InputError("audit.anchor_bad", field="anchor", path=str(path))
    seq, digest = value.get("seq"), value.get("hash")
    if (not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 or not isinstance(digest, str)
            or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest)):
        raise InputError("audit.anchor_bad", field="anchor", path=str(path))
    return Head(seq, digest)


def verify_aside(store: Store, progress=None) -> ChainReport:
    """The check on a connection of its own, for a thread (a year's chain takes a while)."""
    with store.reader() as reader:
        return audit_store.verify(reader, progress=progress)


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: str
    staff: str
    action: str
    target: str
    detail: str


def count(store: Store, account: Account, action_prefix: str = "", staff_id: int | None = None) -> int:
    """How many audit rows there are, only those whose action starts with `action_prefix` and done by
    `staff_id` when given. Raises RefusedError when `account` may not read the audit."""
    require(account, "audit.read")
    return audit_log_store.audit_count(store, action_prefix.strip(), staff_id)


def page(store: Store, account: Account, offset: int, limit: int, action_prefix: str = "",
         staff_id: int | None = None) -> list[AuditLine]:
    """`limit` audit rows from position `offset`, newest first, filtered as `count`, as lines (station
    time, who, action, target). Raises RefusedError when `account` may not read the audit,
    DatabaseError when the station is not set up."""
    require(account, "audit.read")
    tz = require_station(store).tz
    return [AuditLine(r["id"], clock.local(r["at"], tz).strftime("%Y-%m-%d %H:%M:%S"), r.get("staff_name") or "",
                      r["action"], f"{r['target_table']}#{r['target_id']}" if r["target_table"] else "",
                      r["detail"] if r["detail"] != "{}" else "")
            for r in audit_log_store.audit_page(store, offset, limit, action_prefix.strip(), staff_id)]


def describe(report: ChainReport) -> str:
    """A chain check's report in one sentence: whole with its row count, or where and why it breaks."""
    if report.whole:
        return t("audit.whole", count=report.rows)
    return t("audit.broken", row=report.broken_at, why=t(report.why, **dict(report.why_params)))
