"""What crosses the USB stick, through the services on real databases and real files: signatures
over the manifest's exact bytes (both directions), the files naming persons sealed to the township,
the audit head in every daily export, the township list's version and age, the township's key
replaced through a signed announcement or by hand with its fingerprint, and the zip limits checked
before anything is unpacked."""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from checkpoint.domain.passes import PassForm
from checkpoint.domain.registration import PersonForm, VehicleForm
from checkpoint.errors import InputError, RefusedError
from checkpoint.exchange import BundleRejected, formats, sealed, signature
from checkpoint.services import export, keys, passes, registration
from checkpoint.township import bundle as township_bundle
from checkpoint.township import collect as township_collect
from checkpoint.township import office as township_service
from checkpoint.services import township_import, trust_status
from checkpoint.township import report as township_report
from checkpoint.township import report_files
from checkpoint.services.audit import verify_chain
from checkpoint.store import open_store
from checkpoint.township.schema import open_township_store

TZ = dt.timezone(dt.timedelta(hours=8))
DAY1, DAY2 = dt.date(2026, 11, 23), dt.date(2026, 11, 24)
TOWN_NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=TZ)

# The personal values of the day: none may be in any byte on the stick.
PEOPLE = [
    ("张三丰", "11010519491231002X", "13812345678", "青山镇红旗村3组12号", "hold", "37.9", "38.0"),
    ("李芳", "110108198506123015", "13912345678", "青山镇白云村5组8号", "home-isolation", "36.6", ""),
    ("欧阳明月", "110101200001010037", "13700001111", "外省某县幸福路18号", "release", "36.5", ""),
]
PASS_HOLDER = ("赵敏", "110102199001010046")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def register_people(store, by, day: dt.date) -> None:
    for i, (name, doc, phone, address, disposition, temp, recheck) in enumerate(PEOPLE):
        registration.register(store, by, [PersonForm(
            name=name, doc_no=doc, phone=phone, address=address, origin="湖北省宜昌市", temp=temp,
            recheck_temp=recheck, direction="in", disposition=disposition,
            key_area_travel=disposition == "home-isolation", travel_where="武汉" if disposition == "home-isolation" else "")],
            VehicleForm(plate="粤B12345") if i == 0 else None, now=at(day, 9 + i))
    passes.issue_pass(store, by, PassForm(kind="household", name=PASS_HOLDER[0], doc_no=PASS_HOLDER[1],
                                          village="红旗村"), now=at(day, 13))


def personal_values() -> list[str]:
    values = [PASS_HOLDER[0], PASS_HOLDER[1]]
    for name, doc, phone, address, *_ in PEOPLE:
        values += [name, doc, phone, address]
    return values


@pytest.fixture
def town(tmp_path, township_keys, station):
    """The township whose key the station holds, with the station registered."""
    store = open_township_store(township_keys.copy_db(tmp_path / "town.db"))
    keys.export_public_key(station, tmp_path / "k01.key")
    township_service.add_station(store, tmp_path / "k01.key")
    yield store
    store.close()


@pytest.fixture
def sealing_station(station, leader, township_keys):
    township_keys.give(station, leader)
    return station


def collect(town, *paths, now=TOWN_NOW):
    return township_collect.collect(town, list(paths), now=now)


def all_bytes_of(result) -> list[tuple[str, bytes]]:
    """Every byte the bundle puts on the stick: each file of the folder, the zip as it lies there,
    and each member of the zip unpacked (deflate would hide a plain value from a raw search)."""
    found = [(p.name, p.read_bytes()) for p in result.folder.iterdir()]
    found.append((result.zip_path.name, result.zip_path.read_bytes()))
    with zipfile.ZipFile(result.zip_path) as archive:
        found += [(f"zip:{n}", archive.read(n)) for n in archive.namelist()]
    return found


