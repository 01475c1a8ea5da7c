"""What the desk decides from what is typed: places by pinyin, documents by shape, ages, odd names,
temperatures without a point."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint.domain import documents, places
from checkpoint.domain.registration import Context, PersonForm, address_is_local, check_name, check_person
from checkpoint.domain.temperature import RECHECK_METHOD, parse_temperature

TODAY = dt.date(2026, 11, 30)


def test_initials_pinyin_and_chinese_find_wuhan_first():
    divisions = places.divisions()
    for typed in ("whs", "wh", "wuhan", "武汉", "hbwh", "hubeiwuhan"):
        assert places.complete(typed, divisions)[0] == "湖北省武汉市", typed


def test_a_place_found_by_its_own_name_comes_before_one_found_through_its_province():
    divisions = places.divisions()
    assert places.complete("sh", divisions)[0] == "上海市"
    assert places.complete("hubei", divisions)[0] == "湖北省"
    assert "湖北省武汉市江岸区" in places.complete("wuhanjiangan", divisions)


def test_only_current_names_are_offered():
    names = {p.name for p in places.divisions().places}
    assert "湖北省武汉市江岸区" in names and "北京市朝阳区" in names
    assert not any("崇文区" in n for n in names)          # abolished in 2010
    assert not any(n.endswith("市辖区") for n in names)    # a placeholder, not a place
    assert len(names) > 3000


def test_a_place_this_station_saw_often_ranks_first_among_its_equals():
    divisions = places.divisions()
    assert places.complete("whs", divisions)[0] == "湖北省武汉市"
    assert places.complete("whs", divisions, {"安徽省芜湖市": 12})[0] == "安徽省芜湖市"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_completes_to_known_names_or_nothing(text):
    divisions = places.divisions()
    names = {p.name for p in divisions.places}
    found = places.complete(text, divisions)
    assert len(found) <= places.LIMIT and set(found) <= names


def test_the_stations_villages_complete_by_initials_and_make_an_address_local():
    villages = places.villages(("红旗村", "东村", "青山社区"))
    assert places.complete("hqc", villages) == ["红旗村"]
    assert places.complete("hongqi", villages) == ["红旗村"]
    assert places.village_of("红旗村3组12号") == "红旗村"
    assert address_is_local("红旗村3组12号", "青山镇", ("红旗村",))
    assert address_is_local("青山镇某街", "青山镇", ())
    assert not address_is_local("外省某村", "青山镇", ("红旗村",))
    assert not address_is_local("", "青山镇", ("红旗村",))


def test_the_number_says_which_document_it_is():
    assert documents.type_by_shape("11010519491231002x") == "resident-id"
    assert documents.type_by_shape("110105491231002") == "resident-id"       # an old 15-digit card
    assert documents.type_by_shape("E12345678") == "passport"
    assert documents.type_by_shape("EA1234567") == "passport"
    assert documents.type_by_shape("H12345678") == "permit"                  # Hong Kong/Macau
    assert documents.type_by_shape("C12345678") == "permit"                  # to Hong Kong/Macau
    assert documents.type_by_shape("8") == "none" and documents.typed_age("8") == 8
    assert documents.type_by_shape("12") == "none" and documents.typed_age("１２") == 12   # full-width
    assert documents.type_by_shape("") is None and documents.type_by_shape("1234") is None


def test_age_and_sex_read_from_a_resident_id():
    assert documents.sex_of("resident-id", "11010519491231002X") == "female"
    assert documents.sex_of("resident-id", "110108198506123015") == "male"
    assert documents.sex_of("passport", "E12345678") is None
    born = documents.birth_date("resident-id", "420111201805200012")
    assert documents.age_on(born, TODAY) == 8
    assert documents.age_on(dt.date(2000, 12, 1), TODAY) == 25                # birthday not yet come


def test_temperature_without_the_point_is_tenths():
    assert parse_temperature("365")[0] == Decimal("36.5")
    assert parse_temperature("378")[0] == Decimal("37.8")
    assert parse_temperature("36.5")[0] == Decimal("36.5")
    assert parse_temperature("305")[1][0].key == "temp.range"               # 30.5: a typing error
    assert parse_temperature("3650")[1][0].key == "temp.range"


def test_the_remeasure_is_taken_another_way():
    assert all(RECHECK_METHOD[m] != m for m in RECHECK_METHOD)


def test_odd_names_are_warned_about_not_refused():
    for odd in ("张3", "张abc", "张" * 12, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"):
        problems = check_name(odd)
        assert [p.key for p in problems] == ["name.odd"] and not problems[0].is_error, odd
    for fine in ("张伟", "欧阳娜娜", "买买提·艾力", "John Smith"):
        assert check_name(fine) == [], fine
    assert check_name("张" * 41)[0].is_error                                  # too long to keep
    assert check_name("张\x00伟")[0].is_error


def test_a_child_without_a_document_may_carry_its_age():
    ctx = Context(today=TODAY)
    form = PersonForm(name="王小宝", doc_type="none", age="6", origin="本地", temp="36.5", disposition="release")
    result = check_person(form, ctx)
    assert result.errors == [] and result.person.age == 6
    wrong = check_person(PersonForm(name="王小宝", doc_type="none", age="130", origin="本地", temp="36.5",
                                    disposition="release"), ctx)
    assert [p.key for p in wrong.errors] == ["age.range"]
    with_id = check_person(PersonForm(name="张伟", doc_no="110108198506123015", phone="13800001111",
                                      origin="本地", temp="36.5", disposition="release", age="6"), ctx)
    assert [p.key for p in with_id.errors] == ["age.with_document"]
