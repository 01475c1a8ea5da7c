"""Any input at every service entry point: the only exceptions that escape are the program's own
(a sentence for a person), and a call that fails writes nothing.

Hypothesis draws text from the whole of Unicode (control characters, emoji, full-width forms, very
long strings) for each argument a person or a file can supply.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkpoint.domain.passes import VERDICTS, PassForm
from checkpoint.domain.registration import PersonForm, VehicleForm
from checkpoint.errors import CheckpointError
from checkpoint.services import (accounts, export, keys, passes, policy, purge, registration, review,
                                 settings as station_settings, shifts)

NOW = dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.timezone.utc)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

anything = st.text(max_size=60)
long_or_odd = st.one_of(anything, st.text(alphabet=string.digits + "xX-— ．。", max_size=25),
                        st.just("x" * 5000), st.just("\x00\n\r\t"), st.just("😀" * 10), st.just("'; DROP TABLE entries; --"))


def snapshot(store) -> dict[str, int]:
    tables = [r["name"] for r in store.read("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'entry_search%' AND name NOT LIKE 'sqlite_%'")]
    return {t: store.read_one(f"SELECT count(*) AS n FROM [{t}]")["n"] for t in tables}


def only_ours(call) -> bool:
    """Run `call`; True when it succeeded, False when it failed with one of our errors."""
    try:
        call()
    except CheckpointError as exc:
        assert exc.message and "Traceback" not in exc.message
        return False
    return True


def failed_writes_nothing(store, call) -> None:
    before = snapshot(store)
    if not only_ours(call):
        assert snapshot(store) == before
        assert not store.conn.in_transaction


@pytest.fixture
def desk(station, leader, staff_member):
    return station, leader, staff_member


@SETTINGS
@given(name=long_or_odd, doc=long_or_odd, phone=long_or_odd, temp=long_or_odd, recheck=long_or_odd,
       origin=long_or_odd, plate=long_or_odd, occupants=long_or_odd, direction=st.sampled_from(["in", "out", "", "up"]),
       disposition=st.sampled_from(["release", "hold", "", "nonsense"]),
       doc_type=st.sampled_from(["resident-id", "passport", "none", "??"]))
def test_register_any_form(desk, name, doc, phone, temp, recheck, origin, plate, occupants, direction,
                           disposition, doc_type):
    store, _, clerk = desk
    form = PersonForm(name=name, doc_type=doc_type, doc_no=doc, phone=phone, origin=origin, temp=temp,
                      recheck_temp=recheck, direction=direction, disposition=disposition)
    failed_writes_nothing(store, lambda: registration.register(
        store, clerk, [form], VehicleForm(plate=plate, occupants=occupants), now=NOW))


@SETTINGS
@given(text=long_or_odd, dates=st.tuples(long_or_odd, long_or_odd))
def test_search_any_text_and_dates(desk, text, dates):
    store, leader, _ = desk
    failed_writes_nothing(store, lambda: review.search_lines(store, leader, text, dates[0], dates[1]))
    q = review.query(review.Scope("2026-11-24", "2026-11-24"), review.Filters(), text)
    assert review.count(store, q, text) >= 0


@SETTINGS
@given(temp=long_or_odd, name=long_or_odd, reason=long_or_odd, note=long_or_odd, entry=st.integers(-5, 10**12))
def test_amend_flag_and_detail_anything(desk, temp, name, reason, note, entry):
    store, leader, clerk = desk
    if not store.read_one("SELECT id FROM entries LIMIT 1"):
        registration.register(store, clerk, [PersonForm(name="张三", doc_no="110108198506123015",
                                                        phone="13800001111", origin="本地", temp="36.5",
                                                        direction="in", disposition="release")], now=NOW)
    real = store.read_one("SELECT id FROM entries LIMIT 1")["id"]
    for target in (real, entry):
        def amend(target=target):
            form = review.amendment_form(store, target)
            review.amend(store, leader, target, PersonForm(**{**form.__dict__, "temp": temp, "name": name}), reason)
        failed_writes_nothing(store, amend)
        failed_writes_nothing(store, lambda target=target: review.flag(store, leader, target, note))
        failed_writes_nothing(store, lambda target=target: review.detail(store, leader, target))


@SETTINGS
@given(kind=st.sampled_from(["household", "medical", "vehicle", "work", "official", "x"]), name=long_or_odd,
       doc=long_or_odd, village=long_or_odd, days=long_or_odd, plate=long_or_odd, exits=long_or_odd,
       back_by=long_or_odd)
def test_issue_any_pass(desk, kind, name, doc, village, days, plate, exits, back_by):
    store, leader, _ = desk
    form = PassForm(kind=kind, name=name, doc_no=doc, village=village, valid_days=days, plate=plate,
                    exits=exits, back_by=back_by)
    failed_writes_nothing(store, lambda: passes.issue_pass(store, leader, form, now=NOW))


@SETTINGS
@given(text=st.one_of(long_or_odd, st.text(alphabet="CP" + string.ascii_uppercase + "234567", max_size=200)),
       direction=st.sampled_from(["in", "out", "sideways"]))
def test_scan_any_text(desk, text, direction):
    store, _, clerk = desk
    # A scan is always logged (even a forged one) and never raises anything but our errors: a bad
    # direction is refused with one, writing nothing; any text in a good direction gets a verdict.
    before = snapshot(store)
    if direction == "sideways":
        assert not only_ours(lambda: passes.verify_scan(store, clerk, text, direction, now=NOW))
        assert snapshot(store) == before
        return
    result = passes.verify_scan(store, clerk, text, direction, now=NOW)
    assert result.verdict.verdict in VERDICTS
    assert snapshot(store)["crossings"] == before["crossings"] + 1


@SETTINGS
@given(number=long_or_odd, reason=long_or_odd, matter=long_or_odd, note=long_or_odd, roster=long_or_odd,
       kind=st.sampled_from(["day", "night", "dusk"]))
def test_revoke_shift_and_matters_anything(desk, number, reason, matter, note, roster, kind):
    store, leader, _ = desk
    failed_writes_nothing(store, lambda: passes.revoke_pass(store, leader, number, reason, now=NOW))
    failed_writes_nothing(store, lambda: shifts.add_matter(store, leader, matter, now=NOW))
    failed_writes_nothing(store, lambda: shifts.close_matter(store, leader, number, note, now=NOW))
    failed_writes_nothing(store, lambda: shifts.start_shift(store, leader, kind, shifts.parse_roster(roster), now=NOW))


@SETTINGS
@given(name=long_or_odd, role=st.sampled_from(["staff", "leader", "admin", "root", ""]), pin=long_or_odd,
       setting=st.sampled_from(["bell", "review-staff", "export-dir", "report-cutoff", "nope"]), value=long_or_odd,
       areas=long_or_odd)
def test_accounts_settings_and_policy_anything(desk, name, role, pin, setting, value, areas):
    store, leader, _ = desk
    failed_writes_nothing(store, lambda: accounts.add_staff(store, name, role, pin, leader))
    failed_writes_nothing(store, lambda: accounts.authenticate(store, name, pin))
    if setting != "export-dir":   # a valid export-dir may name any folder: not created by the setting itself
        failed_writes_nothing(store, lambda: station_settings.change_setting(store, leader, setting, value))
    failed_writes_nothing(store, lambda: policy.update_policy(store, leader, policy.parse_key_areas(areas)))


@SETTINGS
@given(day=long_or_odd)
def test_export_and_purge_any_date(desk, day, tmp_path_factory):
    store, leader, _ = desk
    out = tmp_path_factory.mktemp("out")
    failed_writes_nothing(store, lambda: export.export_day(store, day, out, by=leader, now=NOW))
    failed_writes_nothing(store, lambda: purge.plan(store, day, now=NOW))


@SETTINGS
@given(content=st.one_of(st.binary(max_size=300), anything.map(str.encode),
                         st.dictionaries(st.sampled_from(["key_id", "public_key", "owner", "format", "revocations",
                                                          "pass_number", "x"]),
                                         st.one_of(anything, st.integers(), st.lists(anything, max_size=3)),
                                         max_size=5).map(lambda d: json.dumps(d).encode())))
def test_key_and_revocation_files_of_any_content(desk, content, tmp_path_factory):
    store, leader, _ = desk
    path: Path = tmp_path_factory.mktemp("in") / "file.json"
    path.write_bytes(content)
    failed_writes_nothing(store, lambda: keys.import_public_key(store, leader, path))
    failed_writes_nothing(store, lambda: passes.import_revocations(store, leader, path))


@SETTINGS
@given(manifest=st.one_of(st.binary(max_size=400), anything.map(str.encode),
                          st.dictionaries(st.sampled_from(["format", "version", "station_code", "date", "revision",
                                                           "key_id", "files", "signature"]),
                                          st.one_of(anything, st.integers(), st.none(),
                                                    st.lists(st.dictionaries(st.sampled_from(["name", "size",
                                                                                              "sha256"]),
                                                                             st.one_of(anything, st.integers()),
                                                                             max_size=3), max_size=3)),
                                          max_size=8).map(lambda d: json.dumps(d).encode())),
       as_zip=st.booleans(), zip_name=st.sampled_from(["K01-2026-11-24-r1/manifest.json", "../evil/manifest.json",
                                                       "/abs/manifest.json", "manifest.json"]))
def test_township_collect_of_any_bundle(desk, manifest, as_zip, zip_name, tmp_path_factory):
    import zipfile

    from checkpoint.township import office as township_service
    from checkpoint.township import collect as township_collect
    from checkpoint.township.schema import open_township_store

    store, _, _ = desk
    root = tmp_path_factory.mktemp("bundle")
    town_path = root / "town.db"
    with open_township_store(town_path) as town:
        township_service.init_township(town, "青山镇")
        keys.export_public_key(store, root / "k.json")
        township_service.add_station(town, root / "k.json")
        before = snapshot(town)
        if as_zip:
            with zipfile.ZipFile(root / "K01-2026-11-24-r1.zip", "w") as archive:
                archive.writestr(zip_name, manifest)
                archive.writestr("K01-2026-11-24-r1/ledger.csv", b"\xff\xfe broken")
        else:
            folder = root / "K01-2026-11-24-r1"
            folder.mkdir()
            (folder / "manifest.json").write_bytes(manifest)
            (folder / "ledger.csv").write_bytes(b"\xef\xbb\xbfa,b\n")
        outcomes = []
        # a broken bundle is refused with a reason (an outcome), or the call fails with one of our errors
        if only_ours(lambda: outcomes.extend(township_collect.collect(town, [root], now=NOW))):
            assert outcomes and all(not o.accepted and o.reason for o in outcomes)
        assert snapshot(town) == before
