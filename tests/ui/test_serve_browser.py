"""`checkpoint serve` in a real browser: Debian's Chromium, headless, driven by Playwright. The page
and everything it loads come from this computer (nothing from Google Fonts or anywhere else), the
login screen arrives with its Chinese drawn as glyphs rather than empty boxes, and the database sits
in a folder whose name has spaces and Chinese characters, as on a township laptop."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# As root, with the machine's network closed: no sandbox, and none of Chromium's own calls home.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def chinese_path_station(tmp_path) -> Path:
    from checkpoint.services.setup import init_station
    from checkpoint.store import open_store

    db = tmp_path / "青山镇 卡点" / "东口 station.db"
    db.parent.mkdir()
    store = open_store(db)
    init_station(store, "K01", "东口卡点", "青山镇", "王队长", "1234")
    store.close()
    return db


@pytest.fixture
def served(chinese_path_station):
    port = free_port()
    env = {**os.environ, "CHECKPOINT_LANG": "zh", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "checkpoint", "--db", str(chinese_path_station), "serve",
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(proc.stdout.read())
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# Draws a character with the terminal's own font list and compares it with a code point no font has:
# equal pixels mean the browser could only draw its "missing glyph" box.
GLYPH_CHECK = """([text, family]) => {
  const draw = (ch) => {
    const c = document.createElement('canvas'); c.width = 64; c.height = 64;
    const g = c.getContext('2d'); g.font = '32px ' + family; g.fillStyle = '#000'; g.fillText(ch, 8, 44);
    return Array.from(g.getImageData(0, 0, 64, 64).data).join(',');
  };
  const missing = draw('\\u{F0000}');
  return Array.from(text).filter((ch) => draw(ch) === missing);
}"""
TERMINAL_FONTS = "'Roboto Mono', Monaco, 'Courier New', monospace"   # textual.js gives xterm this list


def test_the_login_screen_reaches_chromium_with_nothing_loaded_from_elsewhere(served, tmp_path):
    assert Path(CHROMIUM).exists(), "Debian's chromium is not installed (.ci/run installs it)"
    origin = urlsplit(served).netloc
    requests, frames = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 640})
            page.on("request", lambda r: requests.append(r.url))
            page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(
                f if isinstance(f, bytes) else f.encode())))
            page.goto(served + "/", wait_until="load", timeout=30_000)
            page.wait_for_function("document.body.classList.contains('-first-byte')", timeout=30_000)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and "王队长".encode() not in b"".join(frames):
                page.wait_for_timeout(200)
            drawn = b"".join(frames)
            page.wait_for_timeout(500)
            page.screenshot(path=str(tmp_path / "serve-login.png"))
            fonts_loaded = page.evaluate("async () => (await document.fonts.load(\"16px 'Roboto Mono'\")).length")
            boxes = page.evaluate(GLYPH_CHECK, ["登录王队长卡点", TERMINAL_FONTS])
            no_font_has = page.evaluate(GLYPH_CHECK, ["\ue000", TERMINAL_FONTS])   # the check can fail
            title = page.title()
        finally:
            browser.close()

    assert "登录".encode() in drawn and "王队长".encode() in drawn     # the login screen, with the leader listed
    foreign = [u for u in requests if urlsplit(u).netloc != origin]
    assert requests and not foreign, foreign
    assert any(u.endswith("/fonts/RobotoMono-VariableFont_wght.ttf") for u in requests)
    assert fonts_loaded >= 1                                           # the local @font-face really loaded
    assert boxes == [] and no_font_has == ["\ue000"]                  # every Chinese character has a glyph
    assert title == "卡点登记"


# ---- the command each browser window starts, per platform ------------------------------------------------
def test_on_windows_the_command_is_quoted_for_cmd_exe_and_runs_utf8():
    from checkpoint.cli.serve import app_command

    command = app_command(r"D:\青山镇 卡点\station.db", "zh", platform="win32", frozen=False,
                          executable=r"E:\checkpoint kit\python\python.exe")
    assert command == r'"E:\checkpoint kit\python\python.exe" -X utf8 -m checkpoint --lang zh --db "D:\青山镇 卡点\station.db"'
    assert "'" not in command                     # cmd.exe does not know sh's single quotes


def test_a_frozen_build_runs_itself_without_dash_m():
    from checkpoint.cli.serve import app_command

    assert app_command("/data/卡点 1/s.db", "en", platform="linux", frozen=True, executable="/opt/checkpoint/checkpoint") \
        == "/opt/checkpoint/checkpoint --lang en --db '/data/卡点 1/s.db'"
    assert app_command(r"C:\s.db", "zh", platform="win32", frozen=True, executable=r"C:\Program Files\cp\checkpoint.exe") \
        == r'"C:\Program Files\cp\checkpoint.exe" --lang zh --db C:\s.db'


def test_elsewhere_the_command_is_quoted_for_sh(tmp_path):
    import shlex

    from checkpoint.cli.serve import app_command

    db = str(tmp_path / "卡点 数据" / "x.db")
    command = app_command(db, "zh", platform="linux", frozen=False)
    assert shlex.split(command) == [sys.executable, "-m", "checkpoint", "--lang", "zh", "--db", db]
