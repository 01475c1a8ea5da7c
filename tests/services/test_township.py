"""The township side of the daily reports, through the services on real databases: three stations
export a week, the township collects it (a folder tree as on a USB stick), reports, refuses every
kind of bad bundle without writing anything, and sends its bundle back so that a pass revoked at
one station is refused at another."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from checkpoint.domain import township_report as rules
from checkpoint.domain.passes import PassForm
from checkpoint.domain.registration import PersonForm
from checkpoint.errors import DatabaseError, InputError, RefusedError
from checkpoint.services import accounts, export, keys, passes, registration
from checkpoint.township import office as township_service
from checkpoint.services import township_import
from checkpoint.township import bundle as township_bundle
from checkpoint.township import collect as township_collect
from checkpoint.township import report as township_report
from checkpoint.township import report_files
from checkpoint.services.audit import verify_chain
from checkpoint.exchange import BundleRejected
from checkpoint.services.setup import init_station
from checkpoint.store import open_store
from checkpoint.township.schema import open_township_store

TZ = dt.timezone(dt.timedelta(hours=8))
WEEK = [dt.date(2026, 11, 16) + dt.timedelta(days=i) for i in range(7)]
DAYS = [d.isoformat() for d in WEEK]
MISSING_DAY = DAYS[2]      # K03 sends nothing that day
LATE_DAY = DAYS[4]         # K01 exports at 19:00, after the 17:00 cut-off
TOWN_NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=TZ)

ZHANG = "11010519491231002X"
WANG = "110101200001010037"
LI = "110108198506123015"
ZHAO = "110102199001010046"
STATIONS = {"K01": "东口卡点", "K02": "西口卡点", "K03": "北口卡点"}


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def person(name, doc, address, *, temp="36.5", recheck="", disposition="release") -> PersonForm:
    return PersonForm(name=name, doc_no=doc, phone="13800001111", address=address, origin="湖北省宜昌市", temp=temp,
                      recheck_temp=recheck, direction="in", disposition=disposition)


def new_station(path: Path, code: str, name: str, township_keys=None):
    store = open_store(path)
    init_station(store, code, name, "青山镇", "王队长", "1234")
    leader = accounts.authenticate(store, "王队长", "1234")
    if township_keys is not None:  # the station can seal its personal files to the township
        township_keys.give(store, leader)
    return store, leader


def register(store, leader, day, hour, *persons):
    registration.register(store, leader, list(persons), now=at(day, hour))


def copy_db(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        if Path(str(source) + suffix).exists():
            shutil.copy(str(source) + suffix, str(target) + suffix)
    return target


@dataclass
class Week:
    root: Path
    usb: Path
    dbs: dict[str, Path]
    key_files: dict[str, Path]
    laptop2: Path      # K01's last day exported again from a copy of its database
    future: Path       # K01's bundle for a day after the township's today
    unknown: Path      # a station the township never registered


@pytest.fixture(scope="module")
def week(tmp_path_factory, township_keys) -> Week:
    """Three stations and a week of daily exports on a "USB stick" (made once for the module)."""
    root = tmp_path_factory.mktemp("week")
    usb = root / "usb"
    dbs, key_files = {}, {}
    stores = {}
    for code, name in STATIONS.items():
        dbs[code] = root / f"{code}.db"
        stores[code] = new_station(dbs[code], code, name, township_keys)
        key_files[code] = root / f"{code}-key.json"
        keys.export_public_key(stores[code][0], key_files[code])
    a, b, c = stores["K01"], stores["K02"], stores["K03"]
    for i, day in enumerate(WEEK):
        register(*a, day, 9, person("张三", ZHANG, "青山镇红旗村"))
        if i % 2 == 0:  # a fever held on days 1, 3, 5, 7
            register(*a, day, 10, person("王强", WANG, "青山镇红旗村3组", temp="37.9", recheck="37.8",
                                         disposition="hold"))
        register(*b, day, 11, person("赵敏", ZHAO, "外省某县", disposition="turn-back"))
        if i == 0:  # the person held at K01 on day 1 was also referred at K02: one person, two stations
            register(*b, day, 12, person("王强", WANG, "青山镇红旗村", temp="37.5", recheck="37.6",
                                         disposition="refer"))
        register(*c, day, 13, person("李芳", LI, "青山镇白云村"))
        if day == WEEK[-1]:  # laptop 2: a copy of K01's database from before the day's export
            copy_db(dbs["K01"], root / "K01-laptop2.db")
        export.export_day(a[0], day, usb / "K01", now=at(day, 19 if day.isoformat() == LATE_DAY else 16))
        export.export_day(b[0], day, usb / "K02", now=at(day, 16, 30))
        if day.isoformat() != MISSING_DAY:
            export.export_day(c[0], day, usb / "K03", now=at(day, 16, 45))
    export.export_day(a[0], dt.date(2026, 11, 25), root / "future", now=at(dt.date(2026, 11, 25), 16))
    for store, _ in stores.values():
        store.close()

    laptop2 = open_store(root / "K01-laptop2.db")
    leader2 = accounts.authenticate(laptop2, "王队长", "1234")
    register(laptop2, leader2, WEEK[-1], 15, person("钱七", LI, "青山镇白云村"))
    two = export.export_day(laptop2, WEEK[-1], root / "laptop2", now=at(WEEK[-1], 16, 5))
    laptop2.close()

    stranger, _ = new_station(root / "K09.db", "K09", "陌生卡点", township_keys)
    lone = export.export_day(stranger, WEEK[0], root / "unknown", now=at(WEEK[0], 16))
    stranger.close()
    future = next((root / "future").glob("K01-*-r1"))
    return Week(root, usb, dbs, key_files, two.folder, future, lone.folder)


@pytest.fixture
def town(tmp_path, week, township_keys):
    """The township whose key the stations hold, with the three stations registered, nothing
    collected yet."""
    store = open_township_store(township_keys.copy_db(tmp_path / "township.db"))
    for code in STATIONS:
        township_service.add_station(store, week.key_files[code])
    yield store
    store.close()


def collect(store, *paths):
    return township_collect.collect(store, list(paths), now=TOWN_NOW)


def dump(store) -> str:
    return "\n".join(store.conn.iterdump())


def bundle_of(week: Week, code: str, day: str, revision: int = 1) -> Path:
    return week.usb / code / f"{code}-{day}-r{revision}"


# ---- collecting and reporting the week ------------------------------------------------------------------
def test_a_week_from_three_stations_is_collected_from_a_usb_tree(town, week):
    outcomes = collect(town, week.usb)
    assert len(outcomes) == 20  # 7 + 7 + 6: the folder and its .zip are one bundle
    assert {o.status for o in outcomes} == {township_collect.NEW}
    assert all(o.accepted for o in outcomes)
    assert "已接收" in outcomes[0].line


def test_the_report_shows_reported_zero_late_and_missing(town, week, tmp_path):
    collect(town, week.usb)
    day3 = township_report.build_day(town, MISSING_DAY, TOWN_NOW)
    status = {s.code: s.status for s in day3.stations}
    assert status == {"K01": rules.REPORTED, "K02": rules.ZERO, "K03": rules.MISSING}
    assert day3.count(rules.MISSING) == 1 and day3.count(rules.ZERO) == 1
    late = township_report.build_day(town, LATE_DAY, TOWN_NOW)
    assert {s.code: s.late for s in late.stations} == {"K01": True, "K02": False, "K03": False}
    assert day3.totals["persons"] == 3 and day3.totals["fevers"] == 1 and day3.totals["held_or_referred"] == 1

    written = report_files.write_report(town, MISSING_DAY, tmp_path / "report", now=TOWN_NOW)
    text = written.markdown.read_text(encoding="utf-8")
    assert "未报 MISSING" in text and "北口卡点（K03）" in text and "零报告" in text
    assert "青山镇红旗村" in text and WANG in text  # the follow-up list has what the township needs to call
    book = openpyxl.load_workbook(written.xlsx)
    assert book.sheetnames == ["报送情况", "全镇合计", "需跟进人员", "物资告急", "未结事项"]
    rows = {r[0].value: r[2].value for r in book["报送情况"].iter_rows(min_row=2)}
    assert rows == {"K01": "已报", "K02": "零报告", "K03": "未报 MISSING"}
    assert book["报送情况"].freeze_panes == "A2"
    assert not list((tmp_path / "report").glob(".*"))  # no temporary leftovers


def test_follow_up_is_merged_by_village_across_stations(town, week):
    collect(town, week.usb)
    day1 = township_report.build_day(town, DAYS[0], TOWN_NOW)
    assert [g.village for g in day1.villages] == ["青山镇红旗村"]  # 红旗村3组 belongs to 红旗村
    (wang,) = day1.villages[0].people
    assert wang.doc_no == WANG and wang.stations == ("东口卡点", "西口卡点") and wang.fever
    assert len(wang.times) == 2


def test_a_day_before_the_cut_off_is_waiting_not_missing(town, week):
    collect(town, week.usb)
    morning = at(WEEK[-1], 10)
    today = township_report.build_day(town, DAYS[-1], morning)
    assert {s.status for s in today.stations} == {rules.REPORTED, rules.ZERO}  # all three already reported
    tomorrow = township_report.build_day(town, "2026-11-23", TOWN_NOW)
    assert {s.status for s in tomorrow.stations} == {rules.WAITING}
    bars = township_report.history(town, DAYS[-1], 14, TOWN_NOW)
    assert len(bars) == 14 and bars[-1].day == DAYS[-1]
    by_day = {b.day: b for b in bars}
    assert by_day[MISSING_DAY].missing == 1 and by_day[DAYS[1]].missing == 0


def test_collecting_again_changes_nothing(town, week):
    collect(town, week.usb)
    before = dump(town)
    again = collect(town, week.usb, week.usb / "K02" / f"K02-{DAYS[0]}-r1.zip")
    assert {o.status for o in again} == {township_collect.SAME}
    assert dump(town) == before


def test_a_newer_revision_replaces_the_older_and_says_so(town, week, tmp_path):
    collect(town, week.usb)
    db = copy_db(week.dbs["K03"], tmp_path / "K03.db")
    store = open_store(db)
    leader = accounts.authenticate(store, "王队长", "1234")
    register(store, leader, WEEK[-1], 17, person("孙八", ZHANG, "青山镇白云村", temp="37.9", recheck="38.0",
                                                 disposition="refer"))
    newer = export.export_day(store, WEEK[-1], tmp_path / "out", now=at(WEEK[-1], 18))
    store.close()
    assert newer.revision == 2
    (outcome,) = collect(town, newer.zip_path)
    assert outcome.status == township_collect.REPLACED and outcome.previous == 1
    assert "替换了第1版" in outcome.line
    row = next(s for s in township_report.build_day(town, DAYS[-1], TOWN_NOW).stations if s.code == "K03")
    assert row.revision == 2 and row.persons == 2 and row.status == rules.REPORTED
    assert not row.late  # r1 came before the cut-off: a correction afterwards is not lateness
    (old,) = collect(town, bundle_of(week, "K03", DAYS[-1]))
    assert old.status == township_collect.SAME


# ---- every bad bundle is rejected whole -----------------------------------------------------------------
def _copy(week: Week, tmp_path: Path, code="K01", day=DAYS[1]) -> Path:
    target = tmp_path / "bad" / f"{code}-{day}-r1"
    shutil.copytree(bundle_of(week, code, day), target)
    return target


def _flip(path: Path, offset: int = 40) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _resign(week: Week, tmp_path: Path, folder: Path, code: str = "K01") -> None:
    """Sign the folder's manifest again with the station's own key (what a broken station build would do)."""
    from checkpoint.exchange import signature

    store = open_store(copy_db(week.dbs[code], tmp_path / f"{code}-sign.db"))
    row = keys.ensure_station_key(store)
    store.close()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = [{"name": f["name"], "size": (folder / f["name"]).stat().st_size,
                          "sha256": hashlib.sha256((folder / f["name"]).read_bytes()).hexdigest()}
                         for f in manifest["files"]]
    signature.write_signed(folder, manifest, row["key_id"], keys.signer(row))


def _zip(folder: Path, target: Path, extra: list[tuple[zipfile.ZipInfo | str, bytes]] = ()) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{folder.name}/{path.name}")
        for info, data in extra:
            archive.writestr(info, data)
    return target


def case_byte_in_file(week, tmp_path, town):
    folder = _copy(week, tmp_path)
    _flip(folder / "ledger.csv.enc")
    return folder, "被改动过）：ledger.csv.enc"


def case_byte_in_manifest(week, tmp_path, town):
    folder = _copy(week, tmp_path)
    text = (folder / "manifest.json").read_text(encoding="utf-8")
    (folder / "manifest.json").write_text(text.replace('"revision": 1', '"revision": 7'), encoding="utf-8")
    return folder, "签名不符"


def case_file_missing(week, tmp_path, town):
    folder = _copy(week, tmp_path)
    (folder / "report.md").unlink()
    return folder, "缺少文件：report.md"


def case_file_added(week, tmp_path, town):
    folder = _copy(week, tmp_path)
    (folder / "notes.txt").write_text("hi", encoding="utf-8")
    return folder, "多了清单上没有的文件：notes.txt"


def case_zip_slip(week, tmp_path, town):
    return _zip(bundle_of(week, "K01", DAYS[1]), tmp_path / "slip.zip", [("../../escaped.txt", b"owned")]), "跑出"


def case_zip_absolute(week, tmp_path, town):
    return _zip(bundle_of(week, "K01", DAYS[1]), tmp_path / "abs.zip", [("/tmp/escaped.txt", b"owned")]), "跑出"


def case_zip_symlink(week, tmp_path, town):
    link = zipfile.ZipInfo(f"K01-{DAYS[1]}-r1/notes.txt")
    link.external_attr = (0o120777 << 16)
    return _zip(bundle_of(week, "K01", DAYS[1]), tmp_path / "link.zip", [(link, b"/etc/passwd")]), "符号链接"


def case_zip_member_2gb(week, tmp_path, town):
    """A member that says it is 2 GB (the central directory is edited; nothing large is written)."""
    path = _zip(bundle_of(week, "K01", DAYS[1]), tmp_path / "big.zip")
    data = bytearray(path.read_bytes())
    name = f"K01-{DAYS[1]}-r1/ledger.csv.enc".encode()
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + name_len] == name:
            struct.pack_into("<I", data, central + 24, 2 * 1024 ** 3)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path, "文件过大：ledger.csv.enc"


def case_folder_file_2gb(week, tmp_path, town):
    folder = _copy(week, tmp_path)
    with open(folder / "ledger.xlsx.enc", "r+b") as f:  # sparse: 2 GB on paper, nothing on the disk
        f.truncate(2 * 1024 ** 3)
    return folder, "文件过大：ledger.xlsx.enc"


def case_manifest_over_1mb(week, tmp_path, town):
    folder = _copy(week, tmp_path)
    with open(folder / "manifest.json", "ab") as f:
        f.write(b" " * (1024 * 1024 + 1))
    return folder, "清单文件过大"


def case_broken_text_encoding(week, tmp_path, town):
    folder = _copy(week, tmp_path)
    text = (folder / "report.md").read_text(encoding="utf-8")
    (folder / "report.md").write_bytes(text.encode("gbk"))  # saved by a program that speaks GBK
    _resign(week, tmp_path, folder)
    return folder, "编码损坏（不是 UTF-8）：report.md"


def case_future_date(week, tmp_path, town):
    return week.future, "日期在未来：2026-11-25"


def case_unknown_station(week, tmp_path, town):
    return week.unknown, "未登记的卡点 K09"


def case_revoked_station(week, tmp_path, town):
    township_service.revoke_station(town, "K03", "笔记本丢失")
    return bundle_of(week, "K03", DAYS[0]), "已于"


def case_two_laptops(week, tmp_path, town):
    collect(town, bundle_of(week, "K01", DAYS[-1]))
    return week.laptop2, "两台电脑"


CASES = [case_byte_in_file, case_byte_in_manifest, case_file_missing, case_file_added, case_zip_slip,
         case_zip_absolute, case_zip_symlink, case_zip_member_2gb, case_folder_file_2gb, case_manifest_over_1mb,
         case_broken_text_encoding, case_future_date, case_unknown_station, case_revoked_station, case_two_laptops]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__[5:] for c in CASES])
def test_a_bad_bundle_is_rejected_whole_and_nothing_is_written(town, week, tmp_path, case):
    collect(town, bundle_of(week, "K02", DAYS[0]))  # something already there, which must stay as it is
    bad, reason = case(week, tmp_path, town)
    before = dump(town)
    outside = set(tmp_path.rglob("*"))
    outcomes = collect(town, bad)
    assert [o.status for o in outcomes] == [township_collect.REJECTED]
    assert reason in outcomes[0].reason, outcomes[0].reason
    assert outcomes[0].line.startswith("拒收") and "未写入任何内容" in outcomes[0].line
    assert dump(town) == before
    assert set(tmp_path.rglob("*")) == outside  # nothing unpacked anywhere, nothing left behind
    assert not Path("/tmp/escaped.txt").exists()


def test_one_bad_bundle_does_not_stop_the_good_ones(town, week, tmp_path):
    folder = _copy(week, tmp_path)
    _flip(folder / "summary.json")
    outcomes = collect(town, folder, bundle_of(week, "K02", DAYS[1]))
    assert [o.status for o in outcomes] == [township_collect.REJECTED, township_collect.NEW]


def test_paths_that_hold_no_bundle_are_bad_input(town, tmp_path):
    with pytest.raises(InputError):
        collect(town, tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="没有找到"):
        collect(town, tmp_path / "empty")


# ---- the township's own database and stations ----------------------------------------------------------
def test_station_and_township_databases_cannot_be_confused(week, tmp_path):
    station_copy = copy_db(week.dbs["K01"], tmp_path / "station.db")
    with pytest.raises(DatabaseError, match="这是卡点的数据库"):
        open_township_store(station_copy)
    town = open_township_store(tmp_path / "town.db")
    township_service.init_township(town, "青山镇")
    town.close()
    with pytest.raises(DatabaseError, match="不是卡点登记的数据库"):
        open_store(tmp_path / "town.db")
    with pytest.raises(DatabaseError, match="找不到乡镇数据库"):
        open_township_store(tmp_path / "none.db", create=False)


def test_stations_are_registered_once_and_a_second_key_needs_a_revocation(town, week, tmp_path):
    info, added = township_service.add_station(town, week.key_files["K01"])
    assert not added and info.name == "东口卡点"
    other = copy_db(week.dbs["K01"], tmp_path / "other.db")
    store = open_store(other)
    with store.write():
        store.execute("UPDATE keys SET revoked_at = 'x' WHERE own = 1")  # a laptop re-keyed
    keys.ensure_station_key(store)
    keys.export_public_key(store, tmp_path / "new-key.json")
    store.close()
    with pytest.raises(RefusedError, match="已有一把有效密钥"):
        township_service.add_station(town, tmp_path / "new-key.json")
    township_service.revoke_station(town, "K01", "换电脑")
    info, added = township_service.add_station(town, tmp_path / "new-key.json")
    assert added and info.active and len(info.key_ids) == 1
    with pytest.raises(InputError):
        township_service.revoke_station(town, "K01", "")


# ---- township -> stations ------------------------------------------------------------------------------
@pytest.fixture
def two_stations(week, tmp_path):
    """Copies of K01 and K02, ready to issue and check passes on the last day of the week."""
    out = {}
    for code in ("K01", "K02"):
        store = open_store(copy_db(week.dbs[code], tmp_path / f"{code}-live.db"))
        out[code] = (store, accounts.authenticate(store, "王队长", "1234"))
    yield out
    for store, _ in out.values():
        store.close()


def _town_bundle_and_key(town, tmp_path, now=TOWN_NOW):
    key_file = tmp_path / "township-key.json"
    township_service.export_key(town, key_file)
    return township_bundle.write_bundle(town, tmp_path / "back", now=now), key_file


def test_a_pass_revoked_at_one_station_is_refused_at_another(town, week, two_stations, tmp_path):
    (a, leader_a), (b, leader_b) = two_stations["K01"], two_stations["K02"]
    evening = at(WEEK[-1], 20)
    form = PassForm(kind="household", name="张三丰", doc_no=ZHANG, village="红旗村")
    kept = passes.issue_pass(a, leader_a, form, now=evening)
    lost = passes.issue_pass(a, leader_a, form, now=evening)
    passes.revoke_pass(a, leader_a, lost.number, "卡丢失", now=evening)
    assert passes.verify_scan(b, leader_b, kept.token, now=evening).verdict.verdict == "unknown-issuer"
    re_export = export.export_day(a, WEEK[-1], tmp_path / "evening", now=evening)

    collect(town, week.usb, re_export.folder)
    township_service.set_policy(town, "武汉市,绥芬河市", {"outsider_default": "turn-back"})
    result, key_file = _town_bundle_and_key(town, tmp_path)
    assert result.serial == 1 and result.revocations == 1 and result.keys == 4

    done = township_import.import_bundle(b, leader_b, result.zip_path, key_file)
    # the station holds the township's key since before its first export: not a first time
    assert not done.key_first_time and done.keys_added == 2 and done.revocations_added == 1
    assert done.policy_version is not None
    later = evening + dt.timedelta(minutes=5)
    refused = passes.verify_scan(b, leader_b, lost.token, now=later)
    assert refused.verdict.verdict == "revoked" and "卡丢失" in refused.reason
    assert passes.verify_scan(b, leader_b, kept.token, now=later).verdict.valid
    from checkpoint.services.policy import current_policy
    policy = current_policy(b)
    assert policy.key_areas == ("武汉市", "绥芬河市") and policy.outsider_default == "turn-back"
    assert verify_chain(b).whole

    before = dump(b)
    again = township_import.import_bundle(b, leader_b, result.folder)  # the key is kept: no file needed
    assert again.already and dump(b) == before


def test_a_station_revoked_by_the_township_has_its_passes_refused(town, week, two_stations, tmp_path):
    (a, leader_a), (b, leader_b) = two_stations["K01"], two_stations["K02"]
    evening = at(WEEK[-1], 20)
    issued = passes.issue_pass(a, leader_a, PassForm(kind="household", name="张三丰", doc_no=ZHANG, village="红旗村"),
                               now=evening)
    first, key_file = _town_bundle_and_key(town, tmp_path)
    township_import.import_bundle(b, leader_b, first.folder, key_file)
    assert passes.verify_scan(b, leader_b, issued.token, now=evening).verdict.valid
    township_service.revoke_station(town, "K01", "笔记本被盗")
    second = township_bundle.write_bundle(town, tmp_path / "back", now=TOWN_NOW + dt.timedelta(hours=1))
    done = township_import.import_bundle(b, leader_b, second.zip_path)
    assert done.serial == 2 and done.keys_revoked == 1
    assert passes.verify_scan(b, leader_b, issued.token, now=evening).verdict.valid is False
    assert verify_chain(b).whole
    with pytest.raises(RefusedError, match="比已导入的第2号旧"):
        township_import.import_bundle(b, leader_b, first.folder)


def test_a_township_bundle_that_is_not_right_changes_nothing_at_the_station(town, tmp_path):
    b, leader_b = new_station(tmp_path / "K05.db", "K05", "南口卡点")  # never given the township's key
    result, key_file = _town_bundle_and_key(town, tmp_path)
    before = dump(b)
    with pytest.raises(InputError, match="第一次导入需要乡镇公钥"):
        township_import.import_bundle(b, leader_b, result.folder)
    tampered = tmp_path / "tampered"
    shutil.copytree(result.folder, tampered)
    _flip(tampered / "trust.json", 60)
    with pytest.raises(BundleRejected, match="被改动过"):
        township_import.import_bundle(b, leader_b, tampered, key_file)
    other = open_township_store(tmp_path / "other-town.db")
    township_service.init_township(other, "别的镇")
    forged = township_bundle.write_bundle(other, tmp_path / "forged", now=TOWN_NOW)
    other.close()
    with pytest.raises(BundleRejected, match="另一个密钥"):
        township_import.import_bundle(b, leader_b, forged.folder, key_file)
    with pytest.raises(InputError, match="不是卡点公钥文件"):
        township_import.import_bundle(b, leader_b, result.folder, result.folder / "trust.json")
    staff_key = Path(tmp_path / "station-key.json")
    keys.export_public_key(b, staff_key)
    with pytest.raises(InputError, match="不是乡镇的公钥文件"):
        township_import.import_bundle(b, leader_b, result.folder, staff_key)
    assert dump(b) == before
    b.close()


def test_only_leaders_import(town, two_stations, tmp_path):
    b, leader_b = two_stations["K02"]
    accounts.add_staff(b, "李四", "staff", "2222", leader_b)
    clerk = accounts.authenticate(b, "李四", "2222")
    result, key_file = _town_bundle_and_key(town, tmp_path)
    with pytest.raises(RefusedError):
        township_import.import_bundle(b, clerk, result.folder, key_file)


# ---- the pure rules --------------------------------------------------------------------------------------
def test_rules_village_status_late_supplies_and_totals():
    assert rules.village_of("青山镇红旗村3组") == "青山镇红旗村"
    assert rules.village_of(" 青山镇 幸福社区 5栋") == "青山镇幸福社区"
    assert rules.village_of("外省某县") == "外省某县"
    due = rules.deadline(WEEK[0], rules.parse_cutoff("17:00"), TZ)
    assert rules.status_of(False, False, due, due - dt.timedelta(minutes=1)) == rules.WAITING
    assert rules.status_of(False, False, due, due + dt.timedelta(minutes=1)) == rules.MISSING
    assert rules.status_of(True, True, due, due) == rules.ZERO
    assert rules.is_late(due + dt.timedelta(seconds=1), due) and not rules.is_late(due, due)
    assert rules.parse_cutoff("25:00") is None and rules.parse_cutoff("8:30") == dt.time(8, 30)
    alerts = rules.low_supplies("东口", {"supplies": [{"item": "masks", "count": 0, "days_left": None, "low": False},
                                                      {"item": "forms", "count": 50, "days_left": 1.5, "low": False},
                                                      {"item": "gloves", "count": 90, "days_left": 9, "low": False}]})
    assert [a.item for a in alerts] == ["masks", "forms"]
    assert rules.totals([{"persons": 2, "fevers": 1}, {"persons": 3, "supplies": []}])["persons"] == 5


def test_merging_keeps_a_person_without_an_id_by_name_and_phone():
    row = dict(station_name="东口", village="红旗村", address="红旗村", name="小明", doc_no="", phone="13800001111",
               disposition="留验", fever="是", temp="37.9", recorded="2026-11-16 09:00:00")
    groups = rules.merge_follow_up([row, {**row, "station_name": "西口", "recorded": "2026-11-16 10:00:00"},
                                    {**row, "name": "小红", "phone": "13900002222"}])
    assert [(p.name, p.stations) for p in groups[0].people] == [("小明", ("东口", "西口")), ("小红", ("东口",))]


def test_township_init_refuses_bad_values(tmp_path):
    store = open_township_store(tmp_path / "t.db")
    with pytest.raises(InputError):
        township_service.init_township(store, "")
    with pytest.raises(InputError):
        township_service.init_township(store, "青山镇", cutoff="5pm")
    town = township_service.init_township(store, "青山镇", cutoff="18:00")
    assert town.cutoff == "18:00" and len(town.fingerprint.split()) == 5
    with pytest.raises(InputError, match="已经设置为 青山镇"):
        township_service.init_township(store, "别的镇")
    store.close()
    assert os.path.exists(tmp_path / "t.db")
