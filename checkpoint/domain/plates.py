"""Vehicle plates. The usual shapes are checked; tractors, three-wheelers and village motorcycles
carry other plates (or none), so an unknown shape only warns."""

from __future__ import annotations

import re
import unicodedata

from checkpoint.domain.problems import Problem, error, warning

FIELD = "plate"
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_L = "A-HJ-NP-Z"
_ORDINARY = re.compile(rf"^[{PROVINCES}][{_L}][{_L}0-9]{{4}}[{_L}0-9挂学警港澳]$")
_NEW_ENERGY = re.compile(rf"^[{PROVINCES}][{_L}](?:[DFA-HJK][{_L}0-9][0-9]{{4}}|[0-9]{{5}}[DFA-HJK])$")
_ALLOWED = re.compile(r"^[\w\u4e00-\u9fff]+$")
MAX_LENGTH = 12


def normalize_plate(plate: str) -> str:
    return re.sub(r"[\s·•.\-]", "", unicodedata.normalize("NFKC", plate or "")).upper()


def check_plate(plate: str) -> list[Problem]:
    p = normalize_plate(plate)
    if not p:
        return []
    if len(p) > MAX_LENGTH or not _ALLOWED.match(p):
        return [error(FIELD, "plate.format")]
    if _ORDINARY.match(p) or _NEW_ENERGY.match(p):
        return []
    return [warning(FIELD, "plate.unusual")]
