"""The program's own errors. Each carries a sentence for the person and an exit code for the CLI.

Services raise these and nothing else at a person; the CLI maps them to exit codes, the UI to a
notice. `field` names the form field at fault, so the desk can focus it.
"""

from __future__ import annotations

from checkpoint import exit_codes
from checkpoint.i18n import t


class CheckpointError(Exception):
    """Base of every error meant to be read by a person."""

    exit_code = exit_codes.BAD_INPUT

    def __init__(self, key: str, field: str | None = None, **params: object) -> None:
        self.key = key
        self.field = field
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return t(self.key, **self.params)

    def __str__(self) -> str:
        return self.message


class InputError(CheckpointError):
    """A value a person typed or passed is not usable (exit code 2)."""


class RefusedError(CheckpointError):
    """A rule refuses the action: wrong PIN, locked account, fever without re-measure (exit 1)."""

    exit_code = exit_codes.REFUSED


class DatabaseError(CheckpointError):
    """The database file cannot be used: missing folder, read-only, locked, not ours (exit 2)."""


class FieldProblems(InputError):
    """Several fields are wrong at once; `problems` keeps them in form order."""

    def __init__(self, problems: list["object"]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__("error.fields", field=getattr(first, "field", None),
                         detail=getattr(first, "message", ""))
