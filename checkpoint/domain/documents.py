"""ID documents: the resident ID (GB 11643, 居民身份证) and the others a traveller may carry.

python-stdnum does the checksum and the birth date. Its `validate()` also refuses an area code
that did not exist in the birth year, but the area code is where the card was issued and real
people carry such numbers (see DOMAIN.md), so an unknown area code is only a warning here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from checkpoint.domain.problems import Problem, error, warning

# 证件类型
DOC_TYPES = ("resident-id", "passport", "permit", "other", "none")
FIELD = "doc_no"
_PASSPORT = re.compile(r"^[A-Z0-9]{5,17}$")
_PERMIT = re.compile(r"^[A-Z0-9]{7,18}$")
_RID18 = re.compile(r"^[0-9]{17}[0-9X]$")
_DIGITS = re.compile(r"^[0-9]+$")
OLDEST_AGE = 120
# Shapes that say which document a number belongs to (the desk sets the type from them).
_PERMIT_SHAPE = re.compile(r"^([HM][0-9]{8}([0-9]{2})?|C[0-9A-Z][0-9]{7}|[A-Z]{3}[0-9]{12})$")
_PASSPORT_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9A-Z]?[0-9]{5,9}$")
_AGE = re.compile(r"^[0-9]{1,2}$")
CHILD_UNDER = 14
ELDERLY_FROM = 70


def normalize_doc_number(number: str) -> str:
    """Strip spaces and dashes and upper-case a trailing x, as a scanner or a person may type it;
    full-width characters (a Chinese input method in full-width mode) become their ASCII forms."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", number or "")).upper()


def looks_like_resident_id(number: str) -> bool:
    n = normalize_doc_number(number)
    return bool(_RID18.match(n)) or (len(n) == 15 and bool(_DIGITS.match(n)))


def check_resident_id(number: str, today: dt.date) -> list[Problem]:
    n = normalize_doc_number(number)
    if not n:
        return [error(FIELD, "doc.required")]
    if len(n) == 15:
        return _check_old_resident_id(n, today)
    if len(n) != 18:
        return [error(FIELD, "doc.rid_length", length=len(n))]
    if not _RID18.match(n):
        return [error(FIELD, "doc.rid_format")]
    if ric.calc_check_digit(n) != n[17]:
        return [error(FIELD, "doc.rid_checksum")]
    # ric.get_birth_date(n), without its clean-up pass: `n` is already normalized and all digits
    # there (the desk checks on every keystroke, the save three times per car)
    try:
        born = dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return [error(FIELD, "doc.rid_date")]
    return _check_birth(born, n, today)


def _check_old_resident_id(n: str, today: dt.date) -> list[Problem]:
    # 15-digit cards (before 1999) have a 2-digit year of the 1900s and no check character.
    if not _DIGITS.match(n):
        return [error(FIELD, "doc.rid_format")]
    try:
        born = dt.date(1900 + int(n[6:8]), int(n[8:10]), int(n[10:12]))
    except ValueError:
        return [error(FIELD, "doc.rid_date")]
    return _check_birth(born, None, today)


def _check_birth(born: dt.date, n18: str | None, today: dt.date) -> list[Problem]:
    if born > today:
        return [error(FIELD, "doc.rid_future")]
    problems: list[Problem] = []
    if today.year - born.year > OLDEST_AGE:
        problems.append(warning(FIELD, "doc.rid_old", year=born.year))
    if n18 is not None and not _area_known(n18[:10]):
        problems.append(warning(FIELD, "doc.rid_area", area=n18[:6]))
    return problems


@functools.lru_cache(maxsize=4096)
def _area_known(area_and_year: str) -> bool:
    """Whether the area code (6 digits) existed in the birth year (the next 4): all that
    stdnum's get_birth_place looks at, so its answer is cached per pair instead of a database
    walk per check."""
    try:
        ric.get_birth_place(area_and_year + "01010000")
    except (ValidationError, KeyError, ValueError):
        return False
    return True


def check_document(doc_type: str, number: str, today: dt.date) -> list[Problem]:
    """Problems with a document number of the given type; [] when it is fine."""
    n = normalize_doc_number(number)
    if doc_type not in DOC_TYPES:
        return [error("doc_type", "doc.type_unknown", value=doc_type)]
    if doc_type == "resident-id":
        return check_resident_id(n, today)
    if doc_type == "none":
        return [error(FIELD, "doc.none_has_number")] if n else []
    if not n:
        return [error(FIELD, "doc.required")]
    if doc_type == "passport" and not _PASSPORT.match(n):
        return [error(FIELD, "doc.passport_format")]
    if doc_type == "permit" and not _PERMIT.match(n):
        return [error(FIELD, "doc.permit_format")]
    if doc_type == "other" and (len(n) > 30 or not n.isprintable()):
        return [error(FIELD, "doc.other_format")]
    return []


def birth_date(doc_type: str, number: str) -> dt.date | None:
    """The birth date a resident ID carries, or None."""
    n = normalize_doc_number(number)
    if doc_type != "resident-id":
        return None
    try:
        if len(n) == 18:
            return ric.get_birth_date(n)
        if len(n) == 15:
            return dt.date(1900 + int(n[6:8]), int(n[8:10]), int(n[10:12]))
    except (ValidationError, ValueError):
        return None
    return None


def type_by_shape(number: str) -> str | None:
    """The document type a number's shape says, or None when it says nothing.

    18 (or 15) digits are a resident ID; H/M + 8 or 10 digits a Hong Kong/Macau permit, C + 8 a
    mainland travel permit to HK/Macau, 3 letters + 12 digits a foreigner's permanent residence
    card (all "permit"); other letters + digits a passport. One or two digits are not a document:
    they are the age of a person without one (a child), typed in its place."""
    n = normalize_doc_number(number)
    if not n:
        return None
    if _AGE.match(n):
        return "none"
    if looks_like_resident_id(n):
        return "resident-id"
    if _PERMIT_SHAPE.match(n):
        return "permit"
    if _PASSPORT_SHAPE.match(n):
        return "passport"
    return None


def typed_age(number: str) -> int | None:
    """The age typed in the number field for a person without a document ("8" → 8), or None."""
    n = normalize_doc_number(number)
    return int(n) if _AGE.match(n) else None


def age_on(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def sex_of(doc_type: str, number: str) -> str | None:
    """'male' or 'female' from a resident ID's sequence digit (odd male, even female), or None."""
    n = normalize_doc_number(number)
    if doc_type != "resident-id" or not looks_like_resident_id(n):
        return None
    digit = n[16] if len(n) == 18 else n[14]
    return "male" if int(digit) % 2 else "female"
