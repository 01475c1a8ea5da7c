"""Revoking passes: one of this station's, and the lists that travel between stations (exported
with the day's bundle, imported from others)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from checkpoint.domain import clock, passes
from checkpoint.errors import InputError, RefusedError
from checkpoint.exchange import formats
from checkpoint.exchange.key_files import read_json_file
from checkpoint.services.accounts import Account, require
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import passes as pass_store

MAX_REVOCATION_FILE = 16 * 1024 * 1024


def revoke_pass(store: Store, by: Account, number: str, reason: str, now: dt.datetime | None = None) -> dict:
    """Revoke pass `number` here (audited, and carried to the township in the next export); returns
    the pass row. Raises RefusedError when `by` may not revoke or it is revoked already, InputError
    for a missing or long reason or an unknown number."""
    require(by, "pass.revoke")
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise InputError("pass.revoke_reason", field="reason")
    row = pass_store.pass_by_number(store, passes.normalize_number(number))
    if row is None:
        raise InputError("verdict.why_unknown_pass", field="number", number=number)
    now = now or clock.utc_now()
    with store.write():
        added = pass_store.add_revocation(store, row["key_id"], row["number"], reason,
                                          now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"), by.id, "local")
    if added is None:
        raise RefusedError("pass.already_revoked", number=row["number"])
    return row


def import_revocations(store: Store, by: Account | None, path: Path) -> tuple[int, int]:
    """Other stations' revocations: (added, already known). The whole file or nothing.
    Raises RefusedError when `by` may not revoke passes, InputError for a file that is
    missing, too large or not a revocations file."""
    if by is not None:
        require(by, "pass.revoke")
    p = Path(path)
    items = read_json_file(p, formats.REVOCATIONS, MAX_REVOCATION_FILE, "pass.revocations_bad").get("revocations")
    if not isinstance(items, list):
        raise InputError("pass.revocations_bad", field="file", path=str(p))
    rows = []
    for item in items:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k) for k in
                                                 ("key_id", "pass_number", "revoked_at")):
            raise InputError("pass.revocations_bad", field="file", path=str(p))
        rows.append((item["key_id"][:16], item["pass_number"][:40], str(item.get("reason", ""))[:200],
                     item["revoked_at"][:40]))
    added = 0
    with store.write():
        for key_id, number, reason, at in rows:
            if pass_store.add_revocation(store, key_id, number, reason, at, by.id if by else None, "imported"):
                added += 1
    return added, len(rows) - added


def export_revocations(store: Store, path: Path) -> int:
    """Write every revocation this station knows to the JSON file `path`; returns how many. Raises
    DatabaseError when the station is not set up, OSError when the file cannot be written."""
    items = pass_store.all_revocations(store)
    data = {"format": formats.REVOCATIONS, "version": 1, "station": require_station(store).code,
            "revocations": items}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return len(items)
