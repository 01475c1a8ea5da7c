"""The `checkpoint` command: one module per command group (cli/root.py lists them all), the error
framework in cli/errors.py, what the commands share in cli/context.py. The CLI only collects input
and shows results; it never opens a database itself (services.station does)."""

from checkpoint.cli.root import main

__all__ = ["main"]
