"""What a person at a real terminal waits for: the program runs in a pseudo-terminal (80×24 unless
said), keys are written to it as a keyboard would send them, and its output is read as a terminal
reads it. Nothing of Textual's test harness is involved (Pilot waits for every widget of the screen
after each key: its own cost grows with the number of widgets, which no terminal has to pay).

- process start → login screen shown (the login title on the terminal), beside
  `python -c "import textual.app"`;
- PIN Enter → desk shown: from the Enter written to the first output holding the desk's first
  section title; also until the output goes quiet (every frame the login caused drawn). The name
  and the PIN are typed as a quick person types them (PERSON_PACE between keys, once the login
  screen is quiet): the program composes the desk beneath the login screen meanwhile. The same
  Enter after keys written as fast as the program takes them (each once the output is quiet, as
  this bench typed them before; no person is that fast: what it costs when the desk is not ready
  yet) is a row of its own;
- keystroke → screen updated, in the desk's name field, beside the same key in a Textual app with
  one Input (the same wrapper, the same terminal): from the key written until the terminal's output
  goes quiet after it. The cursor's blink is turned off in both (as the UI tests do), so no frame
  but the key's own is drawn.

The year's database of the bench (1,000,000 registrations). A login of the first of a day also
starts the day's automatic backup (a copy of the whole file, in the background): one login is made
before the measured ones, so they measure the day's later logins, as the row says.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

from bench.stats import row, summary

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[P\]X^_].*?(?:\x1b\\|\x07)|\x1b[@-Z\\-_]", re.S)
ENTER, BACKSPACE, DOWN = b"\r", b"\x7f", b"\x1b[B"
# The demo station's 王建国 (PIN 1234) is the fourth name of the login list.
LOGIN_KEYS = [DOWN, DOWN, DOWN, b"1", b"2", b"3", b"4"]
LOGIN_TITLE = "登录"          # ui.login_title
DESK_TITLE = "车辆（可不填）"  # ui.vehicle_section, the desk's first section
PERSON_PACE = 0.25   # s between keys: four keys a second, a quick typist choosing a name and a PIN

STEADY = textwrap.dedent("""
    import sys
    from textual.widgets import Input
    def _shown(self):
        self._cursor_visible = True
    Input._toggle_cursor = _shown   # no blink: the only frames drawn are the keys' own
""")
RUN_CHECKPOINT = STEADY + textwrap.dedent("""
    sys.argv = ["checkpoint", *sys.argv[1:]]
    from checkpoint.console import run
    run()
""")
RUN_PLAIN = textwrap.dedent("""
    import sys
    sys.argv = ["checkpoint", *sys.argv[1:]]
    from checkpoint.console import run
    run()
""")
EMPTY_APP = STEADY + textwrap.dedent("""
    from textual.app import App
    class One(App):
        def compose(self):
            yield Input(id="one")
        def on_mount(self):
            self.query_one(Input).focus()
            self.notify("ready", timeout=0.1)
    One().run()
""")
# The smallest Textual app with a field, started as the program is: what any Textual program's start
# costs beyond `import textual.app` (its CSS parsed, its driver started, its first screen drawn).
EMPTY_START = textwrap.dedent("""
    from textual.app import App
    from textual.widgets import Input, Label
    class One(App):
        def compose(self):
            yield Label("空白应用")
            yield Input()
    One().run()
""")
EMPTY_TITLE = "空白应用"


class Terminal:
    """A program in a pseudo-terminal of `size` (columns, lines)."""

    def __init__(self, argv: list[str], size: tuple[int, int] = (80, 24)) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
        env.update(TERM="xterm-256color", COLUMNS=str(size[0]), LINES=str(size[1]), CHECKPOINT_LANG="zh")
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:   # the child: the program at a terminal
            os.chdir(ROOT)
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.seen = b""

    def _read(self, timeout: float) -> float | None:
        """Read what is there within `timeout` s; the time it arrived, or None."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            raise RuntimeError("the program ended: " + self.text()[-500:]) from None
        self.seen += chunk
        return time.perf_counter()

    def text(self) -> str:
        return ANSI.sub(b"", self.seen).decode("utf-8", errors="replace")

    def wait_for(self, text: str, timeout: float = 60) -> float:
        """The time `text` was first on the terminal (since the last `send`)."""
        end = time.perf_counter() + timeout
        while text not in self.text():
            if time.perf_counter() > end:
                raise RuntimeError(f"not shown within {timeout} s: {text}\n{self.text()[-800:]}")
            self._read(0.5)
        return time.perf_counter()

    def settle(self, quiet: float = 0.1, timeout: float = 30) -> float:
        """The time of the last output before `quiet` s without any."""
        last = time.perf_counter()
        end = last + timeout
        while time.perf_counter() < end:
            got = self._read(quiet)
            if got is None:
                return last
            last = got
        raise RuntimeError("the output never went quiet")

    def send(self, key: bytes) -> float:
        self.seen = b""
        sent = time.perf_counter()
        os.write(self.fd, key)
        return sent

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


def _checkpoint(db: Path, steady: bool = False) -> list[str]:
    if steady:
        return [sys.executable, "-c", RUN_CHECKPOINT, "--db", str(db)]
    return [sys.executable, "-c", RUN_PLAIN, "--db", str(db)]   # `python -m checkpoint`