# ---- files naming persons are sealed ------------------------------------------------------------------
def test_no_personal_value_of_the_day_is_in_any_byte_on_the_stick(sealing_station, leader, town, tmp_path):
    register_people(sealing_station, leader, DAY2)
    result = export.export_day(sealing_station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17))
    assert set(result.sealed) == {"ledger.csv", "ledger.xlsx", "follow-up.csv", "follow-up.xlsx",
                                  "report.docx"} and not result.plain
    assert {p.name for p in result.folder.iterdir()} >= {"ledger.csv.enc", "follow-up.csv.enc", "manifest.sig"}
    values = personal_values()
    for name, data in all_bytes_of(result):
        for value in values:
            assert value.encode("utf-8") not in data, (value, name)
            assert value.encode("utf-16-le") not in data, (value, name)   # as Excel strings might hold them
    # what stays readable: counts, the zero report flag, the report by village, the manifest
    summary = json.loads((result.folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["persons"] == 3 and summary["zero_report"] is False
    assert "青山镇红旗村：留验1" in (result.folder / "report.md").read_text(encoding="utf-8")

    [outcome] = collect(town, result.zip_path)
    assert outcome.status == township_collect.NEW and not outcome.plain
    people = [p for g in township_report.build_day(town, DAY2.isoformat(), TOWN_NOW).villages for p in g.people]
    assert sorted((p.name, p.doc_no, p.phone, p.address) for p in people) == sorted(
        (name, doc, phone, address) for name, doc, phone, address, disposition, *_ in PEOPLE
        if disposition != "release")
    written = report_files.write_report(town, DAY2.isoformat(), tmp_path / "report", now=TOWN_NOW)
    text = written.markdown.read_text(encoding="utf-8")
    for name, doc, phone, address, disposition, *_ in PEOPLE[:2]:   # the two to follow up, in full
        assert name in text and doc in text and phone in text


def test_a_file_added_to_the_bundle_later_is_sealed_unless_declared_readable(sealing_station, leader, tmp_path,
                                                                            monkeypatch):
    """The rule is one list of readable files: a new file (another list, say) is sealed."""
    real = export._write_files

    def with_extra(store, folder, *args, **kw):
        names = real(store, folder, *args, **kw)
        (folder / "extra-list.xlsx").write_bytes("张三丰 11010519491231002X".encode("utf-8"))
        return sorted([*names, "extra-list.xlsx"])

    monkeypatch.setattr(export, "_write_files", with_extra)
    result = export.export_day(sealing_station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17))
    assert "extra-list.xlsx" in result.sealed and (result.folder / "extra-list.xlsx.enc").is_file()
    assert not (result.folder / "extra-list.xlsx").exists()


def test_without_the_township_key_export_is_refused_and_plain_only_when_asked(station, leader, town, tmp_path):
    register_people(station, leader, DAY2)
    with pytest.raises(RefusedError) as caught:
        export.export_day(station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17))
    assert "township key" in caught.value.message or "key 文件" in caught.value.message
    assert "--township-key" in caught.value.message and "--plain" in caught.value.message
    assert not (tmp_path / "usb").exists() or not any((tmp_path / "usb").iterdir())
    assert station.read_one("SELECT count(*) AS n FROM audit WHERE action = 'export.day'")["n"] == 0

    plain = export.export_day(station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17), plain=True)
    assert plain.plain and (plain.folder / "follow-up.csv").is_file()
    manifest = json.loads((plain.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encryption"] is None
    [outcome] = collect(town, plain.folder)
    assert outcome.accepted and outcome.plain and "未加密" in outcome.line


def test_the_local_copy_is_readable_and_never_inside_the_export_folder(sealing_station, leader, tmp_path):
    register_people(sealing_station, leader, DAY2)
    usb = tmp_path / "usb"
    with pytest.raises(InputError, match="明文副本"):
        export.export_day(sealing_station, DAY2, usb, by=leader, now=at(DAY2, 17), local_copy=usb / "copy")
    with pytest.raises(InputError, match="明文副本"):
        export.export_day(sealing_station, DAY2, usb / "exports", by=leader, now=at(DAY2, 17), local_copy=usb)
    result = export.export_day(sealing_station, DAY2, usb, by=leader, now=at(DAY2, 17),
                               local_copy=tmp_path / "leader")
    assert result.local_copy == (tmp_path / "leader" / result.folder.name).resolve()
    follow_up = (result.local_copy / "follow-up.csv").read_text(encoding="utf-8-sig")
    assert "张三丰" in follow_up and "11010519491231002X" in follow_up
    assert (result.local_copy.stat().st_mode & 0o077) == 0     # only the laptop's own user reads it
    assert not any(p.name.endswith(".partial") for p in (tmp_path / "leader").iterdir())
    again = export.export_day(sealing_station, DAY2, usb, by=leader, now=at(DAY2, 18))
    assert again.local_copy is None and [p.name for p in (tmp_path / "leader").iterdir()] == [result.folder.name]


def test_a_sealed_file_opens_only_whole_unchanged_under_its_own_name_with_the_right_key(tmp_path, township_keys):
    source = tmp_path / "follow-up.csv"
    source.write_bytes(b"x" * (3 * sealed.CHUNK + 5))     # four chunks
    pair = sealed.new_key_pair()
    sealed.seal_file(source, tmp_path / "s.enc", pair.public, "follow-up.csv")
    sealed.open_file(tmp_path / "s.enc", tmp_path / "back", [pair.private], "follow-up.csv", 1 << 20)
    assert (tmp_path / "back").read_bytes() == source.read_bytes()

    def refused(path, name="follow-up.csv", keys_=(pair.private,)):
        with pytest.raises(BundleRejected) as caught:
            sealed.open_file(path, tmp_path / "out", list(keys_), name, 1 << 20)
        assert not (tmp_path / "out").exists()
        return caught.value.key

    data = (tmp_path / "s.enc").read_bytes()
    cut = tmp_path / "cut.enc"
    cut.write_bytes(data[:sealed.HEADER + sealed.CHUNK + sealed.TAG])   # the first chunk only
    assert refused(cut) == "exchange.sealed_damaged"
    flipped = bytearray(data)
    flipped[-1] ^= 1
    (tmp_path / "flip.enc").write_bytes(bytes(flipped))
    assert refused(tmp_path / "flip.enc") == "exchange.sealed_damaged"
    assert refused(tmp_path / "s.enc", name="ledger.csv") == "exchange.sealed_damaged"
    assert refused(tmp_path / "s.enc", keys_=township_keys.private_keys()) == "exchange.sealed_for_other"
    assert refused(source) == "exchange.not_sealed"
    with pytest.raises(BundleRejected, match="文件过大"):
        sealed.open_file(tmp_path / "s.enc", tmp_path / "out", [pair.private], "follow-up.csv", 1000)
    assert not (tmp_path / "out").exists()


# ---- signatures over exact bytes ----------------------------------------------------------------------
def _tab_inserted(text: str) -> str:
    return text.replace("{\n", "{\n\t", 1)


def _final_newline_to_space(text: str) -> str:
    assert text.endswith("\n")
    return text[:-1] + " "


def _revision_space_to_tab(text: str) -> str:
    assert '"revision": 1' in text
    return text.replace('"revision": 1', '"revision":\t1')


EDITS = [_tab_inserted, _final_newline_to_space, _revision_space_to_tab]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__[1:] for e in EDITS])
def test_a_whitespace_edit_of_the_manifest_is_refused_and_the_genuine_bundle_then_accepted(
        sealing_station, leader, town, tmp_path, edit):
    result = export.export_day(sealing_station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17))
    edited = tmp_path / "edited" / result.folder.name
    shutil.copytree(result.folder, edited)
    text = (edited / "manifest.json").read_text(encoding="utf-8")
    (edited / "manifest.json").write_text(edit(text), encoding="utf-8")
    json.loads((edited / "manifest.json").read_text(encoding="utf-8"))   # still the same JSON
    before = "\n".join(town.conn.iterdump())
    [refused] = collect(town, edited)
    assert refused.status == township_collect.REJECTED and "签名不符" in refused.reason
    assert "\n".join(town.conn.iterdump()) == before
    [genuine] = collect(town, result.zip_path)
    assert genuine.status == township_collect.NEW, genuine.line


