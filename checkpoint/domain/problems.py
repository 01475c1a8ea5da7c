"""A problem found in one field: an error refuses the save, a warning only informs."""

from __future__ import annotations

from dataclasses import dataclass

from checkpoint.i18n import t

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    field: str
    key: str
    severity: str = ERROR
    params: tuple[tuple[str, object], ...] = ()

    @property
    def message(self) -> str:
        return t(self.key, **dict(self.params))

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def error(field: str, key: str, **params: object) -> Problem:
    return Problem(field, key, ERROR, tuple(params.items()))


def warning(field: str, key: str, **params: object) -> Problem:
    return Problem(field, key, WARNING, tuple(params.items()))


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
