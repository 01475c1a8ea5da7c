"""Masking as the 2020 CAC notice has it, and one person's form checked end to end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint.domain import masking
from checkpoint.domain.policy import Policy
from checkpoint.domain.registration import Context, PersonForm, check_person

TODAY = dt.date(2026, 11, 24)
CTX = Context(today=TODAY, township="青山镇", policy=Policy(version=1, key_areas=("武汉",)))


@pytest.mark.parametrize("number,masked", [
    ("11010519491231002X", "110105********002X"), ("110108198506123015", "110108********3015"),
    ("110105491231002", "110105*****1002"), ("E12345678", "E1*****78"), ("1234", "****"), ("", ""),
])
def test_document_numbers(number, masked):
    assert masking.mask_id_number(number) == masked


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_a_masked_resident_id_hides_the_birth_date_and_sequence(body, check):
    number = body + check
    masked = masking.mask_id_number(number)
    assert len(masked) == 18 and masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert masked[6:14] == "*" * 8


@pytest.mark.parametrize("phone,masked", [
    ("13812345678", "138****5678"), ("07188123456", "*******3456"), ("1234", "1234"), ("", ""),
])
def test_phones(phone, masked):
    assert masking.mask_phone(phone) == masked


@pytest.mark.parametrize("name,masked", [
    ("张小三", "张*三"), ("张三", "张*"), ("欧阳小明", "欧**明"), ("张", "张"), ("", ""), (" 李四 ", "李*"),
])
def test_names(name, masked):
    assert masking.mask_name(name) == masked


def test_addresses_keep_the_township_part():
    assert masking.mask_address("青山镇红旗村三组12号") == "青山镇红旗村…"
    assert masking.mask_address("青山镇") == "青山镇"


# ---- check_person --------------------------------------------------------------------------------
def good(**changes) -> PersonForm:
    values = dict(name="张伟", doc_no="110108198506123015", phone="13800001111", address="青山镇红旗村",
                  origin="湖北省宜昌市", temp="36.5", direction="in", disposition="release")
    values.update(changes)
    return PersonForm(**values)


def test_a_good_form_becomes_a_clean_person():
    result = check_person(good(doc_no="110108 19850612 3015", phone="+86 138 0000 1111", name=" 张伟 "), CTX)
    assert result.errors == [] and result.problems == []
    p = result.person
    assert (p.name, p.doc_no, p.phone) == ("张伟", "110108198506123015", "13800001111")
    assert p.temp == Decimal("36.5") and p.fever is False and p.resident is True
    assert (p.disposition, p.suggested, p.policy_version) == ("release", "release", 1)


def test_every_wrong_field_is_reported_in_the_desks_order():
    form = PersonForm(name="", doc_no="110105194912310021", phone="123", address="x" * 101, origin="",
                      travel_where="", key_area_travel=True, purpose="tourism", destination="\x07",
                      symptoms=("sneezing",), health_code="purple", direction="up", temp="38.0", disposition="")
    result = check_person(form, CTX)
    assert result.person is None
    # the desk's rows, top to bottom: 证件号码 first (it is scanned), then 姓名 ...
    assert [p.field for p in result.errors] == [
        "doc_no", "name", "phone", "address", "origin", "travel_where", "purpose", "destination", "symptoms",
        "health_code", "direction", "recheck_temp", "disposition"]


def test_a_warning_does_not_stop_the_person():
    result = check_person(good(doc_no="500101198501011231"), CTX)   # Chongqing code, born 1985
    assert result.errors == [] and result.person is not None
    assert [p.key for p in result.problems] == ["doc.rid_area"]


def test_fever_needs_a_recheck_and_then_a_fever_disposition():
    needs = check_person(good(temp="37.3"), CTX)
    assert [p.key for p in needs.errors] == ["temp.recheck_needed"]
    cleared = check_person(good(temp="37.8", recheck_temp="37.0"), CTX)
    assert cleared.errors == [] and cleared.person.fever is False and cleared.person.recheck_temp == Decimal("37.0")
    released = check_person(good(temp="37.8", recheck_temp="37.6"), CTX)
    assert [p.key for p in released.errors] == ["fever.disposition"]
    assert released.suggestion.disposition == "hold"
    held = check_person(good(temp="37.8", recheck_temp="37.6", disposition="hold"), CTX)
    assert held.errors == [] and held.person.fever is True
    referred = check_person(good(temp="37.8", recheck_temp="37.6", disposition="refer"), CTX)
    assert referred.errors == []


def test_a_wrong_recheck_is_named_on_its_field():
    result = check_person(good(temp="37.8", recheck_temp="3760"), CTX)
    assert [(p.field, p.key) for p in result.errors][0] == ("recheck_temp", "temp.range")


def test_not_measured_needs_its_reason_and_no_value():
    ok = check_person(good(temp="", temp_method="none", not_measured_reason="无体温计"), CTX)
    assert ok.errors == [] and ok.person.temp is None
    assert [p.field for p in check_person(good(temp="", temp_method="none"), CTX).errors] == ["not_measured_reason"]
    assert [p.key for p in check_person(good(temp="36.5", temp_method="none", not_measured_reason="x"),
                                        CTX).errors] == ["temp.not_measured_has_value"]


def test_no_document_for_a_child_needs_no_phone():
    result = check_person(good(name="小明", doc_type="none", doc_no="", phone=""), CTX)
    assert result.errors == [] and result.person.doc_no == ""


def test_names_with_digits_are_saved_after_a_warning():
    result = check_person(good(name="张伟2"), CTX)
    assert result.errors == [] and [p.key for p in result.problems if p.field == "name"] == ["name.odd"]
    assert [p.key for p in check_person(good(name="张\x07伟"), CTX).errors] == ["name.format"]


def test_residency_follows_the_address_unless_given():
    assert check_person(good(address="青山镇东村"), CTX).person.resident is True
    assert check_person(good(address="宜昌市"), CTX).person.resident is False
    assert check_person(good(address="宜昌市", resident=True), CTX).person.resident is True


def test_the_suggestion_follows_the_policy_and_is_never_a_silent_choice():
    result = check_person(good(address="宜昌市", origin="湖北省武汉市", disposition=""), CTX)
    assert result.person is None
    assert [p.key for p in result.errors] == ["disposition.required"]
    assert result.suggestion.disposition == "turn-back"
    assert "劝返" in result.errors[0].message


def test_an_unknown_disposition_is_refused():
    assert [p.key for p in check_person(good(disposition="maybe"), CTX).errors] == ["choice.unknown"]