def test_any_byte_of_the_signature_file_changed_is_refused(sealing_station, leader, town, tmp_path):
    result = export.export_day(sealing_station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17))
    original = (result.folder / "manifest.sig").read_bytes()
    variants = [original.replace(b"{\n", b"{\n ", 1), original[:-1], original + b"\n",
                original.replace(b'"version": 1', b'"version": 2')]
    for i, data in enumerate(variants):
        edited = tmp_path / f"sig-{i}" / result.folder.name
        shutil.copytree(result.folder, edited)
        (edited / "manifest.sig").write_bytes(data)
        [outcome] = collect(town, edited)
        assert outcome.status == township_collect.REJECTED and "manifest.sig" in outcome.reason, outcome.reason
    missing = tmp_path / "nosig" / result.folder.name
    shutil.copytree(result.folder, missing)
    (missing / "manifest.sig").unlink()
    [outcome] = collect(town, missing)
    assert "缺少文件：manifest.sig" in outcome.reason
    assert collect(town, result.folder)[0].status == township_collect.NEW


def _old_format(folder: Path, sign, key_id: str) -> None:
    """Turn a bundle into the previous format: the signature inside manifest.json, over the manifest
    serialised canonically, and no manifest.sig (what version 1 of the program wrote)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = 1
    (folder / "manifest.sig").unlink()
    body = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    manifest["signature"] = {"algorithm": "ed25519", "key_id": key_id,
                             "value": base64.b64encode(sign(body)).decode("ascii")}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_a_bundle_of_the_previous_format_is_refused_with_a_sentence(sealing_station, leader, town, tmp_path):
    result = export.export_day(sealing_station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17))
    old = tmp_path / "old" / result.folder.name
    shutil.copytree(result.folder, old)
    row = keys.ensure_station_key(sealing_station)
    _old_format(old, keys.signer(row), row["key_id"])
    [outcome] = collect(town, old)
    assert outcome.status == township_collect.REJECTED
    assert "旧版程序" in outcome.reason and "重新导出" in outcome.reason

    bundle = township_bundle.write_bundle(town, tmp_path / "back", now=TOWN_NOW)
    old_town = tmp_path / "old-town" / bundle.folder.name
    shutil.copytree(bundle.folder, old_town)
    _old_format(old_town, township_service.signer(town), township_service.require_township(town).key_id)
    with pytest.raises(BundleRejected, match="旧版程序"):
        township_import.import_bundle(sealing_station, leader, old_town)


# ---- the township -> station bundle -------------------------------------------------------------------
def _serial_space_to_tab(text: str) -> str:
    assert '"serial": 1' in text
    return text.replace('"serial": 1', '"serial":\t1')


TOWN_EDITS = [_tab_inserted, _final_newline_to_space, _serial_space_to_tab]


@pytest.mark.parametrize("edit", TOWN_EDITS, ids=[e.__name__[1:] for e in TOWN_EDITS])
def test_the_township_bundle_edited_in_whitespace_is_refused_then_the_genuine_one_applied(
        station, leader, town, tmp_path, township_keys, edit):
    bundle = township_bundle.write_bundle(town, tmp_path / "back", now=TOWN_NOW)
    edited = tmp_path / "edited" / bundle.folder.name
    shutil.copytree(bundle.folder, edited)
    text = (edited / "manifest.json").read_text(encoding="utf-8")
    (edited / "manifest.json").write_text(edit(text), encoding="utf-8")
    json.loads((edited / "manifest.json").read_text(encoding="utf-8"))   # still the same JSON
    before = "\n".join(station.conn.iterdump())
    with pytest.raises(BundleRejected, match="签名不符"):
        township_import.import_bundle(station, leader, edited, township_keys.key_file)
    assert "\n".join(station.conn.iterdump()) == before
    done = township_import.import_bundle(station, leader, bundle.zip_path, township_keys.key_file)
    assert done.serial == 1 and not done.already


def test_the_list_version_and_age_are_kept_and_each_check_records_its_list(station, leader, staff_member, town,
                                                                       tmp_path, township_keys):
    issued = passes.issue_pass(station, leader, PassForm(kind="household", name=PASS_HOLDER[0],
                                                         doc_no=PASS_HOLDER[1], village="红旗村"), now=at(DAY2, 8))
    before = passes.verify_scan(station, staff_member, issued.token, "out", now=at(DAY2, 9))
    assert "还没有导入乡镇名单" in trust_status.list_age_line(station, at(DAY2, 9))
    bundle = township_bundle.write_bundle(town, tmp_path / "back", now=at(DAY2, 8))
    township_import.import_bundle(station, leader, bundle.folder, township_keys.key_file)
    after = passes.verify_scan(station, staff_member, issued.token, "in", now=at(DAY2, 10))
    rows = {r["id"]: r["list_serial"] for r in station.read("SELECT id, list_serial FROM crossings")}
    assert rows == {before.crossing_id: None, after.crossing_id: 1}
    assert verify_chain(station).whole

    state = trust_status.trust_state(station, at(DAY2, 8) + dt.timedelta(days=2, hours=3))
    assert (state.serial, state.max_days, state.stale) == (1, 3, False) and state.can_seal
    assert state.issued_at == at(DAY2, 8)
    assert trust_status.list_age_line(station, at(DAY2, 8) + dt.timedelta(days=2, hours=3)) == "乡镇名单第1号，已2天3小时"
    old = trust_status.list_age_line(station, at(DAY2, 8) + dt.timedelta(days=3, hours=1))
    assert old.startswith("乡镇名单第1号，已3天1小时") and "超过3天" in old
    lines = trust_status.status_lines(station, at(DAY2, 8) + dt.timedelta(days=4))
    assert any("签发于 2026-11-24 08:00" in line for line in lines)
    assert any("已超过3天" in line for line in lines)
    assert any(township_service.require_township(town).fingerprint in line for line in lines)

    from checkpoint.services import settings
    settings.change_setting(station, leader, "trust-max-age", "５")
    assert not trust_status.trust_state(station, at(DAY2, 8) + dt.timedelta(days=4)).stale
    for bad in ("0", "366", "abc", "-1", ""):
        with pytest.raises(InputError):
            settings.change_setting(station, leader, "trust-max-age", bad)


def test_a_new_township_key_is_accepted_when_announced_under_the_old_one(sealing_station, leader, town, tmp_path,
                                                                       township_keys):
    first = township_bundle.write_bundle(town, tmp_path / "back", now=TOWN_NOW)
    township_import.import_bundle(sealing_station, leader, first.folder)
    # sealed to the old key, on the stick before the station learnt of the change
    before_change = export.export_day(sealing_station, DAY1, tmp_path / "usb", by=leader, now=at(DAY1, 17))

    old, middle = township_service.rotate_key(town, now=TOWN_NOW)
    _, new = township_service.rotate_key(town, now=TOWN_NOW + dt.timedelta(minutes=1))  # two changes missed
    assert len({old.key_id, middle.key_id, new.key_id}) == 3
    second = township_bundle.write_bundle(town, tmp_path / "back", now=TOWN_NOW + dt.timedelta(hours=1))
    claimed = signature.read_claimed(second.folder, formats.TOWNSHIP_MANIFEST)
    assert claimed.key_id == new.key_id

    forged = tmp_path / "forged" / second.folder.name
    shutil.copytree(second.folder, forged)
    changes = json.loads((forged / "key-changes.json").read_text(encoding="utf-8"))
    changes["changes"][0]["signature"] = base64.b64encode(b"\0" * 64).decode()
    (forged / "key-changes.json").write_text(json.dumps(changes), encoding="utf-8")
    with pytest.raises(BundleRejected, match="换密钥的通知签名不符"):
        township_import.import_bundle(sealing_station, leader, forged)

    done = township_import.import_bundle(sealing_station, leader, second.zip_path)
    assert done.key_changed_from is not None and done.key_changed_from.key_id == old.key_id
    assert township_import.stored_township_key(sealing_station).key_id == new.key_id
    assert township_import.encryption_key(sealing_station) == new.encryption_key
    assert verify_chain(sealing_station).whole

    after_change = export.export_day(sealing_station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17))
    recipient = json.loads((after_change.folder / "manifest.json").read_text(encoding="utf-8"))["encryption"]
    assert recipient["recipient"] == sealed.recipient_id(new.encryption_key)
    outcomes = collect(town, before_change.folder, after_change.folder)
    assert [o.status for o in outcomes] == [township_collect.NEW, township_collect.NEW]  # both keys still open


def test_replacing_the_township_key_by_hand_needs_its_fingerprint(station, leader, town, tmp_path, township_keys):
    with pytest.raises(RefusedError, match="指纹不符"):
        township_import.replace_township_key(station, leader, township_keys.key_file, "0000 0000 0000 0000 0000")
    assert township_import.stored_township_key(station) is None
    spaced = township_keys.fingerprint.lower().replace(" ", "")
    key = township_import.replace_township_key(station, leader, township_keys.key_file, spaced)
    assert key.encryption_key is not None and township_import.encryption_key(station) == key.encryption_key
    for hour in (1, 2):
        bundle = township_bundle.write_bundle(town, tmp_path / "back", now=TOWN_NOW + dt.timedelta(hours=hour))
        township_import.import_bundle(station, leader, bundle.folder)
    assert township_import.list_state(station)[0] == 2

    other = open_township_store(tmp_path / "other.db")    # a township database made anew
    town2 = township_service.init_township(other, "新青山镇")
    township_service.export_key(other, tmp_path / "other.key")
    bundle = township_bundle.write_bundle(other, tmp_path / "back2", now=TOWN_NOW + dt.timedelta(hours=3))
    other.close()
    with pytest.raises(RefusedError):   # a different key given at import is never taken silently
        township_import.import_bundle(station, leader, bundle.folder, tmp_path / "other.key")
    with pytest.raises(BundleRejected, match="另一个密钥"):
        township_import.import_bundle(station, leader, bundle.folder)
    township_import.replace_township_key(station, leader, tmp_path / "other.key", town2.fingerprint)
    assert township_import.encryption_key(station) == town2.encryption_key
    assert township_import.import_bundle(station, leader, bundle.folder).serial == 1   # numbering starts again
    rows = station.read("SELECT action FROM audit WHERE action LIKE 'township.key%' ORDER BY id")
    assert [r["action"] for r in rows] == ["township.key_replace", "township.key_replace"]
    assert verify_chain(station).whole


# ---- the audit head ------------------------------------------------------------------------------------
def test_every_daily_export_carries_the_audit_head(sealing_station, leader, tmp_path):
    register_people(sealing_station, leader, DAY2)
    head = sealing_station.read_one("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
    result = export.export_day(sealing_station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17))
    summary = json.loads((result.folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["audit_head"] == {"seq": head["id"], "hash": head["hash"]}
    listed = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert any(f["name"] == "summary.json" for f in listed)   # so the signed manifest covers the head


def _cut_tail(db: Path, keep: int) -> None:
    """What a person with the sqlite3 shell does: the audit table's guards dropped, the newest audit
    rows deleted (tests/store/test_audit_coverage.py shows the station's own verify catching it)."""
    from tests.store.test_audit_coverage import DROP_GUARDS

    conn = sqlite3.connect(db)
    for statement in DROP_GUARDS:
        conn.execute(statement)
    conn.execute("DELETE FROM audit WHERE id > ?", (keep,))
    conn.commit()
    conn.close()


def test_a_later_bundle_whose_audit_head_is_behind_is_refused(sealing_station, leader, town, tmp_path, db_path):
    register_people(sealing_station, leader, DAY1)
    first = export.export_day(sealing_station, DAY1, tmp_path / "usb", by=leader, now=at(DAY1, 17))
    assert collect(town, first.folder)[0].status == township_collect.NEW
    seq = json.loads((first.folder / "summary.json").read_text(encoding="utf-8"))["audit_head"]["seq"]
    sealing_station.close()
    _cut_tail(db_path, seq - 10)
    store = open_store(db_path)
    try:
        later = export.export_day(store, DAY2, tmp_path / "usb", now=at(DAY2, 17))
        same_day = export.export_day(store, DAY1, tmp_path / "usb", now=at(DAY2, 18))   # a newer revision
    finally:
        store.close()
    before = "\n".join(town.conn.iterdump())
    for bundle in (later, same_day):
        [outcome] = collect(town, bundle.folder)
        assert outcome.status == township_collect.REJECTED
        assert "被删掉了末尾" in outcome.reason and "2026-11-23 第1版" in outcome.reason, outcome.reason
    assert "\n".join(town.conn.iterdump()) == before


def test_a_head_with_a_known_sequence_and_another_hash_is_refused(sealing_station, leader, town, tmp_path):
    first = export.export_day(sealing_station, DAY1, tmp_path / "usb", by=leader, now=at(DAY1, 17))
    collect(town, first.folder)
    second = export.export_day(sealing_station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17))
    # a station build that rewrote its chain: the head claims the first bundle's row with another hash
    summary = json.loads((second.folder / "summary.json").read_text(encoding="utf-8"))
    first_head = json.loads((first.folder / "summary.json").read_text(encoding="utf-8"))["audit_head"]
    summary["audit_head"] = {"seq": first_head["seq"], "hash": "f" * 64}
    (second.folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                                                encoding="utf-8")
    manifest = json.loads((second.folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = signature.file_entries(second.folder, [f["name"] for f in manifest["files"]])
    row = keys.ensure_station_key(sealing_station)
    signature.write_signed(second.folder, manifest, row["key_id"], keys.signer(row))
    [outcome] = collect(town, second.folder)
    assert outcome.status == township_collect.REJECTED and "被改写过" in outcome.reason


def test_genuine_bundles_collected_in_any_order_are_accepted(sealing_station, leader, town, tmp_path):
    day2 = export.export_day(sealing_station, DAY2, tmp_path / "usb", by=leader, now=at(DAY2, 17))
    register_people(sealing_station, leader, DAY1)     # yesterday corrected: a newer revision of DAY1
    day1_r1 = export.export_day(sealing_station, DAY1, tmp_path / "a", by=leader, now=at(DAY2, 17, 30))
    day1_r2 = export.export_day(sealing_station, DAY1, tmp_path / "b", by=leader, now=at(DAY2, 18))
    outcomes = collect(town, day1_r2.folder, day2.folder, day1_r1.folder)
    assert [o.status for o in outcomes] == [township_collect.NEW, township_collect.NEW, township_collect.OLDER]


# ---- limits before work --------------------------------------------------------------------------------
def _zeros_zip(path: Path, members: int, size: int, folder: str = "K01-2026-11-24-r1") -> Path:
    """A zip of `members` files of `size` zero bytes each, written with the zip format's own
    structures: the deflated zeros are made once and reused, so neither the disk nor the memory
    ever holds the unpacked size."""
    import struct
    import zlib

    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b"\0" * (1 << 20)
    packed, crc = [], 0
    for _ in range(size // len(block)):
        packed.append(squeeze.compress(block))
        crc = zlib.crc32(block, crc)
    packed.append(squeeze.flush())
    data = b"".join(packed)
    central, offset = [], 0
    with open(path, "wb") as out:
        for i in range(members):
            name = f"{folder}/part{i:02d}.csv".encode()
            header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0)
            out.write(header + name + data)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size,
                                       len(name), 0, 0, 0, 0, 0, offset) + name)
            offset += len(header) + len(name) + len(data)
        directory = b"".join(central)
        out.write(directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, members, members, len(directory), offset, 0))
    return path


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(town, tmp_path, monkeypatch):
    bomb = _zeros_zip(tmp_path / "K01-2026-11-24-r1.zip", 11, 190 * 1024 * 1024)
    assert bomb.stat().st_size < 5 * 1024 * 1024
    with zipfile.ZipFile(bomb) as archive:
        assert sum(i.file_size for i in archive.infolist()) == 11 * 190 * 1024 * 1024
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    [outcome] = collect(town, bomb)
    assert outcome.status == township_collect.REJECTED and "未解压" in outcome.reason, outcome.reason
    assert list(temp.iterdir()) == []
    one = _zeros_zip(tmp_path / "one.zip", 1, 150 * 1024 * 1024)   # under every size limit, but all zeros
    [outcome] = collect(town, one)
    assert "压缩比异常" in outcome.reason and list(temp.iterdir()) == []


