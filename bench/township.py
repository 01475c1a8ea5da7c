"""The township collects 100 station bundles of 2,000 entries each (one day of 100 checkpoints).

Each station is real: its own database set up with `init_station` (its own code and Ed25519 key),
2,000 demo registrations on one day (the demo generator, a different seed per station), and the
daily export (`services.export.export_day`: folder and zip, signed manifest). The township is
set up once with the 100 stations registered by their key files and copied for each repetition,
so every collect starts from the same empty township. The bundles lie as the export leaves them
(folder and .zip side by side, as on a USB stick); the folder is collected, the zip is the same
bundle. No baseline: the target is absolute.

`python -m bench.township [STATIONS] [ENTRIES]` (100 and 2,000 by default) builds under
bench/data/township/ and prints the figure.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.stats import print_table, row, summary, timings

DAY = dt.date(2026, 11, 23)
TZ = ZoneInfo("Asia/Shanghai")
EXPORTED = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(8, 0), TZ)
COLLECTED = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(10, 0), TZ)


def _station(args: tuple[Path, int, int, str]) -> None:
    """Make station `index`: database, 2,000 registrations on DAY, its key file and its bundle
    (its personal files sealed to the township, whose key it is given as a leader does)."""
    from checkpoint.services import accounts, demo, export, keys, township_import
    from checkpoint.services.setup import init_station
    from checkpoint.store import open_store
    from checkpoint.store import station as station_store

    folder, index, entries, fingerprint = args
    code = f"T{index:03d}"
    db = folder / "stations" / f"{code}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = open_store(db)
    try:
        init_station(store, code, f"第{index}卡点", "青山镇", "王队长", "1234")
        township_import.replace_township_key(store, accounts.authenticate(store, "王队长", "1234"),
                                             folder / "township.key", fingerprint)
        with store.write():
            # marks the file as a demo station, so the demo generator appends registrations to it
            station_store.set_setting(store, demo.SETTING, [], None)
        end = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(0), TZ) - dt.timedelta(seconds=1)
        demo.create_demo(store, entries, days=1, seed=index, now=end.astimezone(dt.timezone.utc))
        keys.export_public_key(store, folder / "keys" / f"{code}.json")
        export.export_day(store, DAY, folder / "usb" / code, now=EXPORTED)
    finally:
        store.close()


def build(folder: Path, stations: int = 100, entries: int = 2000, workers: int = 2) -> float:
    """Make the stations and their bundles, and the township template; seconds taken."""
    from checkpoint.township import office as township_service
    from checkpoint.township.schema import open_township_store

    started = time.perf_counter()
    shutil.rmtree(folder, ignore_errors=True)
    for sub in ("stations", "keys", "usb"):
        (folder / sub).mkdir(parents=True)
    town = open_township_store(folder / "template.db")
    try:
        fingerprint = township_service.init_township(town, "青山镇").fingerprint
        township_service.export_key(town, folder / "township.key")
    finally:
        town.close()
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        list(pool.map(_station, [(folder, i, entries, fingerprint) for i in range(1, stations + 1)]))
    town = open_township_store(folder / "template.db")
    try:
        for key_file in sorted((folder / "keys").iterdir()):
            township_service.add_station(town, key_file)
        town.checkpoint()
    finally:
        town.close()
    return time.perf_counter() - started


def collect_figures(folder: Path, repeat: int = 3) -> list[dict]:
    from checkpoint.township import collect as township_collect
    from checkpoint.township.schema import open_township_store

    bundles = sorted(p for p in (folder / "usb").glob("*/*") if p.is_dir())
    counts = []

    def once(i: int) -> None:
        path = folder / f"township-{i}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copy(folder / "template.db", path)
        store = open_township_store(path, create=False)
        try:
            start = time.perf_counter()
            outcomes = township_collect.collect(store, [folder / "usb"], now=COLLECTED)
            samples.append(time.perf_counter() - start)
        finally:
            store.close()
        rejected = [o for o in outcomes if not o.accepted]
        if rejected:
            raise RuntimeError(f"bundle rejected: {rejected[0].reason}")
        counts.append(len(outcomes))

    samples: list[float] = []
    timings(once, repeat, warmup=0)  # the copy and the open are not part of the figure: time only collect()
    measured = summary(samples)
    for p in folder.glob("township-*"):
        p.unlink()
    return [row(f"township collect {counts[-1]} station bundles ({len(bundles)} folders)", measured, None,
                "<= 10 s", limit=("p99_ms", 10_000))]


def main() -> None:
    stations = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    entries = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    folder = Path(__file__).resolve().parent / "data" / "township"
    seconds = build(folder, stations, entries)
    print(f"{stations} stations x {entries} entries made and exported in {seconds:.1f} s")
    print_table(collect_figures(folder))


if __name__ == "__main__":
    main()
