"""Body temperature (二测) and the fever rule: ≥ 37.3 °C asks for a re-measure (复测); a re-measure
still ≥ 37.3 confirms the fever, and the person is held (留验) or referred (转送)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from checkpoint.domain.problems import Problem, error

FEVER_AT = Decimal("37.3")
LOWEST = Decimal("34.0")
HIGHEST = Decimal("42.5")
# 测温方式; "none" is a real value: some checkpoints had no thermometer at all.
METHODS = ("forehead", "wrist", "axillary", "ear", "none")
# The re-measure is taken another way (an infrared reading is confirmed under the arm).
RECHECK_METHOD = {"forehead": "axillary", "wrist": "axillary", "ear": "axillary", "axillary": "ear",
                  "none": "axillary"}

NORMAL = "normal"
NEEDS_RECHECK = "needs-recheck"
FEVER = "fever"
CLEARED = "cleared"


def parse_temperature(text: str, field: str = "temp") -> tuple[Decimal | None, list[Problem]]:
    """Read a typed temperature: a number of °C with at most one decimal, within 34.0–42.5.

    Three digits without a point are tenths ("365" is 36.5): the point is the one key an officer
    with cold hands misses, and no reading has three whole digits."""
    s = (text or "").strip().replace("，", ".").replace("。", ".").rstrip("℃°Cc ")
    if not s:
        return None, [error(field, "temp.required")]
    if len(s) == 3 and s.isdigit() and s[0] in "34":
        s = f"{s[:2]}.{s[2]}"
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None, [error(field, "temp.number")]
    if not value.is_finite():
        return None, [error(field, "temp.number")]
    if value.as_tuple().exponent < -1:  # type: ignore[operator]
        return None, [error(field, "temp.one_decimal")]
    if value < LOWEST or value > HIGHEST:
        # 365 typed for 36.5 is the usual slip: say so.
        hint = "temp.range_dot" if Decimal("340") <= value <= Decimal("425") else "temp.range"
        return None, [error(field, hint, low=LOWEST, high=HIGHEST)]
    return value.quantize(Decimal("0.1")), []


@dataclass(frozen=True)
class FeverCheck:
    status: str

    @property
    def confirmed(self) -> bool:
        return self.status == FEVER


def fever_status(temp: Decimal | None, recheck: Decimal | None, fever_at: Decimal = FEVER_AT) -> FeverCheck:
    if temp is None or temp < fever_at:
        return FeverCheck(NORMAL)
    if recheck is None:
        return FeverCheck(NEEDS_RECHECK)
    return FeverCheck(FEVER if recheck >= fever_at else CLEARED)
