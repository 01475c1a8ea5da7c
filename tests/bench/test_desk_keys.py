"""bench/desk_keys.py: the key counts come from the real desk driven by Pilot, and only from runs that
saved what was typed — also a second time on the same database (the persons are new each time)."""

from __future__ import annotations

from bench import desk_keys
from bench.stats import met
from checkpoint.services.setup import init_station
from checkpoint.store import open_store


def test_counted_keys_saved_as_typed_twice_on_one_station(tmp_path):
    path = tmp_path / "station.db"
    store = open_store(path)
    init_station(store, "K01", "东口卡点", "青山镇", *desk_keys.LOGIN)
    store.close()
    for _ in range(2):
        car, walker = desk_keys.key_figures(path)
        assert "WRONG" not in car["target"] and "WRONG" not in walker["target"]
        assert car["unit"] == walker["unit"] == "keys"
        assert met(car) is True and met(walker) is True
    store = open_store(path)
    try:
        # two cars of three and two walkers, every one saved
        assert store.read_one("SELECT count(*) AS n FROM entries")["n"] == 2 * 3 + 2 * 2
    finally:
        store.close()
