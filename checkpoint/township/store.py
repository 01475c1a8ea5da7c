"""The township's queries (镇防控办): registered stations and their keys, the daily reports
collected from them, the merged follow-up and revocation lists, the township's policy and its keys.
The only place with SQL for the township; every write is followed by its audit row.
"""

from __future__ import annotations

import json

from checkpoint.database import audit_chain
from checkpoint.database.file import now_utc
from checkpoint.township.schema import TownshipStore


# ---- the township itself ----------------------------------------------------------------------------
def township(store: TownshipStore) -> dict | None:
    return store.read_one("SELECT * FROM township WHERE id = 1")


def create_township(store: TownshipStore, name: str, tz: str, cutoff: str, key_id: str, public_key: bytes,
                    private_key: bytes) -> None:
    store.insert("township", {"id": 1, "name": name, "tz": tz, "cutoff": cutoff, "key_id": key_id,
                              "public_key": public_key, "private_key": private_key, "created_at": now_utc()})
    audit_chain.append(store, "township.init", None, detail={"name": name, "key_id": key_id})


def set_cutoff(store: TownshipStore, cutoff: str) -> None:
    store.execute("UPDATE township SET cutoff = ? WHERE id = 1", (cutoff,))
    audit_chain.append(store, "township.cutoff", None, detail={"cutoff": cutoff})


# ---- stations and their keys ------------------------------------------------------------------------
def station_by_code(store: TownshipStore, code: str) -> dict | None:
    return store.read_one("SELECT * FROM stations WHERE code = ?", (code,))


def add_station(store: TownshipStore, code: str, name: str, township_name: str) -> int:
    station_id = store.insert("stations", {"code": code, "name": name, "township": township_name,
                                           "registered_at": now_utc()})
    audit_chain.append(store, "station.register", None, "stations", station_id, {"code": code})
    return station_id


def rename_station(store: TownshipStore, station_id: int, name: str) -> None:
    store.execute("UPDATE stations SET name = ? WHERE id = ?", (name, station_id))
    audit_chain.append(store, "station.rename", None, "stations", station_id, {"name": name})


def key_by_id(store: TownshipStore, key_id: str) -> dict | None:
    return store.read_one("SELECT k.*, s.code AS station_code, s.name AS station_name FROM station_keys k "
                          "JOIN stations s ON s.id = k.station_id WHERE k.key_id = ?", (key_id,))


def add_station_key(store: TownshipStore, station_id: int, key_id: str, public_key: bytes, owner: str) -> int:
    row_id = store.insert("station_keys", {"key_id": key_id, "station_id": station_id, "public_key": public_key,
                                           "owner": owner, "added_at": now_utc()})
    audit_chain.append(store, "station.key_add", None, "station_keys", row_id, {"key_id": key_id})
    return row_id


def revoke_station_keys(store: TownshipStore, station_id: int, reason: str) -> int:
    """Mark every live key of the station revoked; returns how many."""
    rows = store.read("SELECT id, key_id FROM station_keys WHERE station_id = ? AND revoked_at IS NULL",
                      (station_id,))
    at = now_utc()
    for row in rows:
        store.execute("UPDATE station_keys SET revoked_at = ?, revoked_reason = ? WHERE id = ?",
                      (at, reason, row["id"]))
        audit_chain.append(store, "station.key_revoke", None, "station_keys", row["id"], {"key_id": row["key_id"]})
    return len(rows)


def stations(store: TownshipStore) -> list[dict]:
    """Every registered station with its live key count and the first day it reported."""
    return store.read(
        "SELECT s.*, (SELECT count(*) FROM station_keys k WHERE k.station_id = s.id AND k.revoked_at IS NULL) "
        "AS live_keys, (SELECT group_concat(k.key_id, ',') FROM station_keys k WHERE k.station_id = s.id "
        "AND k.revoked_at IS NULL) AS key_ids, (SELECT min(r.day) FROM reports r WHERE r.station_id = s.id) "
        "AS first_day FROM stations s ORDER BY s.code")


def all_station_keys(store: TownshipStore) -> list[dict]:
    return store.read("SELECT k.key_id, k.public_key, k.owner, k.revoked_at, k.revoked_reason, s.code AS "
                      "station_code, s.name AS station_name FROM station_keys k JOIN stations s ON "
                      "s.id = k.station_id ORDER BY s.code, k.id")


