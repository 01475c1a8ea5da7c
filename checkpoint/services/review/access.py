"""Who may open the review."""

from __future__ import annotations

from checkpoint.errors import RefusedError
from checkpoint.services.accounts import Account
from checkpoint.services.settings import setting
from checkpoint.store import Store


def may_review(store: Store, account: Account) -> bool:
    """Whether `account` may read the review: a leader always, duty staff when the station's
    review-staff setting lets them (read-only: amending and unmasking have permissions of their own)."""
    if not account.may("review.read"):
        return False
    return account.role != "staff" or setting(store, "review-staff")


def require_review(store: Store, account: Account) -> None:
    """Raises RefusedError (review.not_allowed) unless `may_review`."""
    if not may_review(store, account):
        raise RefusedError("review.not_allowed")
