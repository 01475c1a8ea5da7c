"""Screenshots for docs/使用说明.md, made by driving the real program with Textual's Pilot.

    python docs/make_screenshots.py            # writes docs/screenshots/*.png

A demo station (the same generator as `checkpoint demo`) is made in a temporary folder with a fixed
clock, each screen is reached with the keys a person presses, saved as SVG by Textual's
`save_screenshot()`, and turned into PNG with rsvg-convert (Debian: librsvg2-bin) or, without it,
cairosvg (PyPI). Chinese needs a CJK font: the one the program already depends on
(noto-cjk-sans-otc) is handed to the converter through a fontconfig file, so no system font is
needed. If neither converter is there, the SVGs are kept instead and the script says so.

The guide's pictures use the high-contrast "sunlight" theme at 80×24, the size of an old laptop's
terminal: if they read clearly, the screen does too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = Path(__file__).resolve().parent / "screenshots"
NOW = dt.datetime(2026, 11, 24, 6, 30, tzinfo=dt.timezone.utc)  # 14:30 in Asia/Shanghai
SMALL = (80, 24)
PINS = {"王建国": "1234", "李秀英": "2222"}


async def login(pilot, name: str) -> None:
    from textual.widgets import OptionList

    await pilot.pause()
    names = pilot.app.screen.query_one(OptionList)
    target = next(i for i in range(names.option_count) if names.get_option_at_index(i).id == name)
    steps = target - (names.highlighted or 0)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    await pilot.press(*PINS[name], "enter")
    await pilot.pause()


def make_station(folder: Path):
    from checkpoint.domain.passes import PassForm
    from checkpoint.services import accounts, passes, settings
    from checkpoint.services.demo import create_demo
    from checkpoint.store import open_store

    store = open_store(folder / "demo.db")
    create_demo(store, entries=400, days=3, seed=7, now=NOW)
    leader = accounts.authenticate(store, "王建国", "1234")
    settings.change_setting(store, leader, "theme", "sunlight")
    issued = passes.issue_pass(store, leader, PassForm(kind="household", name="张三丰", doc_no="11010519491231002X",
                                                       village="红旗村"), now=NOW - dt.timedelta(hours=2))
    return store, issued.token


def make_township(folder: Path, store) -> object:
    """A township database that collected this station's export of the day."""
    from checkpoint.services import export, keys
    from checkpoint.services import township as township_service
    from checkpoint.services import township_collect
    from checkpoint.store.township import open_township_store

    from checkpoint.services import accounts, township_import

    town = open_township_store(folder / "township.db")
    made = township_service.init_township(town, "青山镇")
    keys.export_public_key(store, folder / "K01.key")
    township_service.add_station(town, folder / "K01.key")
    # the station holds the township's key (as `keys township-replace` gives it): its export is sealed
    township_service.export_key(town, folder / "township.key")
    township_import.replace_township_key(store, accounts.authenticate(store, "王建国", "1234"),
                                         folder / "township.key", made.fingerprint)
    day = NOW.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    export.export_day(store, day, folder / "usb", now=NOW + dt.timedelta(hours=2))
    township_collect.collect(town, [folder / "usb"], now=NOW + dt.timedelta(hours=4))
    return town


async def shoot(app, name: str, steps, size=SMALL) -> Path:
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        await pilot.pause(0.3)
        return Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))


