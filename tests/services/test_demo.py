"""The demo generator: a demo station whose records look like a checkpoint's, pass the desk's own
checks, keep the audit chain whole, and whose accounts can log in."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from checkpoint.domain import contact, documents, plates, registration
from checkpoint.domain.policy import FEVER_DISPOSITIONS
from checkpoint.domain.registration import Context, PersonForm
from checkpoint.errors import InputError
from checkpoint.domain import clock
from checkpoint.services import accounts, demo
from checkpoint.services.audit import verify_chain
from checkpoint.services.policy import current_policy
from checkpoint.store import open_store

NOW = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.timezone.utc)
DAYS = 5
ENTRIES = 2000


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = open_store(path)
    calls: list[tuple[int, int]] = []
    info = demo.create_demo(store, entries=ENTRIES, days=DAYS, seed=11, now=NOW,
                            progress=lambda done, total: calls.append((done, total)))
    yield store, info, calls
    store.close()


def _entries(store):
    return store.read("SELECT * FROM entries ORDER BY id")


def test_counts_station_and_progress(generated):
    store, info, calls = generated
    assert info.entries == ENTRIES
    assert store.read_one("SELECT count(*) AS n FROM entries")["n"] == ENTRIES
    station = store.read_one("SELECT * FROM station")
    assert (station["code"], station["name"], station["township"]) == ("DEMO01", "东口卡点", "青山镇")
    assert calls and calls[-1] == (ENTRIES, ENTRIES)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    # the bulk load leaves the connection as it found it: every later write is synchronous=FULL
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_audit_chain_is_whole(generated):
    store, _, _ = generated
    report = verify_chain(store)
    assert report.whole, report
    audited = store.read_one("SELECT count(*) AS n FROM audit WHERE action IN ('entry.register', 'vehicle.register')")
    vehicles = store.read_one("SELECT count(*) AS n FROM vehicles")["n"]
    assert audited["n"] == ENTRIES + vehicles


def test_resident_ids_are_valid(generated):
    store, _, _ = generated
    today = clock.local(NOW, "Asia/Shanghai").date()
    numbers = [r["doc_no"] for r in _entries(store) if r["doc_type"] == "resident-id"]
    assert len(numbers) > ENTRIES * 0.9
    for number in numbers:
        assert documents.check_resident_id(number, today) == [], number  # not even a warning
    assert len({n[:6] for n in numbers}) >= 5  # several real area codes


def test_every_entry_passes_the_desk(generated):
    """Each record, typed into the desk's form, is accepted, with the suggestion it was stored with."""
    store, _, _ = generated
    ctx = Context(today=clock.local(NOW, "Asia/Shanghai").date(), township="青山镇",
                  policy=current_policy(store))
    for row in _entries(store):
        form = PersonForm(
            name=row["name"], doc_type=row["doc_type"], doc_no=row["doc_no"], phone=row["phone"],
            address=row["address"], resident=bool(row["resident"]), origin=row["origin"],
            key_area_travel=bool(row["key_area_travel"]), travel_where=row["travel_where"],
            purpose=row["purpose"], destination=row["destination"],
            symptoms=tuple(s for s in row["symptoms"].split(",") if s), health_code=row["health_code"],
            temp="" if row["temp"] is None else str(row["temp"]), temp_method=row["temp_method"],
            not_measured_reason=row["not_measured_reason"],
            recheck_temp="" if row["recheck_temp"] is None else str(row["recheck_temp"]),
            direction=row["direction"], disposition=row["disposition"])
        checked = registration.check_person(form, ctx)
        assert checked.errors == [], (row, checked.errors)
        assert checked.person is not None
        assert checked.person.fever == bool(row["fever"])
        assert checked.person.suggested == row["suggested"]
        assert row["disposition_source"] == ("confirmed" if row["disposition"] == row["suggested"] else "chosen")
        if row["phone"]:
            assert contact.check_phone(row["phone"]) == []


