"""Accounts: adding, listing, disabling, and checking a PIN (argon2 hashes, lockout after 5
wrong PINs for 5 minutes)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from checkpoint.domain import roles
from checkpoint.errors import InputError, RefusedError
from checkpoint.i18n import t
from checkpoint.store import Store
from checkpoint.store import staff as staff_store
from checkpoint.domain.clock import utc_now

MAX_WRONG_PINS = 5
LOCK_MINUTES = 5
_PIN = re.compile(r"^[0-9]{4,8}$")
# OWASP's argon2id minimum (19 MiB, 2 passes): a 4–8 digit PIN is protected by the lockout, and the
# library default (64 MiB) tripled the desk's memory at login. Old hashes keep their own parameters.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@dataclass(frozen=True)
class Account:
    """The person acting: recorded on everything they write."""

    id: int
    name: str
    role: str

    @property
    def role_label(self) -> str:
        return t(f"role.{self.role}")

    def may(self, action: str) -> bool:
        return roles.allowed(self.role, action)


def _plain_pin(pin: str) -> str:
    # Full-width digits (an input method left in full-width mode) are the same PIN as ASCII ones.
    return unicodedata.normalize("NFKC", pin or "")


def check_pin_format(pin: str) -> None:
    """Raises InputError (account.pin_format) unless `pin` is 4 to 8 digits (full-width digits count)."""
    if not _PIN.fullmatch(_plain_pin(pin)):
        raise InputError("account.pin_format", field="pin")


def check_name(name: str) -> str:
    """`name` trimmed, as an account's name is kept. Raises InputError when it is empty, longer
    than 40 characters or holds a control character."""
    n = (name or "").strip()
    if not n:
        raise InputError("account.name_required", field="name")
    if len(n) > 40 or not n.isprintable():
        raise InputError("text.too_long", field="name", limit=40)
    return n


def hash_pin(pin: str) -> str:
    """The argon2 hash of `pin`, as kept in the staff table. Raises InputError for a PIN of the wrong form."""
    check_pin_format(pin)
    return _hasher.hash(_plain_pin(pin))


def require(account: Account, action: str) -> None:
    """Raises RefusedError (account.not_allowed, naming the roles that may) unless `account` may do
    `action` (a permission of domain.roles)."""
    if not account.may(action):
        needed = "、".join(t(f"role.{r}") for r in roles.needed_roles(action))
        raise RefusedError("account.not_allowed", name=account.name, role=account.role_label, needed=needed)


def add_staff(store: Store, name: str, role: str, pin: str, by: Account | None) -> Account:
    """Add an account. `by` is None only at station setup or from the shell (recorded as such).
    Returns the new Account. Raises RefusedError when `by` may not manage staff,
    InputError for a bad name or PIN, a name taken or an unknown role."""
    if by is not None:
        require(by, "staff.manage")
    name = check_name(name)
    if role not in roles.ROLES:
        raise InputError("account.role_unknown", field="role", value=role)
    pin_hash = hash_pin(pin)
    with store.write():
        if staff_store.by_name(store, name):
            raise InputError("account.name_taken", field="name", name=name)
        staff_id = staff_store.add(store, name, role, pin_hash, by.id if by else None)
    return Account(staff_id, name, role)


def list_staff(store: Store, active_only: bool = False) -> list[dict]:
    """Every account (only the active ones if `active_only`): id, name, role, active, locked_until."""
    return [{"id": r["id"], "name": r["name"], "role": r["role"], "active": bool(r["active"]),
             "locked_until": r["locked_until"]} for r in staff_store.all_staff(store, active_only)]


def disable_staff(store: Store, name: str, by: Account | None) -> None:
    """Disable the account called `name`, audited as done by `by` (None: the command line without
    a login). Raises RefusedError when `by` may not manage staff or it is the last active leader,
    InputError for an unknown name."""
    if by is not None:
        require(by, "staff.manage")
    with store.write():
        row = staff_store.by_name(store, name)
        if row is None:
            raise InputError("account.unknown", field="name", name=name)
        if row["role"] in ("leader", "admin") and row["active"] and staff_store.count_active_leaders(store) <= 1:
            raise RefusedError("account.last_admin")
        staff_store.set_active(store, row["id"], False, by.id if by else None)


def authenticate(store: Store, name: str, pin: str, now: dt.datetime | None = None) -> Account:
    """The account for name + PIN, or RefusedError (unknown, disabled, locked, wrong PIN).
    Raises InputError when no PIN is given."""
    now = now or utc_now()
    if not pin:
        raise InputError("account.pin_missing", field="pin")
    row = staff_store.by_name(store, (name or "").strip())
    if row is None:
        raise RefusedError("account.unknown", field="name", name=name)
    if not row["active"]:
        raise RefusedError("account.disabled", name=name)
    if row["locked_until"]:
        until = dt.datetime.fromisoformat(row["locked_until"])
        if until > now:
            minutes = max(1, int((until - now).total_seconds() + 59) // 60)
            raise RefusedError("account.locked", field="pin", minutes=minutes)
    try:
        _hasher.verify(row["pin_hash"], _plain_pin(pin))
    except (VerificationError, InvalidHashError):
        # Counted under the write lock, from the count as it is now (the hash check above takes a
        # while): two lanes guessing at once both count, and the lock is not lifted by either.
        # Committed before refusing: the count must survive the refusal.
        with store.write():
            fresh = staff_store.by_id(store, row["id"]) or row
            if fresh["locked_until"] and dt.datetime.fromisoformat(fresh["locked_until"]) > now:
                locks, failed = True, MAX_WRONG_PINS
            else:
                failed = int(fresh["failed_pins"] or 0) + 1
                locks = failed >= MAX_WRONG_PINS
                until = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat() if locks else None
                staff_store.record_pin_attempt(store, row["id"], 0 if locks else failed, until)
        if locks:
            raise RefusedError("account.locked", field="pin", minutes=LOCK_MINUTES) from None
        raise RefusedError("account.wrong_pin", field="pin", left=MAX_WRONG_PINS - failed) from None
    if row["failed_pins"] or row["locked_until"]:
        with store.write():
            fresh = staff_store.by_id(store, row["id"]) or row
            if fresh["locked_until"] and dt.datetime.fromisoformat(fresh["locked_until"]) > now:
                # another lane's wrong PINs locked the account while this PIN was being checked
                raise RefusedError("account.locked", field="pin", minutes=LOCK_MINUTES)
            staff_store.record_pin_attempt(store, row["id"], 0, None)
    return Account(row["id"], row["name"], row["role"])
