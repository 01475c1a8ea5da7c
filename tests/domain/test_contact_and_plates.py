"""Phones (mobiles and rural landlines) and vehicle plates (unknown shapes warn, garbage is refused)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint.domain import contact, plates
from checkpoint.domain.registration import VehicleForm, check_vehicle


def errors(problems):
    return [p for p in problems if p.is_error]


@pytest.mark.parametrize("typed,stored", [
    ("13812345678", "13812345678"), ("+86 138 1234 5678", "13812345678"), ("+8613812345678", "13812345678"),
    ("008613812345678", "13812345678"), ("0086 138-1234-5678", "13812345678"), ("138 1234 5678 ", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),            # full-width, from an input method
    ("0718-8123456", "07188123456"), ("(0718)8123456", "07188123456"), ("（0718）81234567", "071881234567"),
    ("010 12345678", "01012345678"), ("+86 0718 8123456", "07188123456"),
])
def test_phones_accepted_and_stored_as_digits(typed, stored):
    assert contact.check_phone(typed) == []
    assert contact.normalize_phone(typed) == stored


@pytest.mark.parametrize("typed,key", [
    ("", "phone.required"), ("  ", "phone.required"),
    ("1381234567", "phone.mobile"), ("138123456789", "phone.mobile"), ("12812345678", "phone.mobile"),
    ("10012345678", "phone.mobile"),
    ("abc", "phone.digits"), ("138-1234-567a", "phone.digits"), ("+1 415 555 0100", "phone.digits"),
    ("0718123", "phone.format"), ("07181234567890", "phone.format"), ("8123456", "phone.format"),
    ("٣٨١٢٣٤٥٦٧٨١", "phone.digits"),    # Arabic-Indic digits are not a Chinese number
])
def test_wrong_phones_are_refused_and_named(typed, key):
    problems = contact.check_phone(typed)
    assert [p.key for p in problems] == [key]
    assert problems[0].field == "phone" and problems[0].is_error


def test_phone_may_be_left_empty_when_not_required():
    assert contact.check_phone("", required=False) == []
    assert errors(contact.check_phone("123", required=False))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9),
       st.sampled_from(["", "+86", "0086", "+86 "]))
def test_every_mobile_shape_is_accepted(second, rest, prefix):
    number = f"1{second}{rest}"
    assert contact.check_phone(prefix + number) == []
    assert contact.normalize_phone(prefix + number) == number


# ---- plates --------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed,stored", [
    ("粤BD12345", "粤BD12345"), ("粤B12345F", "粤B12345F"), ("京A12345", "京A12345"), ("粤B1234挂", "粤B1234挂"),
    ("京A·12345", "京A12345"), ("京A.12345", "京A12345"), ("京 A 12345", "京A12345"), ("京A-12345", "京A12345"),
    ("京a12345", "京A12345"), ("粤bd12345", "粤BD12345"), ("京Ａ１２３４５", "京A12345"),
])
def test_usual_plates_are_accepted_and_normalised(typed, stored):
    assert plates.check_plate(typed) == []
    assert plates.normalize_plate(typed) == stored
    vehicle, problems = check_vehicle(VehicleForm(plate=typed), "in", 1)
    assert problems == [] and vehicle is not None and vehicle.plate == stored


@pytest.mark.parametrize("typed", ["农用车123", "鲁12345", "ABC123", "沪AI2345", "京A1234O", "粤B123"])
def test_unknown_plate_shapes_warn_but_are_not_refused(typed):
    problems = plates.check_plate(typed)
    assert [p.key for p in problems] == ["plate.unusual"]
    assert not problems[0].is_error
    vehicle, problems = check_vehicle(VehicleForm(plate=typed, vehicle_type="tractor"), "in", 1)
    assert vehicle is not None and errors(problems) == []


@pytest.mark.parametrize("typed", ["<script>", "粤B1234567890123", "京A12345;", "粤B12'45", "京A\x0012345"])
def test_garbage_plates_are_refused(typed):
    problems = plates.check_plate(typed)
    assert [(p.key, p.is_error) for p in problems] == [("plate.format", True)]
    vehicle, problems = check_vehicle(VehicleForm(plate=typed), "in", 1)
    assert vehicle is None and errors(problems)[0].field == "plate"


def test_no_plate_is_no_problem():
    assert plates.check_plate("") == [] and plates.check_plate("  ") == []


@pytest.mark.parametrize("occupants,key,count", [
    ("", None, 2), ("4", None, 4), ("1", "occupants.fewer", 1), ("0", "occupants.range", None),
    ("100", "occupants.range", None), ("two", "occupants.range", None), ("²", "occupants.range", None),
    ("-1", "occupants.range", None),
])
def test_occupants(occupants, key, count):
    vehicle, problems = check_vehicle(VehicleForm(plate="京A12345", occupants=occupants), "in", 2)
    assert (problems[0].key if problems else None) == key
    assert (vehicle.occupants if vehicle else None) == count


def test_unknown_vehicle_type_is_refused():
    vehicle, problems = check_vehicle(VehicleForm(plate="京A12345", vehicle_type="spaceship"), "in", 1)
    assert vehicle is None and problems[0].field == "vehicle_type"
