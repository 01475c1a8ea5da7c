"""Export one 10,000-entry day with all its files (ledger CSV and XLSX, report, follow-up list,
revocations, station key, summary, signed manifest, zip), inside the year's database.

The year's demo database has about 2,700 persons a day; `add_busy_day` tops one day (yesterday,
local) up to 10,000 with the demo generator, so the export reads its day out of a million rows.
Baseline in the same run: the `sqlite3 -csv` command line printing the same person rows (the
ledger's query) to a file; when the sqlite3 program is absent, Python's sqlite3 + csv writing the
same rows, and the row says which.

`python -m bench.export [PATH]` on a year's demo database (bench/data/year.db by default).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.stats import print_table, row, summary, timings

BUSY_DAY = 10_000


def busy_day(path: Path) -> str:
    """Yesterday (local) of the database's station: the day `add_busy_day` fills."""
    from checkpoint.services.station import require_station
    from checkpoint.store import open_store

    store = open_store(path, create=False)
    try:
        tz = require_station(store).tz
    finally:
        store.close()
    return (dt.datetime.now(ZoneInfo(tz)).date() - dt.timedelta(days=1)).isoformat()


def add_busy_day(path: Path, day: str, persons: int = BUSY_DAY) -> float:
    """Top `day` up to `persons` entries (demo registrations spread over that local day)."""
    from checkpoint.services import demo
    from checkpoint.services.station import require_station
    from checkpoint.store import open_store

    started = time.perf_counter()
    store = open_store(path, create=False)
    try:
        tz = require_station(store).tz
        have = store.read("SELECT count(*) AS n FROM entries WHERE local_day = ?", (day,))[0]["n"]
        if have < persons:
            # `days=1` spreads the entries over the 24 hours before `now`: local midnight ending the day
            end = dt.datetime.combine(dt.date.fromisoformat(day) + dt.timedelta(days=1), dt.time(0), ZoneInfo(tz))
            demo.create_demo(store, persons - have, days=1, now=end.astimezone(dt.timezone.utc) - dt.timedelta(seconds=1))
    finally:
        store.close()
    return time.perf_counter() - started


def _give_township_key(store, town_db: Path) -> None:
    """The export seals its personal files to a township: give the bench station one (made once)."""
    import base64

    from checkpoint.township import office as township_service
    from checkpoint.services import township_import
    from checkpoint.store import station as station_store

    if township_import.encryption_key(store) is not None:
        return
    town = township_service.open_township(town_db, create=True)
    try:
        if township_service.get_township(town) is None:
            township_service.init_township(town, "青山镇")
        key = township_service.ensure_encryption_key(town).encryption_key
    finally:
        town.close()
    with store.write():  # what `keys township-replace` keeps, written directly: the bench has no leader's PIN
        station_store.set_setting(store, township_import.ENCRYPTION_SETTING, base64.b64encode(key).decode(), None)


def _ledger_sql(day: str) -> str:
    # the same rows the export's ledger reads (store/reports.persons)
    return ("SELECT e.*, v.plate AS plate, v.vehicle_type AS vehicle_type, s.name AS staff_name "
            "FROM entries_now e LEFT JOIN vehicles v ON v.id = e.vehicle_id "
            f"LEFT JOIN staff s ON s.id = e.staff_id WHERE e.local_day = '{day}' ORDER BY e.id")


def export_figures(path: Path, day: str, repeat: int = 5) -> list[dict]:
    from checkpoint.services import export
    from checkpoint.store import open_store

    out = path.with_name("exports")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    store = open_store(path, create=False)
    try:
        _give_township_key(store, path.with_name("bench-township.db"))
        persons = store.read("SELECT count(*) AS n FROM entries_now WHERE local_day = ?", (day,))[0]["n"]
        made = []
        measured = summary(timings(lambda i: made.append(export.export_day(store, day, out)), repeat, warmup=1))
    finally:
        store.close()
    files = len(made[-1].files) + 1  # + the zip

    target = out / "bare.csv"
    cli = shutil.which("sqlite3")
    if cli:
        how = "the sqlite3 program's -csv"

        def bare(i: int) -> None:
            with open(target, "wb") as f:
                subprocess.run([cli, "-csv", "-header", "-readonly", str(path), _ledger_sql(day)], stdout=f,
                               check=True)
    else:
        how = "Python's sqlite3 + csv module (no sqlite3 program here)"

        def bare(i: int) -> None:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                cursor = conn.execute(_ledger_sql(day))
                with open(target, "w", encoding="utf-8", newline="") as f:
                    writer = csv.writer(f)
                    writer.writerow([d[0] for d in cursor.description])
                    writer.writerows(cursor)
            finally:
                conn.close()

    baseline = summary(timings(bare, repeat, warmup=1))
    shutil.rmtree(out, ignore_errors=True)
    return [row(f"export a {persons:,}-entry day, {files} files", measured, baseline, "p99 <= 3 s",
                f"{how} of the same person rows (the ledger's query) into one CSV file", limit=("p99_ms", 3000))]


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/data/year.db")
    day = busy_day(path)
    seconds = add_busy_day(path, day)
    print(f"busy day {day} made in {seconds:.1f} s")
    print_table(export_figures(path, day))


if __name__ == "__main__":
    main()
