"""ID documents at the barrier: a genuine card is never refused, a mistyped one always is.

GB 11643: 6-digit area code, birth date, 3-digit sequence, check character. The area code is
where the card was issued, so an area that did not exist in the birth year only warns.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from checkpoint.domain import documents

TODAY = dt.date(2026, 11, 24)
# Known ones, ones created after many holders were born (Chongqing 50xxxx 1997, Pudong 310115
# 1993, Shenzhen districts 1990), and codes stdnum does not know at all.
AREAS = ["110105", "110108", "420100", "422822", "440305", "440304", "500101", "500112", "310115",
         "999999", "000000", "710000"]
ALLOWED = "0123456789X"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def domain_check_char(body17: str) -> str:
    """The check character exactly as DOMAIN.md states it (independent of stdnum)."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS)) % 11]


def with_check(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


@st.composite
def resident_ids(draw) -> str:
    area = draw(st.sampled_from(AREAS))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.integers(min_value=0, max_value=999))
    return with_check(f"{area}{born:%Y%m%d}{seq:03d}")


def errors(problems):
    return [p for p in problems if p.is_error]


def keys(problems):
    return [p.key for p in problems]


@settings(max_examples=300, deadline=None)
@given(resident_ids())
def test_every_valid_resident_id_is_accepted(number):
    problems = documents.check_resident_id(number, TODAY)
    assert errors(problems) == [], (number, problems)
    # at most a warning, and only the two kinds DOMAIN allows
    assert set(keys(problems)) <= {"doc.rid_area", "doc.rid_old"}
    assert errors(documents.check_resident_id(number.lower(), TODAY)) == []
    assert number[17] == domain_check_char(number[:17])  # stdnum agrees with the written rule


@settings(max_examples=150, deadline=None)
@given(resident_ids())
def test_every_single_character_change_is_refused(number):
    for position in range(18):
        for char in ALLOWED:
            if char == number[position]:
                continue
            changed = number[:position] + char + number[position + 1:]
            problems = errors(documents.check_resident_id(changed, TODAY))
            assert problems, f"{changed} (from {number}, position {position}) was accepted"
            assert problems[0].field == "doc_no"
            assert problems[0].key in ("doc.rid_checksum", "doc.rid_format")


@pytest.mark.parametrize("number", ["11010519491231002X", "110108198506123015", "11010519491231002x",
                                    " 110105 19491231 002X ", "110105-19491231-002x"])
def test_domain_examples_are_valid_as_typed_or_scanned(number):
    assert documents.check_resident_id(number, TODAY) == []
    assert documents.check_document("resident-id", number, TODAY) == []


def test_the_examples_carry_the_check_character_of_the_written_rule():
    assert domain_check_char("11010519491231002") == "X"
    assert domain_check_char("11010819850612301") == "5"


def test_full_width_digits_from_a_chinese_input_method_are_the_same_card():
    full = "１１０１０５１９４９１２３１００２Ｘ"
    assert documents.check_resident_id(full, TODAY) == []
    assert documents.normalize_doc_number(full) == "11010519491231002X"
    assert documents.normalize_doc_number("１１０１０５４９１２３１００２") == "110105491231002"


@pytest.mark.parametrize("body,born", [
    ("50010119850101123", "1985"),   # Chongqing 50xxxx only since 1997
    ("31011519800101123", "1980"),   # Shanghai Pudong 310115 only since 1993
    ("50011219600505002", "1960"),
])
def test_area_code_younger_than_the_person_is_a_warning_never_an_error(body, born):
    number = with_check(body)
    problems = documents.check_resident_id(number, TODAY)
    assert errors(problems) == []
    assert keys(problems) == ["doc.rid_area"]
    assert problems[0].field == "doc_no" and not problems[0].is_error
    assert body[:6] in problems[0].message


def test_the_same_area_code_after_it_was_created_is_plainly_valid():
    assert documents.check_resident_id(with_check("50010120000101123"), TODAY) == []
    assert documents.check_resident_id(with_check("31011519940101123"), TODAY) == []


def test_an_unknown_area_code_only_warns():
    problems = documents.check_resident_id(with_check("99999919800101123"), TODAY)
    assert errors(problems) == [] and keys(problems) == ["doc.rid_area"]


def test_an_implausible_age_only_warns():
    problems = documents.check_resident_id(with_check("11010518800101123"), TODAY)
    assert errors(problems) == [] and "doc.rid_old" in keys(problems)


