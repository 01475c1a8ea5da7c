"""What crosses the USB stick, through the real CLI in subprocesses: a manifest edited only in its
whitespace is refused (exit 1) and the genuine bundle then accepted, both directions; a bundle of
the previous format is refused with a sentence; a zip bomb is refused before a byte is unpacked;
a huge photo is read within 200 MB; `status` says how old the township list is."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import run

LEADER = ["--as", "王队长"]
HELD = ["--name", "张三丰", "--id", "11010519491231002X", "--phone", "13812345678", "--origin", "湖北省宜昌市",
        "--address", "青山镇红旗村3组12号", "--direction", "in", "--temp", "37.9", "--recheck-temp", "38.0",
        "--disposition", "hold"]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """station.db (K01, holding its township's key, a fever held today) and town.db (K01 registered)."""
    folder = tmp_path_factory.mktemp("exchange")
    db, town = str(folder / "station.db"), str(folder / "town.db")
    run("init", "--station-code", "K01", "--station-name", "东口卡点", "--township", "青山镇", "--leader", "王队长",
        "--pin", "1234", "--db", db, code=0)
    run("township", "init", "--name", "青山镇", "--db", town, code=0)
    key = run("township", "key", "--out", str(folder / "town.key"), "--db", town, code=0)
    fingerprint = re.search(r"指纹 ([0-9A-F ]{24})", key.stdout).group(1)
    run("--db", db, "keys", "township-replace", str(folder / "town.key"), "--fingerprint", fingerprint, *LEADER,
        pin="1234", code=0)
    run("--db", db, "keys", "export", "--out", str(folder / "k01.key"), code=0)
    run("township", "station", "add", str(folder / "k01.key"), "--db", town, code=0)
    run("--db", db, "register", *LEADER, *HELD, pin="1234", code=0)
    return folder


@pytest.fixture
def dbs(template, tmp_path) -> tuple[str, str]:
    for name in ("station.db", "town.db", "town.key"):
        for suffix in ("", "-wal", "-shm"):
            if Path(str(template / name) + suffix).exists():
                shutil.copy(str(template / name) + suffix, str(tmp_path / name) + suffix)
    return str(tmp_path / "station.db"), str(tmp_path / "town.db")


def export_folder(db: str, out: Path) -> Path:
    return Path(run("--db", db, "export", "--out", str(out), *LEADER, pin="1234", code=0).stdout.splitlines()[0])


EDITS = {
    "tab-inserted": lambda text: text.replace("{\n", "{\n\t", 1),
    "final-newline-to-space": lambda text: text[:-1] + " ",
    "space-to-tab": lambda text: re.sub(r'"(revision|serial)": 1', r'"\1":\t1', text, count=1),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_whitespace_edits_are_refused_with_exit_1_and_the_genuine_bundles_then_accepted(dbs, tmp_path, edit):
    db, town = dbs
    genuine = export_folder(db, tmp_path / "usb")
    edited = tmp_path / "edited" / genuine.name
    shutil.copytree(genuine, edited)
    text = (edited / "manifest.json").read_text(encoding="utf-8")
    (edited / "manifest.json").write_text(EDITS[edit](text), encoding="utf-8")
    assert json.loads((edited / "manifest.json").read_text(encoding="utf-8")) == json.loads(text)
    refused = run("township", "collect", str(edited), "--db", town, code=1)
    assert "拒收" in refused.stdout and "签名不符" in refused.stdout
    accepted = run("township", "collect", str(genuine.with_name(genuine.name + ".zip")), "--db", town, code=0)
    assert "已接收" in accepted.stdout

    bundle = run("township", "bundle", "--out", str(tmp_path / "back"), "--db", town, code=0).stdout.splitlines()
    town_edited = tmp_path / "town-edited" / Path(bundle[0]).name
    shutil.copytree(bundle[0], town_edited)
    text = (town_edited / "manifest.json").read_text(encoding="utf-8")
    (town_edited / "manifest.json").write_text(EDITS[edit](text), encoding="utf-8")
    refused = run("--db", db, "import", str(town_edited), *LEADER, pin="1234", code=1)
    assert "签名不符" in refused.stderr
    applied = run("--db", db, "import", bundle[1], *LEADER, pin="1234", code=0)
    assert "已导入青山镇第1号包" in applied.stdout


def test_a_bundle_of_the_previous_format_is_refused_with_a_sentence(dbs, tmp_path):
    db, town = dbs
    genuine = export_folder(db, tmp_path / "usb")
    old = tmp_path / "old" / genuine.name
    shutil.copytree(genuine, old)
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    manifest["signature"] = {"algorithm": "ed25519", "key_id": manifest["key_id"], "value": "AAAA"}
    (old / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    (old / "manifest.sig").unlink()
    refused = run("township", "collect", str(old), "--db", town, code=1)
    assert "旧版程序" in refused.stdout and "重新导出" in refused.stdout


def test_a_zip_bomb_is_refused_before_a_byte_is_unpacked(dbs, tmp_path):
    from tests.services.test_exchange import _zeros_zip

    _, town = dbs
    bomb = _zeros_zip(tmp_path / "K01-2026-11-24-r1.zip", 11, 190 * 1024 * 1024)
    temp = tmp_path / "temp"
    temp.mkdir()
    refused = run("township", "collect", str(bomb), "--db", town, code=1, env_extra={"TMPDIR": str(temp)})
    assert "未解压" in refused.stdout
    assert list(temp.iterdir()) == []


def test_export_without_the_township_key_says_how_to_get_it(tmp_path):
    db = str(tmp_path / "k02.db")
    run("init", "--station-code", "K02", "--station-name", "西口卡点", "--township", "青山镇", "--leader", "王队长",
        "--pin", "1234", "--db", db, code=0)
    refused = run("--db", db, "export", "--out", str(tmp_path / "usb"), *LEADER, pin="1234", code=1)
    assert "township key --out" in refused.stderr and "--township-key" in refused.stderr
    assert "--plain" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    status = run("--db", db, "status", code=0).stdout
    assert "乡镇密钥：还没有" in status and "不能加密" in status and "还没有导入乡镇名单" in status
    plain = run("--db", db, "export", "--out", str(tmp_path / "usb"), "--plain", "--local-copy",
                str(tmp_path / "leader"), *LEADER, pin="1234", code=0)
    assert "未加密导出" in plain.stderr and "明文副本" in plain.stderr
    folder = Path(plain.stdout.splitlines()[0])
    assert (folder / "follow-up.csv").is_file() and (tmp_path / "leader" / folder.name / "ledger.csv").is_file()
    inside = run("--db", db, "export", "--out", str(tmp_path / "usb"), "--plain", "--local-copy",
                 str(tmp_path / "usb" / "copy"), *LEADER, pin="1234", code=2)
    assert "明文副本不能放在导出文件夹" in inside.stderr


# ---- photos --------------------------------------------------------------------------------------------
def _photo(path: Path, size: tuple[int, int], token: str, box: int) -> Path:
    """A colour photo (JPEG, as a phone takes it) of `size` pixels with the pass's QR code on it."""
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(border=4, box_size=box)
    code.add_data(token)
    code.make(fit=True)
    image = Image.new("RGB", size, (200, 180, 160))
    image.paste(code.make_image().convert("RGB"), (size[0] // 3, size[1] // 3))
    image.save(path, quality=85)
    return path


# The peak is this process's own high-water mark (VmHWM), not ru_maxrss: Linux keeps ru_maxrss
# across fork and exec, so a child of a big test process would report its parent's size.
PEAK = """
import re, sys
from pathlib import Path
from checkpoint.errors import CheckpointError
from checkpoint.services.passes import read_code_from_image
try:
    print(read_code_from_image(Path(sys.argv[1])))
except CheckpointError as exc:
    print("refused:", exc.message)
status = Path("/proc/self/status").read_text()
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024)
"""


def peak_of(photo: Path) -> tuple[str, int]:
    result = subprocess.run([sys.executable, "-c", PEAK, str(photo)], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "CHECKPOINT_LANG": "zh"})
    assert result.returncode == 0, result.stderr
    text, peak = result.stdout.strip().splitlines()
    return text, int(peak)


@pytest.fixture(scope="module")
def pass_token(template) -> str:
    db = str(template / "station.db")
    issued = run("--db", db, "pass", "issue", *LEADER, "--name", "赵敏", "--id", "110102199001010046", "--village",
                 "红旗村", pin="1234", code=0)
    return issued.stdout.strip().splitlines()[-1]


def test_a_169_megapixel_photo_is_read_within_200_mb(template, tmp_path, pass_token):
    photo = _photo(tmp_path / "huge.jpg", (15000, 11267), pass_token, 40)
    text, peak = peak_of(photo)
    assert text == pass_token       # read, scaled down while decoding
    assert peak <= 200, f"peak memory {peak} MB"


def test_the_qr_on_a_50_megapixel_photo_still_decodes(template, tmp_path, pass_token):
    photo = _photo(tmp_path / "50mp.jpg", (8660, 5774), pass_token, 12)
    text, peak = peak_of(photo)
    assert text == pass_token and peak <= 200, (text[:20], peak)
    db = str(template / "station.db")
    checked = run("--db", db, "pass", "verify", "--image", str(photo), *LEADER, pin="1234", code=0)
    assert checked.stdout.startswith("有效 VALID")


def test_a_huge_image_that_cannot_be_scaled_while_decoding_is_refused(tmp_path):
    from PIL import Image

    png = tmp_path / "huge.png"
    Image.new("RGB", (6000, 4000), (255, 255, 255)).save(png)   # 24 MP of colour: 72 MB decoded
    text, peak = peak_of(png)
    assert text.startswith("refused: 照片太大（24百万像素）") and peak <= 200


def test_replacing_the_township_key_asks_for_the_fingerprint_at_a_terminal(tmp_path, template):
    """At a terminal the fingerprint is asked for (and the file's own is not shown first)."""
    import pty
    import select

    db = str(tmp_path / "k03.db")
    run("init", "--station-code", "K03", "--station-name", "北口卡点", "--township", "青山镇", "--leader", "王队长",
        "--pin", "1234", "--db", db, code=0)
    key_file = template / "town.key"
    fingerprint = run("township", "key", "--out", str(tmp_path / "again.key"), "--db", str(template / "town.db"),
                      code=0).stdout
    fingerprint = re.search(r"指纹 ([0-9A-F ]{24})", fingerprint).group(1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKPOINT_")}
    env["CHECKPOINT_PIN"] = "1234"
    pid, fd = pty.fork()
    if pid == 0:   # the child: the command at a terminal
        os.execve(sys.executable, [sys.executable, "-m", "checkpoint", "--db", db, "keys", "township-replace",
                                   str(key_file), *LEADER], env)
    seen = b""

    def read_until(text: str) -> None:
        nonlocal seen
        while text.encode() not in seen:
            ready, _, _ = select.select([fd], [], [], 60)
            assert ready, seen.decode(errors="replace")
            seen += os.read(fd, 4096)

    read_until("指纹")
    assert fingerprint.encode() not in seen           # asked, not shown
    os.write(fd, fingerprint.encode() + b"\r")
    read_until("已更换乡镇密钥")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert "日报加密：开" in run("--db", db, "status", code=0).stdout
