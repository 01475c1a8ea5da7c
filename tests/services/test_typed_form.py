"""The one mapping from what was typed on the command line to the desk's form (register, amend)."""

from __future__ import annotations

import pytest

from checkpoint.domain.registration import PersonForm
from checkpoint.errors import InputError
from checkpoint.services.registration import typed_form

MEASURED = PersonForm(name="张三", temp="36.5", temp_method="wrist", direction="in")


def test_symptoms_travel_and_disposition_as_typed():
    form = typed_form(PersonForm(), {"symptoms": " cough，fever ,", "travel_where": "武汉", "disposition": "劝返"})
    assert form.symptoms == ("cough", "fever")
    assert form.key_area_travel is True and form.travel_where == "武汉"
    assert form.disposition == "turn-back"
    cleared = typed_form(form, {"symptoms": "", "travel_where": " ", "disposition": ""})
    assert cleared.symptoms == () and cleared.key_area_travel is False and cleared.disposition == ""


def test_a_reason_for_not_measuring_means_no_method_and_no_temperature_unless_typed():
    form = typed_form(MEASURED, {"not_measured": "设备故障"})
    assert (form.temp_method, form.temp, form.not_measured_reason) == ("none", "", "设备故障")
    # register passes every option: a typed method gives way to the reason, a typed temperature stays
    # (and the desk's check then refuses it: temp.not_measured_has_value)
    form = typed_form(PersonForm(), {"not_measured": "设备故障", "temp_method": "forehead", "temp": "36.5"})
    assert (form.temp_method, form.temp) == ("none", "36.5")
    untouched = typed_form(MEASURED, {"not_measured": "", "temp": "36.6"})
    assert (untouched.temp_method, untouched.temp, untouched.not_measured_reason) == ("wrist", "36.6", "")


def test_the_other_fields_pass_through_and_the_given_form_is_not_changed():
    form = typed_form(MEASURED, {"name": "李四", "resident": False})
    assert (form.name, form.resident, form.temp) == ("李四", False, "36.5")
    assert MEASURED.name == "张三"


def test_an_unknown_disposition_is_refused_by_name():
    with pytest.raises(InputError) as caught:
        typed_form(PersonForm(), {"disposition": "飞走"})
    assert caught.value.key == "disposition.unknown" and caught.value.field == "disposition"
    assert "飞走" in caught.value.message