async def all_screens(store, token: str, town) -> list[Path]:
    from checkpoint.app import CheckpointApp
    from checkpoint.screens.township import TownshipApp
    from checkpoint.services.clock_check import newest_record

    def app(**kw):
        return CheckpointApp(store, demo=True, clock=lambda: NOW, **kw)

    async def nothing(pilot):
        await pilot.pause()

    async def desk(pilot):
        # mid-person in a car: the ID and the mobile moved on by themselves, 从哪来 by its initials
        await login(pilot, "王建国")
        await pilot.press(*"鄂A12345", "enter", *"42010219850612301X", *"张伟", "enter", *"13800001111", *"whs")
        await pilot.pause(0.3)

    async def fever(pilot):
        await login(pilot, "李秀英")
        await pilot.press("enter", *"110108198506123015", *"张伟", "enter", *"13800001111", *"湖北省宜昌市",
                          "enter", "enter", *"青山镇红旗村", "enter", *"379", "enter")

    async def palette(pilot):
        await login(pilot, "李秀英")
        await pilot.press("ctrl+p", "d", "j")
        await pilot.pause(0.5)

    async def check_valid(pilot):
        await login(pilot, "李秀英")
        await pilot.press("f6", *token, "enter")           # going out: the first exit of the period

    async def check_refused(pilot):
        await login(pilot, "李秀英")
        await pilot.press("f6", *token, "enter")           # out once more (the shot before went out): not back

    async def check_forged(pilot):
        await login(pilot, "李秀英")
        forged = token[:40] + ("B" if token[40] != "B" else "C") + token[41:]
        await pilot.press("f6", *forged, "enter")

    async def pass_issue(pilot):
        await login(pilot, "王建国")
        await pilot.press("f7", "enter", *"李明", "enter", *"110101200001010037", "enter", *"东村", "enter")

    async def pass_issued(pilot):
        await pass_issue(pilot)
        await pilot.press("ctrl+s")

    async def shift_start(pilot):
        await login(pilot, "王建国")
        await pilot.press("f8")

    async def handover(pilot):
        await login(pilot, "王建国")
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("ctrl+s")        # start the day shift with the leader
        await pilot.pause()
        await pilot.press("f8")

    async def review(pilot):
        await login(pilot, "王建国")
        await pilot.press("f9")

    async def export(pilot):
        await review(pilot)
        await pilot.pause()
        await pilot.press("x")

    async def locked(pilot):
        await login(pilot, "李秀英")
        await pilot.press(*"京A12345", "ctrl+l")

    async def night(pilot):
        await login(pilot, "王建国")
        pilot.app.theme = "checkpoint-night"

    async def default(pilot):
        await login(pilot, "王建国")
        pilot.app.theme = "textual-dark"

    behind = newest_record(store) - dt.timedelta(days=3)   # a clock reset after a power cut
    shots = [
        ("01-登录", app(), nothing, SMALL), ("02-登记台", app(), desk, SMALL), ("03-登记台-发热复测", app(), fever, SMALL),
        ("04-查找操作", app(), palette, SMALL), ("05-核验-有效", app(), check_valid, SMALL),
        ("06-核验-未返回", app(), check_refused, SMALL), ("07-核验-伪造", app(), check_forged, SMALL),
        ("08-发证", app(), pass_issue, SMALL), ("09-发证-二维码", app(), pass_issued, (100, 40)),
        ("10-开班", app(), shift_start, SMALL), ("11-交接班", app(), handover, SMALL), ("12-复核", app(), review, SMALL),
        ("13-导出日报", app(), export, SMALL), ("14-锁屏", app(), locked, SMALL),
        ("15-时钟警告", CheckpointApp(store, demo=True, clock=lambda: behind, check_clock=True), desk, SMALL),
        ("16-乡镇看板", TownshipApp(town, clock_fn=lambda: NOW + dt.timedelta(hours=4)), nothing, SMALL),
        ("17-登记台-默认主题", app(), default, SMALL), ("18-登记台-夜间主题", app(), night, SMALL),
        ("19-登记台-宽屏", app(), desk, (120, 40)),
    ]
    made = []
    for name, application, steps, size in shots:
        made.append(await shoot(application, name, steps, size))
        print(name)
    return made


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig file that adds the CJK font shipped by noto-cjk-sans-otc to the system's."""
    import noto_cjk_sans_otc

    conf = folder / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{Path(noto_cjk_sans_otc.__file__).parent}</dir>
  <cachedir>{folder / "cache"}</cachedir>
</fontconfig>
""", encoding="utf-8")
    return conf


def to_png(svgs: list[Path], folder: Path) -> str:
    """Convert each SVG beside itself; returns the converter used ("" when none was found)."""
    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file(folder))
    converter = "rsvg-convert" if shutil.which("rsvg-convert") else ""
    if not converter:
        try:
            import cairosvg  # noqa: F401
            converter = "cairosvg"
        except ImportError:
            return ""
    for svg in svgs:
        text = svg.read_text(encoding="utf-8").replace("Fira Code, monospace",
                                                       "Noto Sans Mono CJK SC, DejaVu Sans Mono, monospace")
        text = text.replace("font-family: arial", "font-family: Noto Sans CJK SC")
        fixed = folder / svg.name
        fixed.write_text(text, encoding="utf-8")
        png = svg.with_suffix(".png")
        if converter == "rsvg-convert":
            subprocess.run(["rsvg-convert", "-w", "1100", str(fixed), "-o", str(png)], check=True)
        else:
            import cairosvg
            cairosvg.svg2png(url=str(fixed), write_to=str(png), output_width=1100)
        svg.unlink()
    return converter


def main() -> None:
    os.environ.setdefault("CHECKPOINT_LANG", "zh")
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store, token = make_station(folder)
        town = make_township(folder, store)
        svgs = asyncio.run(all_screens(store, token, town))
        converter = to_png(svgs, folder)
        store.close()
        town.close()
    if converter:
        print(f"{len(svgs)} PNG screenshots in {OUT} ({converter})")
    else:
        print(f"no SVG converter (rsvg-convert or cairosvg): {len(svgs)} SVG screenshots kept in {OUT}")


if __name__ == "__main__":
    main()