# ---- collected reports -----------------------------------------------------------------------------
def received(store: TownshipStore, station_id: int, day: str, revision: int) -> dict | None:
    return store.read_one("SELECT * FROM received WHERE station_id = ? AND day = ? AND revision = ?",
                          (station_id, day, revision))


def audit_heads(store: TownshipStore, station_id: int) -> list[dict]:
    """The audit heads of every bundle collected from the station (those from before heads travelled
    have none and are left out)."""
    return store.read("SELECT day, revision, exported_at, audit_seq, audit_hash FROM received "
                      "WHERE station_id = ? AND audit_seq IS NOT NULL ORDER BY id", (station_id,))


def current_report(store: TownshipStore, station_id: int, day: str) -> dict | None:
    return store.read_one("SELECT * FROM reports WHERE station_id = ? AND day = ?", (station_id, day))


def first_exported_at(store: TownshipStore, station_id: int, day: str) -> str | None:
    row = store.read_one("SELECT min(exported_at) AS at FROM received WHERE station_id = ? AND day = ?",
                         (station_id, day))
    return row["at"] if row else None


def add_received(store: TownshipStore, station_id: int, day: str, revision: int, manifest_sha256: str,
                 exported_at: str, source: str, audit_seq: int | None = None, audit_hash: str | None = None) -> int:
    row_id = store.insert("received", {"station_id": station_id, "day": day, "revision": revision,
                                       "manifest_sha256": manifest_sha256, "exported_at": exported_at,
                                       "collected_at": now_utc(), "source": source, "audit_seq": audit_seq,
                                       "audit_hash": audit_hash})
    audit_chain.append(store, "report.receive", None, "received", row_id,
                 {"station_id": station_id, "day": day, "revision": revision})
    return row_id


def put_report(store: TownshipStore, station_id: int, day: str, revision: int, received_id: int, zero_report: bool,
               exported_at: str, first_exported: str, counts: dict, follow_up: list[dict]) -> int:
    """Make this revision the station day's current report (its follow-up rows replace the old ones)."""
    store.execute("DELETE FROM reports WHERE station_id = ? AND day = ?", (station_id, day))
    report_id = store.insert("reports", {
        "station_id": station_id, "day": day, "revision": revision, "received_id": received_id,
        "zero_report": int(zero_report), "exported_at": exported_at, "first_exported_at": first_exported,
        "counts": json.dumps(counts, ensure_ascii=False, sort_keys=True), "collected_at": now_utc()})
    for row in follow_up:
        store.insert("follow_up", {**row, "report_id": report_id, "station_id": station_id, "day": day})
    audit_chain.append(store, "report.current", None, "reports", report_id,
                 {"station_id": station_id, "day": day, "revision": revision, "follow_up": len(follow_up)})
    return report_id


def reports_between(store: TownshipStore, first: str, last: str) -> list[dict]:
    rows = store.read("SELECT r.*, s.code AS station_code, s.name AS station_name FROM reports r "
                      "JOIN stations s ON s.id = r.station_id WHERE r.day BETWEEN ? AND ? ORDER BY r.day, s.code",
                      (first, last))
    for row in rows:
        row["counts"] = json.loads(row["counts"])
    return rows


def follow_up_on(store: TownshipStore, day: str) -> list[dict]:
    return store.read("SELECT f.*, s.code AS station_code, s.name AS station_name FROM follow_up f "
                      "JOIN stations s ON s.id = f.station_id WHERE f.day = ? ORDER BY f.village, f.recorded, f.id",
                      (day,))


def latest_day(store: TownshipStore) -> str | None:
    row = store.read_one("SELECT max(day) AS day FROM reports")
    return row["day"] if row else None


# ---- revocations ------------------------------------------------------------------------------------
def add_revocation(store: TownshipStore, key_id: str, number: str, reason: str, revoked_at: str,
                   station_id: int | None) -> bool:
    """Insert unless known; True when it was new."""
    cursor = store.execute(
        "INSERT OR IGNORE INTO revocations (key_id, pass_number, reason, revoked_at, station_id, collected_at) "
        "VALUES (?, ?, ?, ?, ?, ?)", (key_id, number, reason, revoked_at, station_id, now_utc()))
    return cursor.rowcount > 0


def all_revocations(store: TownshipStore) -> list[dict]:
    return store.read("SELECT key_id, pass_number, reason, revoked_at FROM revocations ORDER BY id")


