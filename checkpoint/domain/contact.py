"""Phone numbers: mobiles (1[3-9] + 9 digits) and the landlines of rural households."""

from __future__ import annotations

import re
import unicodedata

from checkpoint.domain.problems import Problem, error

FIELD = "phone"
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}[0-9]{7,8}$")


def normalize_phone(phone: str) -> str:
    p = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", phone or ""))
    for prefix in ("+86", "0086"):
        if p.startswith(prefix):
            p = p[len(prefix):]
    return p


def check_phone(phone: str, required: bool = True) -> list[Problem]:
    p = normalize_phone(phone)
    if not p:
        return [error(FIELD, "phone.required")] if required else []
    if not re.fullmatch(r"[0-9]+", p):
        return [error(FIELD, "phone.digits")]
    if _MOBILE.match(p) or _LANDLINE.match(p):
        return []
    if p.startswith("1"):
        return [error(FIELD, "phone.mobile", length=len(p))]
    return [error(FIELD, "phone.format")]


def is_complete_mobile(phone: str) -> bool:
    """A whole mobile number (nothing more can follow it): the desk moves on without Enter."""
    return bool(_MOBILE.match(normalize_phone(phone)))
