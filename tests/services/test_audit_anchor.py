"""`audit verify --anchor`: the head a daily export carries (summary.json's `audit_head`, signed
with the station key) catches a tail cut after that export, folder or zip; a bundle not signed by
this station, or changed, is refused; a plain JSON head file works too."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from checkpoint.domain.registration import PersonForm
from checkpoint.errors import InputError, RefusedError
from checkpoint.services import audit as audit_service
from checkpoint.services import export, registration
from checkpoint.store import audit
from tests.store.test_audit_coverage import cut_tail

NOW = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.timezone.utc)


def person() -> PersonForm:
    return PersonForm(name="张伟", doc_no="110108198506123015", phone="13800001111", origin="本地", temp="36.5",
                      direction="in", disposition="release")


def export_with_head(store, leader, out):
    """A real daily export: its summary.json carries the chain's head, under the signed manifest."""
    result = export.export_day(store, "2026-11-24", out, by=leader, now=NOW)
    summary = json.loads((result.folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["audit_head"]["seq"] > 0
    return result, summary["audit_head"]


@pytest.fixture
def day(station, staff_member, leader, tmp_path, township_keys):
    township_keys.give(station, leader)   # exports seal what names a person to the township's key
    registration.register(station, staff_member, [person()], now=NOW)
    registration.register(station, staff_member, [person()], now=NOW)
    result, head = export_with_head(station, leader, tmp_path / "usb")
    registration.register(station, staff_member, [person()], now=NOW)
    return station, result, head


def test_a_bundle_folder_and_its_zip_give_the_head_they_were_signed_with(day):
    store, result, head = day
    for path in (result.folder, result.zip_path):
        anchor = audit_service.read_anchor(store, path)
        assert (anchor.seq, anchor.hash) == (head["seq"], head["hash"])
        assert audit_service.verify_chain(store, anchor=anchor).whole


def test_a_tail_cut_before_the_export_is_found_against_its_bundle(day):
    store, result, head = day
    cut_tail(store, head["seq"], rewind_head=True)
    assert audit_service.verify_chain(store).whole       # the file agrees with itself
    report = audit_service.verify_chain(store, anchor=audit_service.read_anchor(store, result.zip_path))
    assert report.why == "audit.why_anchor_short"


def test_a_changed_bundle_or_another_stations_bundle_is_refused(day, tmp_path):
    store, result, head = day
    summary = result.folder / "summary.json"
    summary.write_text(summary.read_text(encoding="utf-8").replace(str(head["seq"]), str(head["seq"] - 1), 1),
                       encoding="utf-8")
    with pytest.raises(RefusedError) as caught:
        audit_service.read_anchor(store, result.folder)
    assert "本卡点" in caught.value.message
    from checkpoint.services.setup import init_station
    from checkpoint.store import open_store

    with open_store(tmp_path / "other.db") as other:
        init_station(other, "K02", "西口卡点", "青山镇", "赵队长", "1234")
        with pytest.raises(RefusedError):
            audit_service.read_anchor(other, result.zip_path)


def test_a_plain_head_file_is_accepted_and_a_wrong_one_is_bad_input(day, tmp_path):
    store, _, head = day
    plain = tmp_path / "head.json"
    plain.write_text(json.dumps({"audit_head": head}), encoding="utf-8")
    assert audit_service.read_anchor(store, plain) == audit.Head(head["seq"], head["hash"])
    for text in ("[]", "{\"seq\": 1}", "{\"seq\": -1, \"hash\": \"" + "0" * 64 + "\"}", "not json"):
        plain.write_text(text, encoding="utf-8")
        with pytest.raises(InputError):
            audit_service.read_anchor(store, plain)
    with pytest.raises(InputError):
        audit_service.read_anchor(store, tmp_path / "nowhere.zip")


def test_audit_verify_anchor_on_the_command_line(day, tmp_path):
    store, result, head = day
    env_run = lambda *a: subprocess.run([sys.executable, "-m", "checkpoint", "--db", str(store.path), *a],
                                        capture_output=True, text=True, timeout=120)
    ok = env_run("audit", "verify", "--anchor", str(result.zip_path))
    assert ok.returncode == 0 and str(head["seq"]) in ok.stdout, ok.stdout + ok.stderr
    cut_tail(store, head["seq"], rewind_head=True)
    assert env_run("audit", "verify").returncode == 0
    cut = env_run("audit", "verify", "--anchor", str(result.folder))
    assert cut.returncode == 1 and "截短" in cut.stdout, cut.stdout + cut.stderr
    bad = env_run("audit", "verify", "--anchor", str(tmp_path / "nowhere"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.strip()


def test_a_bundle_of_the_previous_format_says_it_has_no_head(station, staff_member, leader, tmp_path,
                                                               monkeypatch, township_keys):
    township_keys.give(station, leader)
    registration.register(station, staff_member, [person()], now=NOW)
    original = export._write_json

    def as_before(path, data):   # the summary as exports wrote it before they carried the head
        if path.name == "summary.json" and isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != "audit_head"}
        original(path, data)

    monkeypatch.setattr(export, "_write_json", as_before)
    result = export.export_day(station, "2026-11-24", tmp_path / "usb", by=leader, now=NOW)
    with pytest.raises(InputError) as caught:
        audit_service.read_anchor(station, result.folder)
    assert "audit_head" in caught.value.message
