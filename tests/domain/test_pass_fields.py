"""The one description of which fields each kind of pass has and what they start with, and that the
form, the issue screen and `checkpoint pass issue` all read it."""

from __future__ import annotations

import dataclasses

import click

from checkpoint.domain.pass_token import KINDS
from checkpoint.domain.passes import DEFAULT_KIND, PASS_FIELDS, PassForm, field_default


def test_each_kind_has_its_own_fields_and_the_common_ones():
    def names(kind):
        return [f.name for f in PASS_FIELDS if f.for_kind(kind)]

    common = ["name", "doc_no", "village"]
    assert names("household") == [*common, "members", "valid_days", "exits", "per_days", "back_by"]
    assert names("vehicle") == [*common, "plate", "route", "cargo", "valid_days"]
    assert names("medical") == [*common, "reason", "valid_days"]
    assert names("work") == names("official") == [*common, "employer", "valid_days"]
    assert DEFAULT_KIND in KINDS
    assert all(set(f.kinds) <= set(KINDS) for f in PASS_FIELDS)


def test_the_form_has_exactly_these_fields_and_starts_with_their_defaults():
    form = PassForm()
    assert [f.name for f in dataclasses.fields(PassForm)] == ["kind", *(f.name for f in PASS_FIELDS)]
    assert form.kind == DEFAULT_KIND
    assert (form.exits, form.per_days, form.back_by) == ("1", "2", "18:00")
    for f in PASS_FIELDS:
        if f.name != "members":   # the members are parsed pairs, not text
            assert getattr(form, f.name) == field_default(f.name)


def test_the_command_line_defaults_are_the_forms():
    from checkpoint.cli.passes import pass_group

    options = {p.name: p for p in pass_group.commands["issue"].params if isinstance(p, click.Option)}
    assert options["kind"].default == DEFAULT_KIND
    for f in PASS_FIELDS:
        assert options[f.name].default == f.default, f.name