def test_fevers_are_remeasured_and_held_or_referred(generated):
    store, _, _ = generated
    rows = _entries(store)
    fevers = [r for r in rows if r["fever"]]
    assert 0.01 * ENTRIES <= len(fevers) <= 0.035 * ENTRIES
    for r in fevers:
        assert r["temp"] >= 37.3 and r["recheck_temp"] is not None and r["recheck_temp"] >= 37.3
        assert r["disposition"] in FEVER_DISPOSITIONS
    for r in rows:
        if r["temp"] is not None:
            assert Decimal(str(r["temp"])) == Decimal(str(r["temp"])).quantize(Decimal("0.1"))
            if r["temp"] >= 37.3 and not r["fever"]:
                assert r["recheck_temp"] < 37.3  # cleared by the re-measure
    not_measured = [r for r in rows if r["temp_method"] == "none"]
    assert all(r["temp"] is None and r["not_measured_reason"] == "无测温设备" for r in not_measured)


def test_dispositions_and_directions_vary(generated):
    store, _, _ = generated
    rows = _entries(store)
    dispositions = Counter(r["disposition"] for r in rows)
    assert dispositions["release"] > ENTRIES * 0.8
    assert dispositions["turn-back"] > 0
    assert dispositions["home-isolation"] > 0
    assert all(r["key_area_travel"] for r in rows if r["disposition"] == "home-isolation")
    assert Counter(r["direction"] for r in rows).keys() == {"in", "out"}
    assert any(r["resident"] for r in rows) and any(not r["resident"] for r in rows)
    assert any(r["address"].startswith("青山镇") for r in rows if r["resident"])


def test_returning_persons_keep_their_identity(generated):
    store, _, _ = generated
    by_doc = defaultdict(list)
    for r in _entries(store):
        if r["doc_no"]:
            by_doc[r["doc_no"]].append(r)
    repeated = [rows for rows in by_doc.values() if len(rows) > 1]
    assert len(repeated) > 100
    for rows in repeated:
        assert len({(r["name"], r["phone"], r["address"]) for r in rows}) == 1


def test_vehicles_carry_several_persons(generated):
    store, _, _ = generated
    rows = _entries(store)
    vehicles = {v["id"]: v for v in store.read("SELECT * FROM vehicles")}
    per_vehicle = Counter(r["vehicle_id"] for r in rows if r["vehicle_id"] is not None)
    in_vehicles = sum(per_vehicle.values())
    assert 0.35 * ENTRIES <= in_vehicles <= 0.65 * ENTRIES
    assert max(per_vehicle.values()) >= 3
    assert set(per_vehicle) == set(vehicles)
    for vehicle_id, persons in per_vehicle.items():
        v = vehicles[vehicle_id]
        assert v["occupants"] == persons
        assert plates.check_plate(v["plate"]) == [], v["plate"]
    for r in rows:
        if r["vehicle_id"] is not None:
            v = vehicles[r["vehicle_id"]]
            assert (r["recorded_at"], r["direction"], r["staff_id"]) == (v["recorded_at"], v["direction"], v["staff_id"])
    assert any(len(v["plate"]) == 8 for v in vehicles.values())  # new-energy plates


def test_times_days_and_staff(generated):
    store, info, _ = generated
    rows = _entries(store)
    staff_ids = {r["id"] for r in store.read("SELECT id FROM staff WHERE name IN (%s)"
                                             % ",".join("?" * len(info.accounts)), [a[0] for a in info.accounts])}
    hours = Counter()
    previous = ""
    for r in rows:
        at = dt.datetime.fromisoformat(r["recorded_at"])
        assert at.utcoffset() == dt.timedelta(0)
        assert NOW - dt.timedelta(days=DAYS) <= at <= NOW
        assert r["recorded_at"] >= previous  # ids follow time
        previous = r["recorded_at"]
        local = clock.local(at, "Asia/Shanghai")
        assert r["local_day"] == local.date().isoformat()
        hours[local.hour] += 1
        assert r["staff_id"] in staff_ids
    day = sum(hours[h] for h in range(8, 20))
    assert day > 2 * (ENTRIES - day)
    assert len({r["local_day"] for r in rows}) >= DAYS


