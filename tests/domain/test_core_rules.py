"""The desk's rules: resident IDs (GB 11643), phones, plates, temperature and fever, policy, masking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from checkpoint.domain import contact, documents, masking, plates, policy, temperature
from checkpoint.domain.registration import Context, PersonForm, check_person

TODAY = dt.date(2026, 11, 24)
AREAS = ["110105", "110108", "420100", "422822", "500101", "310115", "440305", "999999"]


@st.composite
def resident_ids(draw):
    area = draw(st.sampled_from(AREAS))
    born = draw(st.dates(min_value=dt.date(1920, 1, 1), max_value=TODAY))
    seq = draw(st.integers(min_value=0, max_value=999))
    body = f"{area}{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def errors(problems):
    return [p for p in problems if p.is_error]


@settings(max_examples=300, deadline=None)
@given(resident_ids())
def test_every_valid_resident_id_is_accepted(number):
    assert errors(documents.check_resident_id(number, TODAY)) == []
    assert errors(documents.check_resident_id(number.lower(), TODAY)) == []


@settings(max_examples=300, deadline=None)
@given(resident_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_every_single_character_change_is_refused(number, position, char):
    if number[position] == char:
        return
    changed = number[:position] + char + number[position + 1:]
    assert errors(documents.check_resident_id(changed, TODAY)), changed


@pytest.mark.parametrize("number", ["11010519491231002X", "110108198506123015", "11010519491231002x"])
def test_domain_examples_are_valid(number):
    assert errors(documents.check_resident_id(number, TODAY)) == []


@pytest.mark.parametrize("number", [
    "500101198501011230",   # Chongqing 50xxxx, born before 1997: issued later, a real card
    "310115198001011234",   # Pudong 310115 before 1993
])
def test_area_code_younger_than_the_person_only_warns(number):
    number = number[:17] + ric.calc_check_digit(number)
    problems = documents.check_resident_id(number, TODAY)
    assert errors(problems) == []


@pytest.mark.parametrize("number,key", [
    ("1101051949123100", "doc.rid_length"), ("110105194902310021", "doc.rid_date"),
    ("11010520300101002X", "doc.rid_future"), ("11010519491231002Y", "doc.rid_format"),
    ("110105194912310021", "doc.rid_checksum"), ("", "doc.required"),
])
def test_wrong_resident_ids_are_named(number, key):
    if key in ("doc.rid_date", "doc.rid_future"):
        number = number[:17] + ric.calc_check_digit(number)
    problems = errors(documents.check_resident_id(number, TODAY))
    assert problems and problems[0].key == key


def test_old_fifteen_digit_and_other_documents():
    assert errors(documents.check_resident_id("110105491231002", TODAY)) == []
    assert errors(documents.check_document("passport", "E12345678", TODAY)) == []
    assert errors(documents.check_document("permit", "H12345678", TODAY)) == []
    assert errors(documents.check_document("none", "", TODAY)) == []
    assert errors(documents.check_document("none", "123", TODAY))
    assert errors(documents.check_document("passport", "E1", TODAY))


@pytest.mark.parametrize("phone,ok", [
    ("13812345678", True), ("+86 138 1234 5678", True), ("008613812345678", True), ("0718-8123456", True),
    ("1381234567", False), ("12812345678", False), ("abc", False), ("", False),
])
def test_phones(phone, ok):
    assert (errors(contact.check_phone(phone)) == []) is ok


@pytest.mark.parametrize("plate,result", [
    ("粤B12345", "ok"), ("粤BD12345", "ok"), ("粤B12345F", "ok"), ("粤b·12345", "ok"), ("京A 1234学", "ok"),
    ("农用车123", "warn"), ("", "ok"), ("粤B1234567890123", "error"), ("粤B12<>45", "error"),
])
def test_plates_warn_on_unusual_shapes_and_refuse_garbage(plate, result):
    problems = plates.check_plate(plate)
    kind = "error" if errors(problems) else ("warn" if problems else "ok")
    assert kind == result


@pytest.mark.parametrize("text,value,key", [
    ("36.5", Decimal("36.5"), None), ("34.0", Decimal("34.0"), None), ("42.5", Decimal("42.5"), None),
    ("365", None, "temp.range_dot"), ("33.9", None, "temp.range"), ("36.55", None, "temp.one_decimal"),
    ("abc", None, "temp.number"), ("NaN", None, "temp.number"), ("inf", None, "temp.number"), ("", None, "temp.required"),
])
def test_temperatures(text, value, key):
    parsed, problems = temperature.parse_temperature(text)
    assert parsed == value
    assert (problems[0].key if problems else None) == key


def test_fever_rule():
    d = Decimal
    assert temperature.fever_status(d("37.2"), None).status == temperature.NORMAL
    assert temperature.fever_status(d("37.3"), None).status == temperature.NEEDS_RECHECK
    assert temperature.fever_status(d("37.8"), d("37.6")).confirmed
    assert temperature.fever_status(d("37.8"), d("37.0")).status == temperature.CLEARED


def test_policy_suggestions_in_order_of_seriousness():
    p = policy.Policy(key_areas=("武汉",))
    assert policy.suggest(p, policy.Facts(resident=True, fever_confirmed=True)).disposition == "hold"
    assert policy.suggest(p, policy.Facts(resident=True, health_code="red")).disposition == "central-isolation"
    assert policy.suggest(p, policy.Facts(resident=True, origin="湖北省武汉市")).disposition == "home-isolation"
    assert policy.suggest(p, policy.Facts(resident=False, origin="湖北省武汉市")).disposition == "turn-back"
    assert policy.suggest(p, policy.Facts(resident=False, symptoms=("cough",))).disposition == "refer"
    assert policy.suggest(p, policy.Facts(resident=False)).disposition == "release"
    strict = policy.Policy(outsider_default="turn-back")
    assert policy.suggest(strict, policy.Facts(resident=False)).disposition == "turn-back"


@pytest.mark.parametrize("text,key", [("放行", "release"), ("留验", "hold"), ("hold", "hold"),
                                      ("Turn back", "turn-back"), ("专人带入", "escorted"), ("随便", None)])
def test_dispositions_in_chinese_or_english(text, key):
    assert policy.parse_disposition(text) == key


def test_masking():
    assert masking.mask_id_number("11010519491231002X") == "110105********002X"
    assert masking.mask_phone("13812345678") == "138****5678"
    assert masking.mask_name("张三丰") == "张*丰" and masking.mask_name("张三") == "张*"


def test_check_person_reports_problems_in_form_order_and_requires_a_confirmed_disposition():
    ctx = Context(today=TODAY, township="青山镇")
    result = check_person(PersonForm(name="", doc_no="110105194912310021", phone="123", temp="38.0"), ctx)
    fields = [p.field for p in result.errors]
    assert fields[:3] == ["name", "doc_no", "phone"]
    assert "recheck_temp" in fields and "disposition" in fields
    ok = check_person(PersonForm(name="张伟", doc_no="110108198506123015", phone="13800001111", origin="本地",
                                 address="青山镇红旗村", temp="37.8", recheck_temp="37.6", disposition="release"), ctx)
    assert [p.key for p in ok.errors] == ["fever.disposition"]
    assert ok.suggestion.disposition == "hold"