def test_pass_checks_saved_before_the_list_column_existed_still_verify(station, leader, db_path):
    """m005 adds crossings.list_serial to databases already in use: their older crossings were
    digested without it, and the audit chain still holds once the column is there (NULL)."""
    from checkpoint.store import audit

    old = station   # made into the database as it was before m005_trust_exchange
    try:
        old.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_trust_exchange'")
        old.execute("ALTER TABLE crossings DROP COLUMN list_serial")
        with old.write():
            crossing = old.insert("crossings", {"at": "2026-11-20T01:00:00+00:00", "local_day": "2026-11-20",
                                                "key_id": "abcd1234", "pass_number": "K09-000001", "direction": "out",
                                                "verdict": "unknown-issuer", "reason": "x", "staff_id": leader.id})
            audit.append(old, "pass.scan", leader.id, "crossings", crossing, {"number": "K09-000001"})
    finally:
        old.close()
    migrated = open_store(db_path)    # m005 runs now
    try:
        assert migrated.read_one("SELECT list_serial FROM crossings WHERE id = ?", (crossing,))["list_serial"] is None
        assert verify_chain(migrated).whole
        with migrated.write():     # a value written into an old row behind the program's back is caught
            migrated.execute("UPDATE crossings SET list_serial = 7 WHERE id = ?", (crossing,))
        assert not verify_chain(migrated).whole
    finally:
        migrated.close()
