"""The daily export bundle through the services, on a real station database: what the township
opens (CSV in Excel, the workbook, the report, the follow-up list: the files naming persons once
decrypted with the township's key) and what it checks (hashes and the station's signature)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
import zipfile

import openpyxl
import pytest

from checkpoint.domain import daily_report
from checkpoint.domain.passes import PassForm
from checkpoint.domain.registration import PersonForm, VehicleForm
from checkpoint.errors import InputError, RefusedError
from checkpoint.exchange import BundleRejected
from checkpoint.exchange.key_files import read_key_file
from checkpoint.services import accounts, export, keys, passes, registration, shifts
from checkpoint.services.audit import verify_chain
from checkpoint.services.settings import change_setting

TZ = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 11, 24, 8, 0, tzinfo=TZ)
DAY = "2026-11-24"
EVENING = T0 + dt.timedelta(hours=11)

ZHANG = "11010519491231002X"
WANG = "110101200001010037"
LI = "110108198506123015"
ZHAO = "110102199001010046"
FULL_IDS = (ZHANG, WANG, LI, ZHAO)
FILES = {"ledger.csv.enc", "ledger.xlsx.enc", "report.md", "report.docx.enc", "follow-up.csv.enc",
         "follow-up.xlsx.enc", "revocations.json", "station-key.json", "summary.json", "manifest.json",
         "manifest.sig"}


@pytest.fixture
def station(station, township_keys):
    """The station of conftest, holding the township's key: its exports seal the personal files."""
    township_keys.give(station)
    return station


@pytest.fixture
def opened(township_keys, tmp_path):
    """opened(result): the bundle's files as the township reads them (sealed ones decrypted)."""
    count = [0]

    def open_result(result):
        count[0] += 1
        return township_keys.open(result.folder, tmp_path / f"opened-{count[0]}")
    return open_result


def person(name, doc, address, *, phone="13800001111", temp="36.5", recheck="", disposition="release",
           travel=""):
    return PersonForm(name=name, doc_no=doc, phone=phone, address=address, origin="湖北省宜昌市", temp=temp,
                      recheck_temp=recheck, direction="in", disposition=disposition,
                      key_area_travel=bool(travel), travel_where=travel)


@pytest.fixture
def busy_day(station, leader, staff_member):
    """A day shift of 24 Nov: four people (a fever held, a key-area returnee home-isolated), a pass
    issued and checked, and a signed handover with stock."""
    accounts.add_staff(station, "刘夜班", "leader", "4444", leader)
    shifts.start_shift(station, leader, "day", [("李四", "police")], now=T0)
    registration.register(station, staff_member, [
        person("张三", ZHANG, "青山镇红旗村", phone="13812345678"),
        person("王强", WANG, "青山镇白云村", temp="37.8", recheck="37.6", disposition="hold")],
        VehicleForm(plate="粤B12345"), now=T0 + dt.timedelta(hours=1))
    registration.register(station, staff_member, [
        person("李芳", LI, "青山镇红旗村", phone="13912345678", disposition="home-isolation", travel="武汉")],
        now=T0 + dt.timedelta(hours=2))
    registration.register(station, staff_member, [
        person("赵敏", ZHAO, "青山镇白云村", disposition="turn-back")], now=T0 + dt.timedelta(hours=3))
    issued = passes.issue_pass(station, leader, PassForm(kind="household", name="张三丰", doc_no=ZHANG,
                                                         village="红旗村"), now=T0 + dt.timedelta(hours=4))
    passes.verify_scan(station, staff_member, issued.token, "out", now=T0 + dt.timedelta(hours=5))
    shifts.hand_over(station, leader, "刘夜班", "4444", stock={"masks": 200, "disinfectant": 3},
                     now=T0 + dt.timedelta(hours=10))
    return station


def export_to(store, tmp_path, day=DAY, sub="out", **kw):
    return export.export_day(store, day, tmp_path / sub, now=EVENING, **kw)


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel/WPS need the UTF-8 BOM"
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def all_cells(book):
    return [c.value for sheet in book for row in sheet.iter_rows() for c in row]


