"""A second connection for a thread: `reader()` only reads, `aside()` may write."""

from __future__ import annotations

import pytest

from checkpoint.errors import DatabaseError


def test_a_reader_never_writes(station):
    with station.reader() as reader:
        assert reader.read_one("SELECT code FROM station")["code"] == "K01"
        with pytest.raises(DatabaseError):
            with reader.write():
                reader.execute("UPDATE station SET name = 'x'")
        with pytest.raises(DatabaseError):   # even by hand, SQLite refuses it
            reader.execute("UPDATE station SET name = 'x'")
    assert station.read_one("SELECT name FROM station")["name"] == "东口卡点"


def test_a_connection_aside_writes_beside_the_first(station):
    with station.aside() as aside:
        with aside.write():
            aside.execute("UPDATE station SET name = '西口卡点'")
    assert station.read_one("SELECT name FROM station")["name"] == "西口卡点"
