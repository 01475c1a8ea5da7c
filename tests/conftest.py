"""Shared fixtures: real temporary databases, never the developer's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("CHECKPOINT_LANG", "zh")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    # Never read or write the developer's own database or config.
    monkeypatch.delenv("CHECKPOINT_DB", raising=False)
    monkeypatch.delenv("CHECKPOINT_PIN", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    from checkpoint import i18n
    i18n.set_language("zh")


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "station.db"


@pytest.fixture
def store(db_path):
    from checkpoint.store import open_store
    s = open_store(db_path)
    yield s
    s.close()


@pytest.fixture
def station(store):
    """A set-up station: 青山镇 东口卡点, leader 王队长 (PIN 1234), staff 李四 (PIN 2222)."""
    from checkpoint.services import accounts
    from checkpoint.services.station import init_station
    init_station(store, "K01", "东口卡点", "青山镇", "王队长", "1234")
    leader = accounts.authenticate(store, "王队长", "1234")
    accounts.add_staff(store, "李四", "staff", "2222", leader)
    return store


@pytest.fixture
def leader(station):
    from checkpoint.services import accounts
    return accounts.authenticate(station, "王队长", "1234")


@pytest.fixture
def staff_member(station):
    from checkpoint.services import accounts
    return accounts.authenticate(station, "李四", "2222")
