"""Names the station's schema defines that its queries and checks share: the columns a correction
may change (of an entry, of a vehicle) and the triggers that guard the audit table. Here, not in
schema.py, so the audit check and the queries need not import the migrations (nor they them)."""

from __future__ import annotations

# The person fields an amendment may change. `entries` rows are never updated: an amendment row
# keeps what changed (old and new), and `entry_current` holds the corrected values of amended
# entries only, so `entries_now` (what every reader selects from) is the log as it stands.
AMENDABLE = ("name", "doc_type", "doc_no", "phone", "address", "resident", "origin", "key_area_travel",
             "travel_where", "purpose", "destination", "symptoms", "health_code", "temp", "temp_method",
             "not_measured_reason", "recheck_temp", "fever", "direction", "disposition")

# The vehicle fields a correction may change (plate, type, occupants, the three flags).
VEHICLE_AMENDABLE = ("plate", "vehicle_type", "occupants", "disinfected", "live_poultry", "illegal_passengers")

# The triggers that keep the audit table append-only and its head beside it (m006); `audit verify`
# checks they are still there, word for word.
AUDIT_GUARDS = ";\n".join([
    "CREATE TRIGGER audit_head_follows AFTER INSERT ON audit BEGIN "
    "UPDATE audit_head SET seq = NEW.id, hash = NEW.hash WHERE id = 1; END",
    "CREATE TRIGGER audit_rows_stay BEFORE DELETE ON audit BEGIN "
    "SELECT RAISE(ABORT, 'audit rows are never deleted'); END",
    "CREATE TRIGGER audit_rows_unchanged BEFORE UPDATE ON audit BEGIN "
    "SELECT RAISE(ABORT, 'audit rows are never changed'); END",
])
