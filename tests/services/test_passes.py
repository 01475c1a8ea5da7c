"""Passes through the services: issue, every verdict, quota and overdue with a fake clock."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from checkpoint.domain import passes as rules
from checkpoint.domain.passes import PassForm
from checkpoint.domain.registration import PersonForm
from checkpoint.errors import FieldProblems, RefusedError
from checkpoint.services import keys, passes, registration

TZ = dt.timezone(dt.timedelta(hours=8))
MORNING = dt.datetime(2026, 11, 24, 8, 0, tzinfo=TZ)
HEAD = PassForm(kind="household", name="张三丰", doc_no="11010519491231002X", village="红旗村",
                members=[("张小明", "110108198506123015")])


def at(days=0, hours=0, minutes=0):
    return MORNING + dt.timedelta(days=days, hours=hours, minutes=minutes)


def count(store, table):
    return store.read(f"SELECT count(*) AS n FROM {table}")[0]["n"]


@pytest.fixture
def issued(station, leader):
    return passes.issue_pass(station, leader, HEAD, now=MORNING)


def scan(store, who, token, direction="out", when=MORNING):
    return passes.verify_scan(store, who, token, direction, now=when)


def test_issue_prints_a_number_and_a_token_without_personal_data(issued):
    assert issued.number == "K01-000001"
    assert issued.claims.holder == "张*丰" and issued.claims.id_last4 == "002X"
    assert "11010519491231002X" not in issued.token
    assert issued.claims.valid_to == dt.date(2026, 12, 23)  # 30 days including today


def test_out_not_back_back_and_quota(station, staff_member, issued):
    assert scan(station, staff_member, issued.token).verdict.verdict == rules.VALID
    again = scan(station, staff_member, issued.token, when=at(minutes=5))
    assert again.verdict.verdict == rules.NOT_BACK
    back = scan(station, staff_member, issued.token, "in", when=at(hours=2))
    assert back.verdict.verdict == rules.VALID and back.verdict.closes_exit
    # 1 exit per 2 days: used today, so tomorrow is refused, the day after is fine
    assert scan(station, staff_member, issued.token, when=at(days=1)).verdict.verdict == rules.QUOTA_USED
    assert scan(station, staff_member, issued.token, when=at(days=2)).verdict.verdict == rules.VALID
    assert count(station, "crossings") == 5  # refused scans are logged too


def test_expired_and_not_yet_valid(station, staff_member, issued):
    assert scan(station, staff_member, issued.token, when=at(days=30)).verdict.verdict == rules.EXPIRED
    assert scan(station, staff_member, issued.token, when=at(days=-1)).verdict.verdict == rules.NOT_YET_VALID


def test_revoked(station, leader, staff_member, issued):
    passes.revoke_pass(station, leader, issued.number, "证件遗失")
    result = scan(station, staff_member, issued.token)
    assert result.verdict.verdict == rules.REVOKED and "证件遗失" in result.reason
    with pytest.raises(RefusedError):
        passes.revoke_pass(station, leader, issued.number, "again")


def test_forged_single_character_and_typed_number(station, staff_member, issued):
    bad = issued.token[:60] + ("B" if issued.token[60] != "B" else "C") + issued.token[61:]
    assert scan(station, staff_member, bad).verdict.verdict in (rules.FORGED, rules.UNKNOWN_ISSUER)
    assert scan(station, staff_member, "k01-000001").verdict.verdict == rules.VALID   # typed number
    assert scan(station, staff_member, "K01-999999").verdict.verdict == rules.UNKNOWN_PASS
    assert scan(station, staff_member, "hello world").verdict.verdict == rules.UNREADABLE   # no pass number
    assert scan(station, staff_member, "x" * 5000).verdict.verdict == rules.UNREADABLE


def test_unknown_issuer_until_its_key_is_imported(tmp_path, station, staff_member, issued):
    from checkpoint.services.accounts import authenticate
    from checkpoint.services.setup import init_station
    from checkpoint.store import open_store

    other = open_store(tmp_path / "other.db")
    init_station(other, "K02", "西口卡点", "青山镇", "刘队长", "5678")
    guard = authenticate(other, "刘队长", "5678")
    assert scan(other, guard, issued.token).verdict.verdict == rules.UNKNOWN_ISSUER
    keys.export_public_key(station, tmp_path / "k01.json")
    info, added = keys.import_public_key(other, guard, tmp_path / "k01.json")
    assert added and info.key_id == issued.claims.key_id
    assert scan(other, guard, issued.token).verdict.verdict == rules.VALID
    # the other station learns of the revocation through the exported list
    from checkpoint.services.accounts import authenticate as auth
    passes.revoke_pass(station, auth(station, "王队长", "1234"), issued.number, "冒用")
    passes.export_revocations(station, tmp_path / "rev.json")
    assert passes.import_revocations(other, guard, tmp_path / "rev.json") == (1, 0)
    assert scan(other, guard, issued.token, when=at(hours=3)).verdict.verdict == rules.REVOKED
    other.close()


def test_holder_under_isolation(station, leader, staff_member, issued):
    registration.register(station, leader, [PersonForm(
        name="张小明", doc_no="110108198506123015", phone="13800001111", origin="湖北省武汉市", temp="36.5",
        direction="in", disposition="home-isolation")], now=at(hours=1))
    assert scan(station, staff_member, issued.token, when=at(hours=2)).verdict.verdict == rules.ISOLATED
    with pytest.raises(RefusedError):
        passes.issue_pass(station, leader, PassForm(kind="medical", name="张小明", doc_no="110108198506123015",
                                                    reason="复诊"), now=at(hours=2))


def test_overdue_after_back_by_time(station, staff_member, issued):
    scan(station, staff_member, issued.token, when=at(hours=1))        # out at 09:00
    assert passes.out_not_back(station, now=at(hours=5), overdue_only=True) == []
    late = passes.out_not_back(station, now=at(hours=11), overdue_only=True)  # 19:00 > 18:00
    assert [r.number for r in late] == [issued.number] and late[0].holder == "张*丰"
    scan(station, staff_member, issued.token, "in", when=at(hours=12))
    assert passes.out_not_back(station, now=at(hours=13)) == []


@pytest.mark.parametrize("form,field", [
    (PassForm(kind="household", name="", doc_no="11010519491231002X"), "name"),
    (PassForm(kind="household", name="张三", doc_no="11010519491231002Y"), "doc_no"),
    (PassForm(kind="vehicle", name="张三", doc_no="11010519491231002X", plate="", route="A-B"), "plate"),
    (PassForm(kind="vehicle", name="张三", doc_no="11010519491231002X", plate="粤B12345", route="县城"), "route"),
    (PassForm(kind="medical", name="张三", doc_no="11010519491231002X"), "reason"),
    (PassForm(kind="work", name="张三", doc_no="11010519491231002X"), "employer"),
    (PassForm(kind="household", name="张三", doc_no="11010519491231002X", back_by="25:00"), "back_by"),
    (PassForm(kind="household", name="张三", doc_no="11010519491231002X", valid_days="0"), "valid_days"),
    (PassForm(kind="spaceship", name="张三", doc_no="11010519491231002X"), "kind"),
])
def test_bad_pass_forms_name_the_field_and_write_nothing(station, leader, form, field):
    with pytest.raises(FieldProblems) as caught:
        passes.issue_pass(station, leader, form, now=MORNING)
    assert caught.value.problems[0].field == field
    assert count(station, "passes") == 0


def test_staff_may_not_issue_or_revoke_by_default(station, staff_member, issued):
    with pytest.raises(RefusedError):
        passes.issue_pass(station, staff_member, HEAD, now=MORNING)
    with pytest.raises(RefusedError):
        passes.revoke_pass(station, staff_member, issued.number, "x")


def test_bad_revocation_file_writes_nothing(tmp_path, station, leader, issued):
    from checkpoint.errors import InputError

    path = tmp_path / "rev.json"
    path.write_text(json.dumps({"format": "checkpoint-revocations", "revocations": [
        {"key_id": "aa", "pass_number": "X-1", "revoked_at": "2026-11-24"}, {"key_id": 5}]}))
    with pytest.raises(InputError):
        passes.import_revocations(station, leader, path)
    assert count(station, "revocations") == 0


def test_audit_chain_whole_after_pass_work(station, staff_member, leader, issued):
    from checkpoint.services.audit import verify_chain

    scan(station, staff_member, issued.token)
    passes.revoke_pass(station, leader, issued.number, "测试")
    assert verify_chain(station).whole


def test_station_key_is_made_at_setup(station):
    assert station.read("SELECT count(*) AS n FROM keys WHERE own = 1")[0]["n"] == 1


def test_staff_may_issue_when_the_station_allows_it(station, leader, staff_member):
    from checkpoint.services.settings import change_setting

    change_setting(station, leader, "pass-issue-staff", "on")
    assert passes.issue_pass(station, staff_member, HEAD, now=MORNING).number == "K01-000001"


def test_photo_with_no_code_or_two_codes(tmp_path):
    import qrcode
    from PIL import Image

    from checkpoint.errors import InputError

    blank = tmp_path / "blank.png"
    Image.new("RGB", (400, 300), "white").save(blank)
    one = qrcode.make("CPAAAA").convert("RGB")
    two = Image.new("RGB", (one.width * 2 + 40, one.height), "white")
    two.paste(one, (0, 0))
    two.paste(qrcode.make("CPBBBB").convert("RGB"), (one.width + 40, 0))
    two.save(tmp_path / "two.png")
    (tmp_path / "not-an-image.png").write_bytes(b"hello")
    for name, key in (("blank.png", "pass.image_none"), ("two.png", "pass.image_many"),
                      ("not-an-image.png", "pass.image_bad"), ("missing.png", "pass.image_missing")):
        with pytest.raises(InputError) as caught:
            passes.read_code_from_image(tmp_path / name)
        assert caught.value.key == key