def test_bundle_is_a_named_folder_and_a_zip_of_it(busy_day, leader, tmp_path):
    result = export_to(busy_day, tmp_path, by=leader)
    assert result.folder == (tmp_path / "out" / "K01-2026-11-24-r1").resolve()
    assert result.zip_path == result.folder.with_name("K01-2026-11-24-r1.zip")
    assert {p.name for p in result.folder.iterdir()} == FILES
    with zipfile.ZipFile(result.zip_path) as archive:
        names = set(archive.namelist())
        assert names == {f"K01-2026-11-24-r1/{n}" for n in FILES}
        assert archive.read("K01-2026-11-24-r1/ledger.csv.enc") == (result.folder / "ledger.csv.enc").read_bytes()
    # only the bundle is left in the folder: no temporary leftovers
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["K01-2026-11-24-r1", "K01-2026-11-24-r1.zip"]


def test_ledger_csv_opens_with_chinese_headers_and_masked_ids(busy_day, tmp_path, opened):
    result = export_to(busy_day, tmp_path)
    rows = read_csv(opened(result) / "ledger.csv")
    assert [r["姓名"] for r in rows] == ["张三", "王强", "李芳", "赵敏"]
    zhang = rows[0]
    assert zhang["证件号码"] == "110105********002X"
    assert zhang["联系电话"] == "138****5678"
    assert zhang["车牌"] == "粤B12345" and zhang["处置"] == "放行" and zhang["方向"] == "进"
    assert zhang["登记时间"] == "2026-11-24 09:00:00"  # station time, not UTC
    assert rows[1]["发热"] == "是" and rows[1]["处置"] == "留验" and rows[1]["复测体温(℃)"] == "37.6"
    text = (opened(result) / "ledger.csv").read_text(encoding="utf-8-sig")
    for full in FULL_IDS + ("13812345678", "13912345678"):
        assert full not in text


def test_workbook_sheets_frozen_headers_and_real_dates(busy_day, tmp_path, opened):
    result = export_to(busy_day, tmp_path)
    book = openpyxl.load_workbook(opened(result) / "ledger.xlsx")
    assert book.sheetnames == ["登记台账", "车辆", "发放通行证", "通行证核验", "交接班", "日报"]
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold
    ledger = book["登记台账"]
    headers = [c.value for c in ledger[1]]
    time_cell = ledger.cell(row=2, column=headers.index("登记时间") + 1)
    assert time_cell.value == dt.datetime(2026, 11, 24, 9, 0) and time_cell.is_date
    assert ledger.cell(row=2, column=headers.index("证件号码") + 1).value == "110105********002X"
    assert ledger.column_dimensions["B"].width >= 19  # the datetime column is wide enough to read
    assert ledger.max_row == 5

    issued = book["发放通行证"]
    pass_headers = [c.value for c in issued[1]]
    assert issued.cell(row=2, column=1).value == "K01-000001"
    valid_from = issued.cell(row=2, column=pass_headers.index("有效期起") + 1)
    assert valid_from.is_date and valid_from.value.date() == dt.date(2026, 11, 24)
    assert issued.cell(row=2, column=pass_headers.index("证件号码") + 1).value == "110105********002X"
    scans = book["通行证核验"]
    assert [c.value for c in scans[2]][2] == "K01-000001" and "有效" in [c.value for c in scans[2]]
    assert book["车辆"].cell(row=2, column=3).value == "粤B12345"
    handover = book["交接班"]
    assert handover.max_row == 2 and "口罩（个） 200" in [c.value for c in handover[2]][11]
    summary = {r[0].value: r[1].value for r in book["日报"].iter_rows(min_row=2)}
    assert summary["登记人员"] == 4 and summary["发热"] == 1 and summary["零报告"] == "否"
    for value in all_cells(book):
        assert not any(full in str(value) for full in FULL_IDS)


