"""How every command ends: the program's own errors print their sentence, anything else one line
without data (the traceback goes to the log file, checkpoint.crash_log), and the exit code says
which: 0 done, 1 refused by a rule, 2 bad input or unusable database, 3 internal error. No traceback
ever reaches the person. This is the only place the CLI turns an exception into an exit code."""

from __future__ import annotations

import os
import sys

import click

from checkpoint import exit_codes
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t


def fail(message: str, code: int) -> None:
    """Print `message` on stderr and end the program with `code`."""
    click.echo(message, err=True)
    sys.exit(code)


class Guarded(click.Group):
    """Runs every command so that errors become one sentence and an exit code."""

    def invoke(self, ctx: click.Context):  # noqa: D401
        try:
            return super().invoke(ctx)
        except CheckpointError as exc:
            fail(error_text(exc), exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            fail("", 130)
        except BrokenPipeError:
            # `checkpoint search zs | head`: the reader has gone; stop quietly, as other tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # the last line of defence: never a traceback, never the error's text
            from checkpoint import crash_log

            fail(t("error.internal", log=str(crash_log.write(exc, ctx.invoked_subcommand or ""))), exit_codes.INTERNAL)


def error_text(exc: CheckpointError) -> str:
    """The sentence(s) a person reads for `exc`: each wrong field named before its problem."""
    from checkpoint.services.registration import PersonProblems

    if isinstance(exc, PersonProblems):
        return "\n".join(f"{t('field.' + p.field)}: {p.message}" for p in exc.problems)
    if exc.field:
        return f"{t('field.' + exc.field)}: {exc.message}"
    return exc.message