def login_once(db: Path, pace: float = PERSON_PACE) -> dict:
    """Start the program, log in (`pace` s between keys; 0: each key as soon as the output is
    quiet after the one before), quit: seconds to the login screen, Enter → desk shown / settled."""
    term = Terminal(_checkpoint(db))
    try:
        shown = term.wait_for(LOGIN_TITLE) - term.started
        term.settle(0.3)
        for key in LOGIN_KEYS:
            term.send(key)
            term.settle(0.05)
            time.sleep(pace)
        enter = term.send(ENTER)
        desk = term.wait_for(DESK_TITLE) - enter
        settled = term.settle(0.3) - enter
    finally:
        term.close()
    return {"login_shown": shown, "desk_shown": desk, "desk_settled": settled}


def login_figures(db: Path, repeat: int = 7) -> list[dict]:
    login_once(db)   # the day's first login: starts the day's backup of the whole file (not measured)
    shown, desk, settled, burst, base, empty = [], [], [], [], [], []
    for _ in range(repeat):
        measured = login_once(db)
        shown.append(measured["login_shown"])
        desk.append(measured["desk_shown"])
        settled.append(measured["desk_settled"])
        burst.append(login_once(db, pace=0)["desk_shown"])
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import textual.app"], check=True)
        base.append(time.perf_counter() - started)
        term = Terminal([sys.executable, "-c", EMPTY_START])
        try:
            empty.append(term.wait_for(EMPTY_TITLE) - term.started)
        finally:
            term.close()
    baseline, bare_app = summary(base), summary(empty)
    return [
        row("process start -> login shown (real terminal)", summary(shown), baseline,
            "<= 1.5x import textual.app", "python -c 'import textual.app' (a process, no terminal)",
            limit=("ratio", 1.5)),
        row("  an empty Textual app (a label, a field): process start -> shown", bare_app, baseline,
            "reported: the floor of any Textual program's start", "python -c 'import textual.app' (a process, no terminal)"),
        row("  process start -> login shown, over that empty app's start", summary(shown), bare_app,
            "reported: what the program adds to Textual's start",
            "the empty Textual app (a label, a field), same terminal, until it is shown"),
        row("PIN Enter -> desk shown (real terminal, a later login of the day)", summary(desk), None, "<= 0.25 s",
            limit=("median_ms", 250)),
        row("  PIN Enter -> desk drawn and the output quiet", summary(settled), None, "reported"),
        row("  PIN Enter -> desk shown, keys written as fast as the program takes them", summary(burst), None,
            "reported"),
    ]


def _keys(term: Terminal, repeat: int) -> list[float]:
    samples = []
    for i in range(repeat):
        sent = term.send(BACKSPACE if i % 2 else "张".encode())
        if term._read(5) is None:
            raise RuntimeError("a key drew nothing")
        samples.append(term.settle(0.05) - sent)
    return samples


def unseen_id(db: Path) -> str:
    """A valid resident ID no entry of `db` holds: one seen before would fill the person in and move
    on to the temperature instead of the name."""
    import sqlite3

    from stdnum.cn import ric

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for seq in range(100, 1000):
            number = f"11010819900307{seq:03d}"
            number += ric.calc_check_digit(number + "0")   # it reads all but the last character
            if conn.execute("SELECT 1 FROM entries WHERE doc_no = ? LIMIT 1", (number,)).fetchone() is None:
                return number
    finally:
        conn.close()
    raise RuntimeError("no unseen resident ID found")


def keystroke_figures(db: Path, repeat: int = 200) -> list[dict]:
    """A key in the desk's name field (a whole resident ID typed first: the desk moves there by
    itself), beside the same key in an app with one Input."""
    term = Terminal(_checkpoint(db, steady=True))
    try:
        term.wait_for(LOGIN_TITLE)
        term.settle(0.3)
        for key in LOGIN_KEYS + [ENTER]:
            term.send(key)
            term.settle(0.05)
        term.wait_for(DESK_TITLE)
        term.settle(0.5)
        term.send(ENTER)                        # no plate: to the document number
        term.settle(0.2)
        for ch in unseen_id(db):                # a whole new ID moves on to the name by itself
            term.send(ch.encode())
            term.settle(0.02)
        term.settle(0.5)
        term.send("鑫".encode())
        term.settle(0.3)
        if "鑫" not in term.text():
            raise RuntimeError("the name field did not take the key")
        desk = _keys(term, repeat)
    finally:
        term.close()
    term = Terminal([sys.executable, "-c", EMPTY_APP])
    try:
        term.wait_for("ready")
        term.settle(0.5)
        empty = _keys(term, repeat)
    finally:
        term.close()
    return [row("keystroke -> screen updated, desk's name field (real terminal)", summary(desk[5:]),
                summary(empty[5:]), "p99 <= 16 ms over the empty app's p99",
                "the same key in a Textual app with one Input, same terminal, until its output is quiet",
                limit=("p99_over_baseline_ms", 16))]


if __name__ == "__main__":
    from bench.stats import print_table

    path = Path(sys.argv[1] if len(sys.argv) > 1 else HERE / "data" / "year.db")
    print_table(login_figures(path) + keystroke_figures(path))