def test_report_and_summary_counts(busy_day, tmp_path):
    result = export_to(busy_day, tmp_path)
    report = (result.folder / "report.md").read_text(encoding="utf-8")
    assert "零报告" not in report
    assert "东口卡点（K01）" in report and "2026-11-24" in report
    assert "发热1人" in report and "留验：1" in report and "居家隔离：1" in report and "劝返：1" in report
    assert "14天内到过重点地区1人" in report and "武汉：1" in report
    assert "发放1张" in report and "核验1次" in report
    assert "第1班 白班" in report and "带班 王队长" in report
    assert "口罩（个）：剩200" in report
    # the readable report names nobody: the follow-up people are counted by village
    assert "- 青山镇白云村：留验1（其中发热 1）\n- 青山镇红旗村：居家隔离1" in report
    assert "follow-up.csv.enc" in report
    assert not any(word in report for word in ("王强", "李芳", "110101********0037", "13912345678"))
    assert not any(full in report for full in FULL_IDS)

    summary = json.loads((result.folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["station"] == {"code": "K01", "name": "东口卡点", "township": "青山镇", "tz": "Asia/Shanghai"}
    assert (summary["date"], summary["revision"], summary["zero_report"]) == (DAY, 1, False)
    assert summary["software"]["name"] == "checkpoint" and summary["software"]["version"]
    counts = summary["counts"]
    assert (counts["persons"], counts["vehicles"], counts["fevers"], counts["follow_up"]) == (4, 1, 1, 2)
    assert counts["dispositions"]["hold"] == 1 and counts["dispositions"]["home-isolation"] == 1
    assert (counts["passes_issued"], counts["scans"], counts["handovers"]) == (1, 1, 1)


def test_follow_up_list_has_full_contacts_by_village(busy_day, tmp_path, opened):
    result = export_to(busy_day, tmp_path)
    rows = read_csv(opened(result) / "follow-up.csv")
    assert [(r["住址/村"], r["姓名"], r["处置"]) for r in rows] == [
        ("青山镇白云村", "王强", "留验"), ("青山镇红旗村", "李芳", "居家隔离")]
    assert rows[0]["证件号码"] == WANG and rows[1]["证件号码"] == LI
    assert rows[1]["联系电话"] == "13912345678"
    assert rows[1]["去过哪里"] == "武汉"


def test_revocations_and_station_key_travel_in_the_bundle(busy_day, leader, tmp_path):
    passes.revoke_pass(busy_day, leader, "K01-000001", "证件遗失", now=T0 + dt.timedelta(hours=6))
    result = export_to(busy_day, tmp_path)
    revoked = json.loads((result.folder / "revocations.json").read_text(encoding="utf-8"))
    assert [r["pass_number"] for r in revoked["revocations"]] == ["K01-000001"]
    info = read_key_file(result.folder / "station-key.json")
    assert info.public_key == keys.ensure_station_key(busy_day)["public_key"]


def test_manifest_lists_every_file_and_the_signature_verifies(busy_day, tmp_path):
    result = export_to(busy_day, tmp_path)
    public = keys.ensure_station_key(busy_day)["public_key"]
    manifest = export.verify_manifest(result.folder, public)
    listed = {f["name"]: f for f in manifest["files"]}
    assert set(listed) == FILES - {"manifest.json", "manifest.sig"}
    for name, item in listed.items():
        data = (result.folder / name).read_bytes()
        assert item["size"] == len(data) and item["sha256"] == hashlib.sha256(data).hexdigest()
    signed = json.loads((result.folder / "manifest.sig").read_text(encoding="ascii"))
    assert signed["algorithm"] == "ed25519" and signed["signed_file"] == "manifest.json"
    assert "signature" not in manifest and manifest["encryption"]["recipient"]


def _copy(result, tmp_path, name):
    target = tmp_path / name
    shutil.copytree(result.folder, target)
    return target


def test_one_byte_edited_anywhere_is_refused(busy_day, tmp_path):
    result = export_to(busy_day, tmp_path)
    public = keys.ensure_station_key(busy_day)["public_key"]

    edited = _copy(result, tmp_path, "edited-file")
    data = bytearray((edited / "ledger.csv.enc").read_bytes())
    data[-3] ^= 0x01
    (edited / "ledger.csv.enc").write_bytes(bytes(data))
    with pytest.raises(BundleRejected) as caught:
        export.verify_manifest(edited, public)
    assert caught.value.key == "export.file_changed" and "ledger.csv" in caught.value.message

    forged = _copy(result, tmp_path, "edited-manifest")
    text = (forged / "manifest.json").read_text(encoding="utf-8").replace('"revision": 1', '"revision": 9')
    (forged / "manifest.json").write_text(text, encoding="utf-8")
    with pytest.raises(BundleRejected) as caught:
        export.verify_manifest(forged, public)
    assert caught.value.key == "export.signature_bad"

    missing = _copy(result, tmp_path, "missing")
    (missing / "follow-up.csv.enc").unlink()
    with pytest.raises(BundleRejected, match="follow-up.csv"):
        export.verify_manifest(missing, public)

    extra = _copy(result, tmp_path, "extra")
    (extra / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(BundleRejected, match="notes.txt"):
        export.verify_manifest(extra, public)

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    stranger = Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.Raw,
                                                                      serialization.PublicFormat.Raw)
    with pytest.raises(BundleRejected) as caught:
        export.verify_manifest(result.folder, stranger)
    assert caught.value.key == "export.wrong_key"


def test_re_export_is_a_new_revision_and_audited(busy_day, leader, tmp_path):
    first = export_to(busy_day, tmp_path, by=leader)
    before = {p.name: p.read_bytes() for p in first.folder.iterdir()}
    second = export_to(busy_day, tmp_path, by=leader)
    assert (first.revision, second.revision) == (1, 2)
    assert second.folder.name == "K01-2026-11-24-r2" and second.zip_path.exists()
    assert {p.name: p.read_bytes() for p in first.folder.iterdir()} == before  # r1 untouched
    assert json.loads((second.folder / "summary.json").read_text(encoding="utf-8"))["revision"] == 2
    # a third export to another folder (a USB stick) still counts as newer
    third = export_to(busy_day, tmp_path, sub="usb", by=leader)
    assert third.folder.name == "K01-2026-11-24-r3"
    rows = busy_day.read("SELECT staff_id, detail FROM audit WHERE action = 'export.day' ORDER BY id")
    assert [json.loads(r["detail"])["revision"] for r in rows] == [1, 2, 3]
    assert {r["staff_id"] for r in rows} == {leader.id}
    assert verify_chain(busy_day).whole


def test_zero_day_still_exports_a_zero_report(station, tmp_path, opened):
    result = export_to(station, tmp_path, day="2026-11-20")
    report = (result.folder / "report.md").read_text(encoding="utf-8")
    assert "零报告" in report and "登记人员0人" in report
    assert result.zero_report and result.counts["persons"] == 0
    files = opened(result)
    assert read_csv(files / "ledger.csv") == [] and read_csv(files / "follow-up.csv") == []
    assert json.loads((result.folder / "summary.json").read_text(encoding="utf-8"))["zero_report"] is True
    book = openpyxl.load_workbook(files / "ledger.xlsx")
    assert book["登记台账"].max_row == 1


def test_a_day_of_releases_and_turn_backs_is_a_zero_report(station, staff_member, tmp_path):
    registration.register(station, staff_member, [person("张三", ZHANG, "红旗村"),
                                                  person("赵敏", ZHAO, "白云村", disposition="turn-back")],
                          now=T0 + dt.timedelta(hours=1))
    result = export_to(station, tmp_path)
    assert result.zero_report and result.counts["persons"] == 2
    assert "零报告" in (result.folder / "report.md").read_text(encoding="utf-8")


def test_nothing_is_left_behind_when_writing_fails(busy_day, leader, tmp_path, monkeypatch):
    from checkpoint.exchange import tables as export_tables

    def disk_full(path, tables):
        path.write_bytes(b"half")
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(export_tables, "write_xlsx", disk_full)
    with pytest.raises(InputError) as caught:
        export_to(busy_day, tmp_path, by=leader)
    assert "No space left" in caught.value.message
    assert list((tmp_path / "out").iterdir()) == []
    assert busy_day.read("SELECT count(*) AS n FROM audit WHERE action = 'export.day'")[0]["n"] == 0


def test_nothing_is_left_behind_when_the_final_rename_fails(busy_day, tmp_path, monkeypatch):
    import os

    real_rename = os.rename
    calls = []

    def second_rename_fails(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the folder is in place, the zip is not
            raise OSError(5, "Input/output error", str(dst))
        return real_rename(src, dst)

    monkeypatch.setattr(export.os, "rename", second_rename_fails)
    with pytest.raises(InputError):
        export_to(busy_day, tmp_path)
    assert list((tmp_path / "out").iterdir()) == []
    assert busy_day.read("SELECT count(*) AS n FROM audit WHERE action = 'export.day'")[0]["n"] == 0


def test_bad_date_future_date_and_unusable_folder(station, tmp_path):
    with pytest.raises(InputError) as caught:
        export_to(station, tmp_path, day="2026-13-01")
    assert caught.value.field == "date"
    with pytest.raises(InputError) as caught:
        export_to(station, tmp_path, day="2026-11-25")  # tomorrow, seen from the evening of the 24th
    assert "未来" in caught.value.message
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        export.export_day(station, DAY, blocker / "exports", now=EVENING)
    assert str(blocker / "exports") in caught.value.message
    assert not (tmp_path / "out").exists()


def test_only_leaders_export(station, staff_member, tmp_path):
    with pytest.raises(RefusedError):
        export_to(station, tmp_path, by=staff_member)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_default_folder_then_the_export_dir_setting(station, leader, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = export.export_day(station, DAY, now=EVENING)
    assert result.folder.parent == (tmp_path / "exports").resolve()
    change_setting(station, leader, "export-dir", str(tmp_path / "usb" / "日报"))
    result = export.export_day(station, DAY, now=EVENING)
    assert result.folder == (tmp_path / "usb" / "日报" / "K01-2026-11-24-r2").resolve()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError):
        change_setting(station, leader, "export-dir", str(tmp_path / "file"))
    assert change_setting(station, leader, "export-dir", "default") == ""
    assert export.default_out_dir(station) == tmp_path / "exports"


def test_progress_is_reported_to_the_end(station, tmp_path):
    seen = []
    export_to(station, tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and len(seen) >= 5
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_report_counting_from_plain_rows():
    row = {"id": 1, "recorded_at": "2026-11-24T01:00:00+00:00", "name": "甲", "doc_no": LI, "address": "红旗村",
           "direction": "out", "resident": 1, "origin": "本地", "fever": 0, "temp": None, "key_area_travel": 0,
           "travel_where": "", "disposition": "refused"}
    report = daily_report.build(DAY, [row], [], [], [], [], [], [], [])
    assert report.zero_report and report.not_measured == 1 and report.persons_out == 1
    held = daily_report.build(DAY, [{**row, "disposition": "central-isolation"}], [], [], [], [], [], [], [])
    assert not held.zero_report and held.isolated == 1 and [f.name for f in held.follow_up] == ["甲"]


def test_corrected_entries_are_exported_as_they_stand(busy_day, leader, tmp_path, opened):
    """A leader's correction (an amendment row; the entry itself never changes) is what the township gets."""
    from dataclasses import replace

    from checkpoint.services import review

    entry_id = busy_day.read("SELECT id FROM entries WHERE name = '张三'")[0]["id"]
    form = review.amendment_form(busy_day, entry_id)
    review.amend(busy_day, leader, entry_id, replace(form, phone="13700002222"), "电话登记错了")
    result = export_to(busy_day, tmp_path)
    zhang = read_csv(opened(result) / "ledger.csv")[0]
    assert zhang["联系电话"] == "137****2222" and zhang["已更正"] == "是"
    assert "1条已更正" in (result.folder / "report.md").read_text(encoding="utf-8")
    assert result.counts["amended"] == 1


def test_amended_after_sign_off_says_so_in_the_export(busy_day, leader, tmp_path, opened):
    from dataclasses import replace

    from checkpoint.services import accounts, review

    night_leader = accounts.authenticate(busy_day, "刘夜班", "4444")
    shifts.hand_over(busy_day, night_leader, "王队长", "1234", now=T0 + dt.timedelta(hours=22))   # the night ends
    review.sign_off(busy_day, leader, DAY, "1234", now=T0 + dt.timedelta(hours=23))
    entry_id = busy_day.read("SELECT id FROM entries WHERE name = '张三'")[0]["id"]
    form = review.amendment_form(busy_day, entry_id)
    review.amend(busy_day, leader, entry_id, replace(form, temp="36.7"), "签核后发现抄错")
    result = export_to(busy_day, tmp_path)
    zhang = read_csv(opened(result) / "ledger.csv")[0]
    assert zhang["已更正"] == "签核后更正"
    assert "其中签核后更正1条" in (result.folder / "report.md").read_text(encoding="utf-8")


def test_the_report_is_due_after_the_cut_off_until_exported(station, leader, tmp_path):
    from checkpoint.errors import InputError
    from checkpoint.services import settings

    noon = dt.datetime(2026, 11, 24, 4, 0, tzinfo=dt.timezone.utc)           # 12:00 in 青山镇
    late = noon + dt.timedelta(hours=5, minutes=30)                          # 17:30
    assert export.report_due(station, noon) is None
    assert export.report_due(station, late) == DAY                           # a zero day is due too
    settings.change_setting(station, leader, "report-cutoff", "１８：００")    # full-width, as an IME types it
    assert settings.text_setting(station, "report-cutoff") == "18:00"
    assert export.report_due(station, late) is None
    for bad in ("25:00", "17", "5pm", "17:7", ""):
        with pytest.raises(InputError):
            settings.change_setting(station, leader, "report-cutoff", bad)
    settings.change_setting(station, leader, "report-cutoff", "17:00")
    export.export_day(station, DAY, tmp_path / "out", now=late, by=leader)
    assert export.report_due(station, late) is None
