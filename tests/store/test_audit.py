"""The audit chain: whole after the program's own writes; any change behind its back is found and named."""

from __future__ import annotations

import sqlite3

import pytest

from checkpoint.domain.registration import PersonForm, VehicleForm
from checkpoint.services import registration
from checkpoint.services.audit import describe
from checkpoint.store import audit


def person(name: str, doc_no: str, **changes) -> PersonForm:
    values = dict(name=name, doc_no=doc_no, phone="13800001111", address="青山镇红旗村", origin="湖北省宜昌市",
                  temp="36.5", direction="in", disposition="release")
    values.update(changes)
    return PersonForm(**values)


@pytest.fixture
def registered(station, staff_member):
    """A car with two persons and a person on foot, saved by the program."""
    car = registration.register(station, staff_member, [
        person("张伟", "110108198506123015"),
        person("李芳", "11010519491231002X", temp="37.8", recheck_temp="37.6", disposition="hold")],
        VehicleForm(plate="粤B12345", occupants="2"))
    walker = registration.register(station, staff_member, [person("王强", "110101200001010037")])
    return station, car, walker


def tamper(store, sql: str, params=()) -> None:
    """Change the file with a connection of its own, as someone with a SQLite tool would (one who
    knows to drop the audit table's guards first: a plain DELETE or UPDATE of it is refused)."""
    conn = sqlite3.connect(str(store.path))
    if "audit" in sql.split("WHERE")[0]:
        conn.execute("DROP TRIGGER audit_rows_stay")
        conn.execute("DROP TRIGGER audit_rows_unchanged")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_the_programs_own_writes_leave_a_whole_chain(registered):
    store, car, walker = registered
    report = audit.verify(store)
    assert report.whole and report.broken_at is None
    n = store.read_one("SELECT count(*) AS n FROM audit")["n"]
    assert report.rows == n
    assert str(n) in describe(report) and "完整" in describe(report)


def test_each_row_links_to_the_one_before(registered):
    store, _, _ = registered
    rows = store.read("SELECT prev_hash, hash FROM audit ORDER BY id")
    assert rows[0]["prev_hash"] == audit.GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(rows, rows[1:]))
    assert len({r["hash"] for r in rows}) == len(rows)


def test_appending_keeps_the_chain_whole(store):
    with store.write():
        for i in range(5):
            store.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (f"k{i}", "1"))
            audit.append(store, "settings.set", None, detail={"key": f"k{i}", "value": 1})
    report = audit.verify(store)
    assert report.whole and report.rows == 5


def test_an_edited_entry_is_named(registered):
    store, car, _ = registered
    target = car.entry_ids[1]
    tamper(store, "UPDATE entries SET temp = 36.4, fever = 0, disposition = 'release' WHERE id = ?", (target,))
    report = audit.verify(store)
    assert not report.whole
    assert report.why == "audit.why_record"
    assert dict(report.why_params) == {"table": "entries", "id": target}
    audit_row = store.read_one("SELECT id FROM audit WHERE target_table = 'entries' AND target_id = ?", (target,))
    assert report.broken_at == audit_row["id"]
    text = describe(report)
    assert "entries" in text and str(target) in text


def test_an_edited_vehicle_is_named(registered):
    store, car, _ = registered
    tamper(store, "UPDATE vehicles SET plate = '粤B99999' WHERE id = ?", (car.vehicle_id,))
    report = audit.verify(store)
    assert dict(report.why_params) == {"table": "vehicles", "id": car.vehicle_id}


def test_a_deleted_audit_row_breaks_the_chain(registered):
    store, _, _ = registered
    middle = store.read_one("SELECT id FROM audit ORDER BY id LIMIT 1 OFFSET 3")["id"]
    tamper(store, "DELETE FROM audit WHERE id = ?", (middle,))
    report = audit.verify(store)
    assert not report.whole
    assert report.why == "audit.why_prev" and report.broken_at > middle


def test_deleting_the_newest_audit_row_leaves_its_record_unaudited(registered):
    store, _, walker = registered
    tamper(store, "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
    report = audit.verify(store)
    assert report.why == "audit.why_unaudited"
    assert dict(report.why_params) == {"table": "entries", "id": walker.entry_ids[0]}


def test_an_edited_audit_row_breaks_the_chain(registered):
    store, _, _ = registered
    tamper(store, "UPDATE audit SET detail = '{}', action = 'entry.view' WHERE id = 5")
    report = audit.verify(store)
    assert report.why == "audit.why_hash" and report.broken_at == 5


def test_an_entry_inserted_behind_the_programs_back_is_found(registered):
    store, _, _ = registered
    row = store.read_one("SELECT * FROM entries ORDER BY id DESC LIMIT 1")
    row.pop("id")
    row["name"] = "赵六"
    cols = ", ".join(row)
    tamper(store, f"INSERT INTO entries ({cols}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))
    new_id = store.read_one("SELECT max(id) AS id FROM entries")["id"]
    report = audit.verify(store)
    assert not report.whole
    assert report.why == "audit.why_unaudited"
    assert dict(report.why_params) == {"table": "entries", "id": new_id}


def test_a_deleted_entry_is_found(registered):
    store, _, walker = registered
    tamper(store, "DELETE FROM entries WHERE id = ?", (walker.entry_ids[0],))
    report = audit.verify(store)
    assert report.why == "audit.why_missing"
    assert dict(report.why_params) == {"table": "entries", "id": walker.entry_ids[0]}


def test_a_disabled_account_switched_back_on_is_found(station, leader):
    from checkpoint.services import accounts

    accounts.disable_staff(station, "李四", leader)
    assert audit.verify(station).whole
    tamper(station, "UPDATE staff SET active = 1 WHERE name = '李四'")
    report = audit.verify(station)
    assert report.why == "audit.why_record" and dict(report.why_params)["table"] == "staff"


def test_wrong_pins_and_lockouts_do_not_break_the_chain(station):
    from checkpoint.errors import RefusedError
    from checkpoint.services import accounts

    with pytest.raises(RefusedError):
        accounts.authenticate(station, "李四", "0000")
    assert audit.verify(station).whole
