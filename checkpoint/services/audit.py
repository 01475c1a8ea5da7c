"""Checking the audit chain (`checkpoint audit verify`)."""

from __future__ import annotations

from checkpoint.i18n import t
from checkpoint.store import Store
from checkpoint.store import audit as audit_store
from checkpoint.store.audit import ChainReport


def verify_chain(store: Store) -> ChainReport:
    return audit_store.verify(store)


def describe(report: ChainReport) -> str:
    if report.whole:
        return t("audit.whole", count=report.rows)
    return t("audit.broken", row=report.broken_at, why=t(report.why, **dict(report.why_params)))
