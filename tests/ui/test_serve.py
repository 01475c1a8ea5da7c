"""`checkpoint serve`, as a tablet uses it: the page is served on 127.0.0.1, the browser's websocket
starts the program, the login screen arrives, a PIN typed through the socket opens the desk. Another
loopback address counts as "not this computer only" and is warned about."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

import aiohttp
import pytest

from checkpoint.services import accounts

PINS = {"王队长": "1234", "李四": "2222"}


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(station, db_path):
    """The server in a subprocess; yields (url, process); stopped (Ctrl+C as a person does) after."""
    port = free_port()
    env = {**os.environ, "CHECKPOINT_LANG": "zh", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "checkpoint", "--db", str(db_path), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stdout.read())
            time.sleep(0.2)
    yield url, proc
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def read_until(ws, *needles: bytes, seconds: float = 30) -> bytes:
    """Everything the program draws until all `needles` have appeared (or the time is up)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(n in seen for n in needles):
        try:
            msg = await ws.receive(timeout=1)
        except asyncio.TimeoutError:
            continue
        if msg.type == aiohttp.WSMsgType.BINARY:
            seen += msg.data
        elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            break
    return seen


async def test_the_page_is_served_and_the_desk_opens_after_login_in_the_browser(served, station):
    url, proc = served
    first = accounts.list_staff(station, active_only=True)[0]["name"]   # highlighted on the login screen
    async with aiohttp.ClientSession() as session:
        async with session.get(url + "/") as page:
            assert page.status == 200
            html = await page.text()
            assert "textual.js" in html and "ws://127.0.0.1" in html
        async with session.ws_connect(url + "/ws?width=80&height=24") as ws:
            await ws.send_json(["resize", {"width": 80, "height": 24}])
            login_screen = await read_until(ws, "登录".encode(), first.encode())
            assert "登录".encode() in login_screen and first.encode() in login_screen
            await ws.send_json(["stdin", PINS[first] + "\r"])
            desk = await read_until(ws, "车牌".encode())
            assert "车牌".encode() in desk
            role = "带班" if first == "王队长" else "值守"
            assert f"{role}：{first}".encode() in desk        # the same account and role as in a terminal
    assert proc.poll() is None


def test_another_address_is_warned_about(station, db_path):
    port = free_port("127.0.0.2")
    proc = subprocess.Popen([sys.executable, "-m", "checkpoint", "--db", str(db_path), "serve", "--host", "127.0.0.2",
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "CHECKPOINT_LANG": "zh", "PYTHONUNBUFFERED": "1"})
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any("http://127.0.0.2" in line for line in lines):
            lines.append(proc.stdout.readline())
        text = "".join(lines)
        assert "同一网络里的任何人都能打开登录界面" in text and f"http://127.0.0.2:{port}" in text
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_busy_port_is_one_sentence(station, db_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "checkpoint", "--db", str(db_path), "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and f"端口 {port} 已被占用" in result.stderr
    assert "Traceback" not in result.stderr
