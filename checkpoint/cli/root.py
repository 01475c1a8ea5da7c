"""The `checkpoint` command itself: its global options (--db, --lang, --version), the terminal UI
when no subcommand is given, and the one list of every command group, registered here explicitly.
Each command is a thin call into checkpoint.services (or checkpoint.township); errors become exit
codes in cli/errors.py."""

from __future__ import annotations

import importlib

import click

from checkpoint.cli.context import run_ui
from checkpoint.cli.errors import Guarded
from checkpoint.config import resolve_db
from checkpoint.i18n import set_language


# Every command, by the name typed, and where it lives (module in checkpoint/cli/, attribute). A
# module is imported when its command is asked for (or for --help): `checkpoint` alone opens the UI
# without loading every command group (about a quarter of a second of the start, bench/README.md).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("setup", "init"), "demo": ("setup", "demo"),                      # the station set up; the demo
    "staff": ("staff", "staff"),                                               # accounts
    "register": ("desk", "register"), "log": ("desk", "log"),                  # the desk without the UI
    "village": ("villages", "village"),
    "search": ("review", "search"), "amend": ("review", "amend"),              # the review without the UI
    "signoff": ("review", "signoff"),
    "shift": ("shifts", "shift"), "handover": ("shifts", "handover"),          # shifts and what they carry
    "matter": ("shifts", "matter"),
    "pass": ("passes", "pass_group"),                                          # passes
    "policy": ("policy", "policy"), "config": ("settings", "config"),          # rules and settings
    "status": ("trust", "status"), "keys": ("trust", "keys"),                  # what the station trusts
    "revocations": ("trust", "revocations"),
    "export": ("exchange", "export_cmd"), "import": ("exchange", "import_cmd"),  # the USB stick, station side
    "audit": ("audit", "audit"), "backup": ("backup", "backup"), "restore": ("backup", "restore"),
    "purge": ("retention", "purge"),
    "serve": ("serve", "serve"),                                               # the desk in a browser
    "township": ("township", "township"),                                      # the township office
}


class Commands(Guarded):
    """The top-level group: its commands are COMMANDS, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and name not in self.commands:
            module, attribute = COMMANDS[name]
            self.add_command(getattr(importlib.import_module(f"checkpoint.cli.{module}"), attribute), name)
        return super().get_command(ctx, name)


@click.group(cls=Commands, invoke_without_command=True,
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
