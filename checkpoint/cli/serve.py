"""`checkpoint serve`: the same desk in a web browser (textual-serve), so a tablet at the barrier can
be a second lane. Each browser window starts its own copy of the program on the same database file
and logs in like a terminal; roles, PINs and the idle lock are the same.

Bound to 127.0.0.1 unless --host says otherwise: the page is plain http and shows the login screen
to whoever reaches it, so a LAN address is allowed only by name and with a warning.
"""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

import click

from checkpoint.cli.context import db_option
from checkpoint.errors import InputError
from checkpoint.i18n import language, t

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def app_command(db: str, lang: str, *, platform: str | None = None, frozen: bool | None = None,
                executable: str | None = None) -> str:
    """The shell command textual-serve runs for each browser window, quoted for the shell that runs
    it (a path may have spaces or Chinese characters): cmd.exe on Windows, sh elsewhere. A frozen
    build (PyInstaller) is itself the program and has no `-m`."""
    platform = sys.platform if platform is None else platform
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = executable or sys.executable
    program = [executable] if frozen else [executable, *(["-X", "utf8"] if platform == "win32" else []), "-m", "checkpoint"]
    parts = [*program, "--lang", lang, "--db", db]
    return subprocess.list2cmdline(parts) if platform == "win32" else shlex.join(parts)


def page_templates(into: Path) -> Path:
    """The browser page, in the program's words, with textual-serve's own fonts served from this
    computer (its template asks Google Fonts for them): written into `into`, which is returned."""
    page = resources.files("checkpoint").joinpath("serve_page/app_index.html").read_text(encoding="utf-8")
    for word in ("start", "ended", "restart"):
        page = page.replace(f"@@{word}@@", t(f"serve_page.{word}"))
    (into / "app_index.html").write_text(page, encoding="utf-8")
    return into


def port_free(host: str, port: int) -> bool:
    """Whether nothing listens on `host`:`port` yet (a second `serve` would fail later, and less clearly)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


@click.command()
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

    from checkpoint.services.station import open_station

    db = ctx.obj["db"]
    open_station(db, create=False).close()  # a missing or foreign file is refused here, not in each window
    if host not in LOOPBACK:
        click.echo(t("serve.lan_warning", host=host), err=True)
    if not port_free(host, port):
        raise InputError("serve.port_busy", field="port", port=port)
    url_host = f"[{host}]" if ":" in host else host
    url = (public_url or f"http://{url_host}:{port}").rstrip("/")

    class CheckpointServer(Server):
        async def on_startup(self, app) -> None:  # our words, not the library's banner
            click.echo(t("serve.started", url=url))

    with tempfile.TemporaryDirectory(prefix="checkpoint-serve-") as pages:
        CheckpointServer(app_command(str(db), language()), host=host, port=port, title=t("app.title"),
                         public_url=url, templates_path=page_templates(Path(pages))).serve()
