"""Checking the audit chain (`checkpoint audit verify`)."""

from __future__ import annotations

from dataclasses import dataclass

from checkpoint.i18n import t
from checkpoint.services import clock
from checkpoint.services.accounts import Account, require
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import audit as audit_store
from checkpoint.store import review as review_store
from checkpoint.store.audit import ChainReport


def verify_chain(store: Store, progress=None) -> ChainReport:
    return audit_store.verify(store, progress=progress)


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


def require_reader(account: Account) -> None:
    require(account, "audit.read")


def count(store: Store, account: Account, action_prefix: str = "", staff_id: int | None = None) -> int:
    require(account, "audit.read")
    return review_store.audit_count(store, action_prefix.strip(), staff_id)


def page(store: Store, account: Account, offset: int, limit: int, action_prefix: str = "",
         staff_id: int | None = None) -> list[AuditLine]:
    require(account, "audit.read")
    tz = require_station(store).tz
    return [AuditLine(r["id"], clock.local(r["at"], tz).strftime("%Y-%m-%d %H:%M:%S"), r.get("staff_name") or "",
                      r["action"], f"{r['target_table']}#{r['target_id']}" if r["target_table"] else "",
                      r["detail"] if r["detail"] != "{}" else "")
            for r in review_store.audit_page(store, offset, limit, action_prefix.strip(), staff_id)]


def describe(report: ChainReport) -> str:
    if report.whole:
        return t("audit.whole", count=report.rows)
    return t("audit.broken", row=report.broken_at, why=t(report.why, **dict(report.why_params)))
