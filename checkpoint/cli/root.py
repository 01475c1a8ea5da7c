"""The `checkpoint` command itself: its global options (--db, --lang, --version), the terminal UI
when no subcommand is given, and the one list of every command group, registered here explicitly.
Each command is a thin call into checkpoint.services (or checkpoint.township); errors become exit
codes in cli/errors.py."""

from __future__ import annotations

import click

from checkpoint.cli import (audit, backup, desk, exchange, passes, policy, retention, review, serve, settings,
                            setup, shifts, staff, township, trust, villages)
from checkpoint.cli.context import run_ui
from checkpoint.cli.errors import Guarded
from checkpoint.config import resolve_db
from checkpoint.i18n import set_language


@click.group(cls=Guarded, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", "db", default=None, help="The station database file (or CHECKPOINT_DB).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (or CHECKPOINT_LANG).")
@click.version_option(package_name="checkpoint")
@click.pass_context
def main(ctx: click.Context, db: str | None, lang: str | None) -> None:
    """卡点登记 Checkpoint: the registration desk of a township road checkpoint.

    With no command, opens the terminal UI on the station database.
    """
    if lang:
        set_language(lang)
    ctx.ensure_object(dict)
    ctx.obj["db_option"] = db
    if ctx.invoked_subcommand is None:
        ctx.obj["db"] = resolve_db(db)
        run_ui(ctx.obj["db"], demo=False)
    elif ctx.invoked_subcommand != "demo":
        ctx.obj["db"] = resolve_db(db)


COMMANDS: tuple[click.Command, ...] = (
    setup.init, setup.demo,                                  # the station set up; the demo
    staff.staff,                                             # accounts
    desk.register, desk.log, villages.village,               # the desk without the UI
    review.search, review.amend, review.signoff,             # the review without the UI
    shifts.shift, shifts.handover, shifts.matter,            # shifts and what they carry
    passes.pass_group,                                       # passes
    policy.policy, settings.config,                          # rules and settings
    trust.status, trust.keys, trust.revocations,             # what the station trusts
    exchange.export_cmd, exchange.import_cmd,                # the USB stick, the station's side
    audit.audit, backup.backup, backup.restore, retention.purge,
    serve.serve,                                             # the desk in a browser
    township.township,                                       # the township office
)
for command in COMMANDS:
    main.add_command(command)
