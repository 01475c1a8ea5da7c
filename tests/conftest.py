"""Shared fixtures: real temporary databases, never the developer's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("CHECKPOINT_LANG", "zh")


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory) -> Path:
    # The parsed message catalogue is kept in the user's cache folder (checkpoint/i18n.py): one for
    # the session, outside every test's own folder (tests check what appears beside a station file).
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path, _cache_home):
    # Never read or write the developer's own database or config.
    monkeypatch.delenv("CHECKPOINT_DB", raising=False)
    monkeypatch.delenv("CHECKPOINT_PIN", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))
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
    from checkpoint.services.setup import init_station
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


class TownshipKeys:
    """One township made once for the whole run, whose key a station can be given, so its daily
    exports seal their personal files to a township the tests can open again (`copy_db`)."""

    def __init__(self, folder: Path) -> None:
        from checkpoint.township import office as township
        from checkpoint.township.schema import open_township_store

        self.db = folder / "template-township.db"
        self.key_file = folder / "township.key"
        store = open_township_store(self.db)
        try:
            town = township.init_township(store, "青山镇")
            township.export_key(store, self.key_file)
            self.fingerprint = town.fingerprint
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            store.close()

    def give(self, store, by=None) -> None:
        """Give the station its township key (signing and encryption), as `keys township-replace` does."""
        from checkpoint.services import accounts, township_import

        by = by or accounts.authenticate(store, "王队长", "1234")
        township_import.replace_township_key(store, by, self.key_file, self.fingerprint)

    def private_keys(self) -> list[bytes]:
        from checkpoint.township import store as store_township
        from checkpoint.township.schema import open_township_store

        store = open_township_store(self.db, create=False)
        try:
            return store_township.encryption_private_keys(store)
        finally:
            store.close()

    def open(self, folder: Path, target: Path) -> Path:
        """The bundle's files as the township reads them: each sealed one opened with the township's
        private key, the others copied. Returns `target`."""
        import shutil

        from checkpoint.exchange import sealed

        target.mkdir(parents=True)
        keys = self.private_keys()
        for path in sorted(folder.iterdir()):
            if path.name.endswith(sealed.SUFFIX):
                name = path.name[:-len(sealed.SUFFIX)]
                sealed.open_file(path, target / name, keys, name, 1 << 30)
            else:
                shutil.copyfile(path, target / path.name)
        return target

    def copy_db(self, target: Path) -> Path:
        """A township database of its own holding this township's keys (no station registered)."""
        import shutil

        shutil.copy(self.db, target)
        return target


@pytest.fixture(scope="session")
def township_keys(tmp_path_factory) -> TownshipKeys:
    return TownshipKeys(tmp_path_factory.mktemp("township-keys"))

