"""`checkpoint serve`: the same desk in a web browser (textual-serve), so a tablet at the barrier can
be a second lane. Each browser window starts its own copy of the program on the same database file
and logs in like a terminal; roles, PINs and the idle lock are the same.

Bound to 127.0.0.1 unless --host says otherwise: the page is plain http and shows the login screen
to whoever reaches it, so a LAN address is allowed only by name and with a warning.
"""

from __future__ import annotations

import shlex
import socket
import sys

import click

from checkpoint.cli import db_option, main
from checkpoint.errors import InputError
from checkpoint.i18n import language, t

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def app_command(db: str, lang: str) -> str:
    """The shell command textual-serve runs for each browser window (quoted: a path may have spaces)."""
    return " ".join(shlex.quote(part) for part in (sys.executable, "-m", "checkpoint", "--lang", lang, "--db", db))


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but 127.0.0.1 lets other devices on the network in.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--public-url", default=None,
              help="The address the browser uses, when it differs from --host (e.g. --host 0.0.0.0).")
@click.pass_context
def serve(ctx, host, port, public_url):
    """Serve the UI to a web browser (a tablet as a second lane)."""
    from textual_serve.server import Server

    from checkpoint.store import open_store

    db = ctx.obj["db"]
    open_store(db, create=False).close()  # a missing or foreign file is refused here, not in each window
    if host not in LOOPBACK:
        click.echo(t("serve.lan_warning", host=host), err=True)
    if not port_free(host, port):
        raise InputError("serve.port_busy", field="port", port=port)
    url_host = f"[{host}]" if ":" in host else host
    url = (public_url or f"http://{url_host}:{port}").rstrip("/")

    class CheckpointServer(Server):
        async def on_startup(self, app) -> None:  # our words, not the library's banner
            click.echo(t("serve.started", url=url))

    CheckpointServer(app_command(str(db), language()), host=host, port=port, title=t("app.title"),
                     public_url=url).serve()
