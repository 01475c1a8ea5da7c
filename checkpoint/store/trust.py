"""At a station: the township's key and the trust changes a township bundle brings (station keys
the township revoked). Keys are added through `store.passes.add_key`; this holds what it lacks."""

from __future__ import annotations

from checkpoint.store import audit
from checkpoint.database.file import now_utc
from checkpoint.store.connection import Store

TOWNSHIP_SOURCE = "township"   # keys.source of the township's own key
FROM_TOWNSHIP = "township-list"  # keys.source of station keys learnt from a township bundle
SERIAL_SETTING = "township_bundle_serial"  # settings key: the serial of the township bundle applied last


def township_key(store: Store) -> dict | None:
    """The township key entered at the first import (the newest, should there ever be two)."""
    return store.read_one("SELECT * FROM keys WHERE source = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1",
                          (TOWNSHIP_SOURCE,))


def revoke_key(store: Store, key_id: str, by: int | None) -> bool:
    """Mark a trusted (not own) key revoked: passes it signed are refused from now on."""
    row = store.read_one("SELECT id FROM keys WHERE key_id = ? AND own = 0 AND revoked_at IS NULL", (key_id,))
    if row is None:
        return False
    store.execute("UPDATE keys SET revoked_at = ? WHERE id = ?", (now_utc(), row["id"]))
    audit.append(store, "key.revoke", by, "keys", row["id"], {"key_id": key_id})
    return True
