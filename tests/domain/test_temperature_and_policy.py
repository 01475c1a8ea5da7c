"""二测 and the suggestion: temperatures as typed, the fever rule, the policy, the disposition words."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint.domain import policy, temperature
from checkpoint.domain.policy import Facts, Policy, suggest

D = Decimal


@pytest.mark.parametrize("typed,value", [
    ("36.5", D("36.5")), ("34.0", D("34.0")), ("42.5", D("42.5")), ("34", D("34.0")), ("37", D("37.0")),
    (" 36.5 ", D("36.5")), ("36.5℃", D("36.5")), ("36.5°C", D("36.5")), ("36。5", D("36.5")),
    ("３６.５", D("36.5")),
])
def test_readings_are_accepted(typed, value):
    parsed, problems = temperature.parse_temperature(typed)
    assert problems == [] and parsed == value
    assert parsed.as_tuple().exponent == -1          # stored to one decimal


@pytest.mark.parametrize("typed,key", [
    ("365.0", "temp.range_dot"), ("372.0", "temp.range_dot"), ("305", "temp.range"), ("426", "temp.range"),
    ("33.9", "temp.range"), ("42.6", "temp.range"), ("3650", "temp.range"), ("-36.5", "temp.range"), ("0", "temp.range"),
    ("36.55", "temp.one_decimal"), ("37.25", "temp.one_decimal"),
    ("abc", "temp.number"), ("36.5.1", "temp.number"), ("三十六", "temp.number"),
    ("NaN", "temp.number"), ("nan", "temp.number"), ("inf", "temp.number"), ("-Infinity", "temp.number"),
    ("sNaN", "temp.number"), ("", "temp.required"), ("  ", "temp.required"),
])
def test_non_readings_are_refused_and_named(typed, key):
    parsed, problems = temperature.parse_temperature(typed, "recheck_temp")
    assert parsed is None
    assert [p.key for p in problems] == [key]
    assert problems[0].field == "recheck_temp" and problems[0].is_error


def test_three_digits_are_tenths_and_a_misplaced_dot_is_named():
    assert temperature.parse_temperature("365") == (D("36.5"), [])
    assert temperature.parse_temperature("425") == (D("42.5"), [])
    _, problems = temperature.parse_temperature("365.0")
    assert "小数点" in problems[0].message and "34.0" in problems[0].message


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=340, max_value=425))
def test_every_tenth_in_range_reads_back_as_itself(tenths):
    text = f"{tenths // 10}.{tenths % 10}"
    assert temperature.parse_temperature(text) == (D(text), [])


@settings(max_examples=100, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_any_float_text_gives_a_value_in_range_or_a_problem(x):
    parsed, problems = temperature.parse_temperature(repr(x))
    if parsed is None:
        assert problems and problems[0].is_error
    else:
        assert D("34.0") <= parsed <= D("42.5") and problems == []


# ---- the fever rule ------------------------------------------------------------------------------
@pytest.mark.parametrize("temp,recheck,status", [
    ("36.5", None, temperature.NORMAL), ("37.2", None, temperature.NORMAL),
    ("37.3", None, temperature.NEEDS_RECHECK), ("39.0", None, temperature.NEEDS_RECHECK),
    ("37.8", "37.6", temperature.FEVER), ("37.3", "37.3", temperature.FEVER),
    ("37.8", "37.0", temperature.CLEARED), ("37.8", "37.2", temperature.CLEARED),
    ("37.2", "38.0", temperature.NORMAL),    # a recheck below the line is not asked for
])
def test_fever_rule(temp, recheck, status):
    check = temperature.fever_status(D(temp), D(recheck) if recheck else None)
    assert check.status == status
    assert check.confirmed is (status == temperature.FEVER)


def test_not_measured_is_not_a_fever():
    assert temperature.fever_status(None, None).status == temperature.NORMAL


def test_the_fever_line_is_a_setting():
    assert temperature.fever_status(D("37.3"), None, D("37.5")).status == temperature.NORMAL
    assert temperature.fever_status(D("37.5"), D("37.5"), D("37.5")).confirmed


# ---- the policy ----------------------------------------------------------------------------------
AREAS = Policy(key_areas=("武汉", "黄冈"))


@pytest.mark.parametrize("facts,disposition,reason", [
    (Facts(resident=True, fever_confirmed=True), "hold", "reason.fever"),
    (Facts(resident=False, fever_confirmed=True, health_code="red", origin="武汉"), "hold", "reason.fever"),
    (Facts(resident=True, health_code="red"), "central-isolation", "reason.health_red"),
    (Facts(resident=True, health_code="red", origin="湖北省武汉市"), "central-isolation", "reason.health_red"),
    (Facts(resident=True, origin="湖北省武汉市"), "home-isolation", "reason.key_area"),
    (Facts(resident=False, origin="湖北省武汉市"), "turn-back", "reason.key_area"),
    (Facts(resident=True, travel_where="黄冈市"), "home-isolation", "reason.key_area"),
    (Facts(resident=False, key_area_travel=True, travel_where="某地"), "turn-back", "reason.key_area"),
    (Facts(resident=False, origin="武汉", symptoms=("cough",)), "turn-back", "reason.key_area"),
    (Facts(resident=False, symptoms=("cough",)), "refer", "reason.symptoms"),
    (Facts(resident=True, symptoms=("fatigue", "diarrhoea"), health_code="yellow"), "refer", "reason.symptoms"),
    (Facts(resident=True, health_code="yellow"), "home-isolation", "reason.health_yellow"),
    (Facts(resident=True, health_code="green"), "release", "reason.default_resident"),
    (Facts(resident=True), "release", "reason.default_resident"),
    (Facts(resident=False, origin="湖北省宜昌市"), "release", "reason.default_outsider"),
])
def test_suggestions_most_serious_rule_first(facts, disposition, reason):
    s = suggest(AREAS, facts)
    assert (s.disposition, s.reason_key) == (disposition, reason)
    assert s.reason and s.reason != s.reason_key   # a sentence, not a key


def test_the_key_area_reason_names_the_area_and_who():
    s = suggest(AREAS, Facts(resident=False, origin="湖北省武汉市"))
    assert "武汉" in s.reason


def test_a_changed_rule_changes_the_suggestion():
    strict = Policy(key_areas=("武汉",), outsider_default="turn-back", resident_key_area="central-isolation",
                    fever="refer", symptoms="hold")
    assert suggest(strict, Facts(resident=False)).disposition == "turn-back"
    assert suggest(strict, Facts(resident=True)).disposition == "release"
    assert suggest(strict, Facts(resident=True, origin="武汉")).disposition == "central-isolation"
    assert suggest(strict, Facts(resident=True, fever_confirmed=True)).disposition == "refer"
    assert suggest(strict, Facts(resident=True, symptoms=("fever",))).disposition == "hold"


def test_no_key_areas_no_key_area_rule():
    assert suggest(Policy(), Facts(resident=False, origin="湖北省武汉市")).disposition == "release"
    assert suggest(Policy(key_areas=("  ",)), Facts(resident=False, origin="湖北")).disposition == "release"


def test_policy_rows_keep_known_rules_and_drop_the_rest():
    p = Policy.from_row(3, ["武汉"], {"outsider_default": "turn-back", "fever": "release-now", "nonsense": "hold"})
    assert p.version == 3 and p.key_areas == ("武汉",)
    assert p.outsider_default == "turn-back" and p.fever == "hold"
    again = Policy.from_row(4, list(p.key_areas), json.loads(p.rules_json()))
    assert again.outsider_default == "turn-back"


@pytest.mark.parametrize("typed,key", [
    ("放行", "release"), ("劝返", "turn-back"), ("留验", "hold"), ("转送", "refer"), ("居家隔离", "home-isolation"),
    ("集中隔离", "central-isolation"), ("拒检", "refused"), ("专人带入", "escorted"),
    ("release", "release"), ("turn-back", "turn-back"), ("hold", "hold"), ("refer", "refer"),
    ("home-isolation", "home-isolation"), ("central-isolation", "central-isolation"), ("refused", "refused"),
    ("escorted", "escorted"), ("Hold", "hold"), ("HOLD", "hold"), ("Turn back", "turn-back"), (" 留验 ", "hold"),
    ("Home isolation", "home-isolation"),
    ("随便", None), ("", None), ("hold it", None), ("留", None),
])
def test_dispositions_in_chinese_words_or_english_keys(typed, key):
    assert policy.parse_disposition(typed) == key


def test_every_disposition_has_a_chinese_word_that_reads_back():
    for key in policy.DISPOSITIONS:
        word = policy.disposition_label(key)
        assert word != f"disposition.{key}"
        assert policy.parse_disposition(word) == key
