"""The one reading of a typed range of days (review screen's T, `checkpoint search --date`)."""

from __future__ import annotations

import pytest

from checkpoint.domain.date_range import ALL_FROM, ALL_TO, parse_date_range
from checkpoint.errors import InputError


@pytest.mark.parametrize("text, expected", [
    ("2026-11-24", ("2026-11-24", "2026-11-24")),
    (" 2026-11-24 ", ("2026-11-24", "2026-11-24")),
    ("2026-11-01~2026-11-24", ("2026-11-01", "2026-11-24")),
    ("2026-11-01 ～ 2026-11-24", ("2026-11-01", "2026-11-24")),   # the full-width tilde of a Chinese IME
    ("2026-11-24~2026-11-01", ("2026-11-01", "2026-11-24")),      # either order
    ("all", (ALL_FROM, ALL_TO)),
    (" ALL ", (ALL_FROM, ALL_TO)),
    ("全部", (ALL_FROM, ALL_TO)),
    ("", (ALL_FROM, ALL_TO)),
    (None, (ALL_FROM, ALL_TO)),
])
def test_the_forms_a_person_types(text, expected):
    assert parse_date_range(text) == expected


@pytest.mark.parametrize("text", ["2026-11-31", "11/24", "2026-11-01~", "~2026-11-24", "2026-11-01至2026-11-24",
                                  "2026-11-01 to 2026-11-24", "昨天", "   "])
def test_anything_else_is_refused_naming_what_was_typed(text):
    with pytest.raises(InputError) as caught:
        parse_date_range(text)
    assert caught.value.key == "review.dates_bad" and caught.value.field == "date"
    assert text in caught.value.message and "2026-11-01~2026-11-24" in caught.value.message   # and an example