def test_demo_accounts_log_in(generated):
    store, info, _ = generated
    assert demo.is_demo(store)
    listed = demo.demo_accounts(store)
    assert listed == list(demo.DEMO_ACCOUNTS) == info.accounts
    roles = {role for _, role, _ in listed}
    assert {"leader", "staff", "admin"} <= roles
    assert sum(1 for _, role, _ in listed if role == "staff") >= 2
    for name, role, pin in listed:
        assert len(pin) == 4 and pin.isdigit()
        account = accounts.authenticate(store, name, pin)
        assert account.role == role
    assert current_policy(store).key_areas == demo.KEY_AREAS


def test_appending_to_the_demo_keeps_the_chain(db_path):
    with open_store(db_path) as store:
        demo.create_demo(store, entries=300, now=NOW)
        info = demo.create_demo(store, entries=200, days=2, now=NOW)
        assert info.entries == 200
        assert store.read_one("SELECT count(*) AS n FROM entries")["n"] == 500
        assert store.read_one("SELECT count(*) AS n FROM staff")["n"] == len(demo.DEMO_ACCOUNTS)
        assert verify_chain(store).whole


def test_empty_database_and_zero_entries(db_path):
    with open_store(db_path) as store:
        assert not demo.is_demo(store)
        assert demo.demo_accounts(store) == []
        info = demo.create_demo(store, entries=0)
        assert info.entries == 0 and demo.is_demo(store)
        assert verify_chain(store).whole


def test_a_real_station_is_refused(station):
    before = station.read_one("SELECT count(*) AS n FROM audit")["n"]
    with pytest.raises(InputError) as refused:
        demo.create_demo(station, entries=10)
    assert refused.value.key == "demo_gen.not_demo"
    assert "东口卡点" in refused.value.message
    assert station.read_one("SELECT count(*) AS n FROM audit")["n"] == before
    assert station.read_one("SELECT count(*) AS n FROM entries")["n"] == 0


def test_bad_counts_are_refused(db_path):
    with open_store(db_path) as store:
        with pytest.raises(InputError):
            demo.create_demo(store, entries=-1)
        with pytest.raises(InputError):
            demo.create_demo(store, entries=10, days=0)
        assert not demo.is_demo(store)


def test_cli_generates_and_the_chain_verifies(db_path):
    generate = subprocess.run([sys.executable, "-m", "checkpoint", "--db", str(db_path), "demo",
                               "--generate", "500"], capture_output=True, text=True, timeout=120)
    assert generate.returncode == 0, generate.stdout + generate.stderr
    assert "500" in generate.stdout
    verify = subprocess.run([sys.executable, "-m", "checkpoint", "--db", str(db_path), "audit", "verify"],
                            capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "审计链完整" in verify.stdout


def test_drivers_and_walkers_are_adults(generated):
    store, _, _ = generated
    first_in_vehicle: dict[int, dict] = {}
    walkers = []
    for r in _entries(store):
        if r["vehicle_id"] is None:
            walkers.append(r)
        else:
            first_in_vehicle.setdefault(r["vehicle_id"], r)
    for r in walkers + list(first_in_vehicle.values()):
        assert r["doc_type"] != "none"
        born = documents.birth_date(r["doc_type"], r["doc_no"])
        if born is not None:
            assert (dt.date.fromisoformat(r["local_day"]) - born).days >= 17 * 365, r


def test_held_referred_and_escorted_are_closed_out_except_the_last_hours(generated):
    store, _, _ = generated
    closures = {c["ref_id"]: c for c in store.read("SELECT * FROM closures WHERE kind = 'entry'")}
    matters = [r for r in _entries(store) if r["disposition"] in ("hold", "refer", "escorted")]
    assert matters
    recent = 0
    for r in matters:
        at = dt.datetime.fromisoformat(r["recorded_at"])
        if NOW - at > dt.timedelta(hours=12):
            closed = closures.pop(r["id"])
            assert at < dt.datetime.fromisoformat(closed["closed_at"]) <= NOW
            assert closed["note"] and closed["staff_id"] == r["staff_id"]
        else:
            assert r["id"] not in closures
            recent += 1
    assert closures == {}  # nothing else was closed
    from checkpoint.store.shifts import open_entry_matters
    assert len(open_entry_matters(store)) == recent