# ---- policy and bundles ------------------------------------------------------------------------------
def current_policy(store: TownshipStore) -> dict | None:
    row = store.read_one("SELECT * FROM policy ORDER BY version DESC LIMIT 1")
    if row:
        row["key_areas"] = json.loads(row["key_areas"])
        row["rules"] = json.loads(row["rules"])
    return row


def add_policy(store: TownshipStore, key_areas: list[str], rules: dict, note: str) -> int:
    row = store.read_one("SELECT coalesce(max(version), 0) + 1 AS v FROM policy")
    version = int(row["v"]) if row else 1
    store.insert("policy", {"version": version, "key_areas": json.dumps(key_areas, ensure_ascii=False),
                            "rules": json.dumps(rules, ensure_ascii=False, sort_keys=True),
                            "created_at": now_utc(), "note": note})
    audit_chain.append(store, "policy.add", None, detail={"version": version})
    return version


def next_bundle_serial(store: TownshipStore) -> int:
    row = store.read_one("SELECT coalesce(max(serial), 0) + 1 AS n FROM bundles")
    return int(row["n"]) if row else 1


def add_bundle(store: TownshipStore, serial: int, issued_at: str, name: str, manifest_sha256: str) -> None:
    store.insert("bundles", {"serial": serial, "issued_at": issued_at, "name": name,
                             "manifest_sha256": manifest_sha256})
    audit_chain.append(store, "bundle.issue", None, detail={"serial": serial, "name": name})


# ---- retention ---------------------------------------------------------------------------------------
_FOLLOW_UP_PERSONAL = ("name", "doc_no", "phone", "address")


def follow_ups_to_purge(store: TownshipStore, before: str) -> int:
    row = store.read_one("SELECT count(*) AS n FROM follow_up WHERE day < ? AND "
                         "(name != '' OR doc_no != '' OR phone != '' OR address != '')", (before,))
    return int(row["n"]) if row else 0


def purge_follow_ups(store: TownshipStore, before: str) -> int:
    """Empty the contacts of follow-up people of days before `before` (the village and counts stay)."""
    with store.write():
        n = follow_ups_to_purge(store, before)
        store.execute("UPDATE follow_up SET name = '', doc_no = '', phone = '', address = '' WHERE day < ?",
                      (before,))
        audit_chain.append(store, "township.purge", None, detail={"before": before, "follow_up": n})
    return n


# ---- the township's keys: encryption, rotation ---------------------------------------------------------
def set_encryption_key(store: TownshipStore, public_key: bytes, private_key: bytes) -> None:
    store.execute("UPDATE township SET enc_public_key = ?, enc_private_key = ? WHERE id = 1",
                  (public_key, private_key))
    audit_chain.append(store, "township.encryption_key", None, detail={"public": public_key.hex()})


def encryption_private_keys(store: TownshipStore) -> list[bytes]:
    """The current X25519 private key and every one it replaced (bundles sealed before a rotation
    reached a station still open)."""
    rows = store.read("SELECT enc_private_key AS k FROM township WHERE id = 1 AND enc_private_key IS NOT NULL "
                      "UNION ALL SELECT enc_private_key FROM retired_keys WHERE enc_private_key IS NOT NULL")
    return [bytes(r["k"]) for r in rows]


def rotate_key(store: TownshipStore, key_id: str, public_key: bytes, private_key: bytes, enc_public: bytes,
               enc_private: bytes, body: bytes, signature: bytes) -> None:
    """Keep the current keys as retired, make the new ones current, and keep the announcement
    (`body`, signed by the old key) that travels in every later township bundle."""
    old = township(store)
    at = now_utc()
    store.insert("retired_keys", {"key_id": old["key_id"], "public_key": old["public_key"],
                                  "private_key": old["private_key"], "enc_public_key": old.get("enc_public_key"),
                                  "enc_private_key": old.get("enc_private_key"), "retired_at": at})
    store.execute("UPDATE township SET key_id = ?, public_key = ?, private_key = ?, enc_public_key = ?, "
                  "enc_private_key = ? WHERE id = 1", (key_id, public_key, private_key, enc_public, enc_private))
    store.insert("key_changes", {"old_key_id": old["key_id"], "new_key_id": key_id, "body": body,
                                 "signature": signature, "at": at})
    audit_chain.append(store, "township.key_rotate", None, detail={"old": old["key_id"], "new": key_id})


def key_changes(store: TownshipStore) -> list[dict]:
    return store.read("SELECT old_key_id, new_key_id, body, signature, at FROM key_changes ORDER BY id")