@pytest.mark.parametrize("body,key", [
    ("11010520261125002", "doc.rid_future"),   # tomorrow
    ("11010520300101002", "doc.rid_future"),
    ("11010519490231002", "doc.rid_date"),     # 31 February
    ("11010519491301002", "doc.rid_date"),     # month 13
    ("11010519490000002", "doc.rid_date"),
    ("11010500000101002", "doc.rid_date"),     # year 0
])
def test_impossible_birth_dates_are_refused_even_with_a_right_check_character(body, key):
    problems = documents.check_resident_id(with_check(body), TODAY)
    assert keys(errors(problems)) == [key]


def test_born_today_is_not_the_future():
    assert errors(documents.check_resident_id(with_check(f"110105{TODAY:%Y%m%d}002"), TODAY)) == []


@pytest.mark.parametrize("number,length", [
    ("1101051949123100", 16), ("11010519491231002", 17), ("11010519491231002X1", 19), ("1", 1),
    ("11010519491231002XX", 19),
])
def test_wrong_length_is_refused_and_says_how_long_it_is(number, length):
    problems = documents.check_resident_id(number, TODAY)
    assert [(p.key, dict(p.params)) for p in problems] == [("doc.rid_length", {"length": length})]
    assert str(length) in problems[0].message


@pytest.mark.parametrize("number,key", [
    ("", "doc.required"), ("   ", "doc.required"),
    ("11010519491231002Y", "doc.rid_format"), ("1101051949123100X2", "doc.rid_format"),
    ("A1010519491231002X", "doc.rid_format"), ("110105194912310021", "doc.rid_checksum"),
    ("1101051949123100٢X", "doc.rid_format"),   # an Arabic-Indic digit
])
def test_wrong_resident_ids_are_named(number, key):
    problems = errors(documents.check_resident_id(number, TODAY))
    assert problems and problems[0].key == key and problems[0].field == "doc_no"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789Xx ²³①٣１Ｘ𐩀-\u00a0"), min_size=14, max_size=19))
@example("1101051949123100𐩀X")
@example("①1010519491231002X")
def test_odd_characters_give_a_problem_never_a_crash(text):
    problems = documents.check_resident_id(text, TODAY)
    assert isinstance(problems, list)
    n = documents.normalize_doc_number(text)
    if n and not n.isascii():
        assert errors(problems), text


@pytest.mark.parametrize("number,ok", [
    ("110105491231002", True),      # 1949-12-31, the old 15-digit card
    ("110108850612301", True),
    ("110105490231002", False),     # 31 February
    ("11010549123100X", False),     # no check character on old cards
    ("1101054912310０2", True),     # full-width zero
])
def test_old_fifteen_digit_numbers(number, ok):
    assert (errors(documents.check_resident_id(number, TODAY)) == []) is ok


def test_birth_date_is_read_from_both_lengths():
    assert documents.birth_date("resident-id", "11010519491231002X") == dt.date(1949, 12, 31)
    assert documents.birth_date("resident-id", "110105491231002") == dt.date(1949, 12, 31)
    assert documents.birth_date("passport", "E12345678") is None
    assert documents.birth_date("resident-id", "garbage") is None


def test_looks_like_resident_id():
    assert documents.looks_like_resident_id("11010519491231002x")
    assert documents.looks_like_resident_id("110105491231002")
    assert not documents.looks_like_resident_id("E12345678")
    assert not documents.looks_like_resident_id("1101051949123100٢X")   # an Arabic-Indic digit


# ---- the other documents -------------------------------------------------------------------------
@pytest.mark.parametrize("doc_type,number,key", [
    ("passport", "E12345678", None), ("passport", "e12345678", None), ("passport", "G 1234 5678", None),
    ("passport", "E1", "doc.passport_format"), ("passport", "护照12345", "doc.passport_format"),
    ("passport", "", "doc.required"),
    ("permit", "H12345678", None), ("permit", "C12345678", None), ("permit", "12345678", None),
    ("permit", "H123", "doc.permit_format"), ("permit", "", "doc.required"),
    ("other", "军官证第12345号", None), ("other", "x" * 31, "doc.other_format"), ("other", "", "doc.required"),
    ("none", "", None), ("none", "123", "doc.none_has_number"),
    ("driver-licence", "123", "doc.type_unknown"),
])
def test_other_documents(doc_type, number, key):
    problems = documents.check_document(doc_type, number, TODAY)
    assert (problems[0].key if problems else None) == key
    if key == "doc.type_unknown":
        assert problems[0].field == "doc_type"
    elif key:
        assert problems[0].field == "doc_no" and problems[0].is_error


def test_resident_id_through_check_document_is_the_same_rule():
    assert errors(documents.check_document("resident-id", "110105194912310021", TODAY))
    assert documents.check_document("resident-id", "11010519491231002X", TODAY) == []
