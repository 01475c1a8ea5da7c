"""The audit check streams (#18): memory does not grow with the chain, the texts it digests without
a dict are the canonical texts, each audited table is merged in id order with its latest digests,
and the progress it reports rises to the end."""

from __future__ import annotations

import json
import sqlite3
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint.database.audit_chain import canonical, canonical_list, canonical_parted
from checkpoint.domain.registration import PersonForm, VehicleForm
from checkpoint.services import registration
from checkpoint.services.demo import create_demo
from checkpoint.store import audit, open_store
from checkpoint.store.audit_tables import row_texts, table_mismatch

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**63, max_value=2**63 - 1),
                    st.floats(), st.text(), st.binary(max_size=8))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner,
                                                                                           max_size=4), max_leaves=12)
COLUMN = st.one_of(st.none(), st.integers(min_value=-2**63, max_value=2**63 - 1), st.floats(), st.text(),
                   st.binary(max_size=8))   # what SQLite gives back


@settings(max_examples=300)
@given(VALUES)
def test_the_fast_list_text_is_the_canonical_text(value):
    expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    assert canonical_list(value) == expected == canonical(value)


@settings(max_examples=300)
@given(st.lists(COLUMN, min_size=1, max_size=8))
def test_the_parted_text_splits_into_each_columns_canonical_text(values):
    assert canonical_parted(values)[1:-1].split("\0") == [canonical(v) for v in values]


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["id", "name", "age", "recheck_method", "temp", "备注", "z%s", 'a"b']),
                       COLUMN, min_size=1),
       st.sets(st.sampled_from(["age", "recheck_method", "z%s", "name"]), max_size=2))
def test_a_row_set_into_its_shapes_text_is_its_canonical_text(row, later_added):
    kept = sorted(row)
    later = [n for n in kept if n in later_added]
    shape = sum(1 << bit for bit, n in enumerate(later) if row[n] is None)
    values = (shape, *(row[n] for n in kept))
    text = row_texts(kept, later)[shape] % tuple(canonical_parted(values)[1:-1].split("\0"))
    assert text == canonical({k: v for k, v in row.items() if not (k in later_added and v is None)})


def _peak_of_verify(path) -> tuple[int, audit.ChainReport]:
    store = open_store(path)
    try:
        tracemalloc.start()
        report = audit.verify(store, progress=lambda done, total: None)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        store.close()
    return peak, report


def test_memory_does_not_grow_with_the_chain(tmp_path):
    peaks = {}
    for n in (300, 1200):
        store = open_store(tmp_path / f"{n}.db")
        try:
            create_demo(store, n, days=3)
            rows = store.read_one("SELECT count(*) AS n FROM audit")["n"]
        finally:
            store.close()
        peaks[n], report = _peak_of_verify(tmp_path / f"{n}.db")
        assert report.whole and report.rows == rows
    # holding anything per row (a digest, an id) would add well over 100 bytes for each of the
    # 900+ entries and their audit rows the larger chain has
    assert peaks[1200] - peaks[300] < 900 * 40, peaks


def _car(station, staff_member) -> None:
    registration.register(station, staff_member, [
        PersonForm(name="张伟", doc_no="110108198506123015", phone="13800001111", origin="湖北省宜昌市", temp="36.5",
                   direction="in", disposition="release"),
        PersonForm(name="李芳", doc_no="11010519491231002X", phone="13900002222", origin="湖北省宜昌市", temp="36.6",
                   direction="in", disposition="release")], VehicleForm(plate="粤B12345"))


def _tamper(station, sql: str, params=()) -> None:
    conn = sqlite3.connect(str(station.path))
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def _latest_audit(station, table: str, target_id: int) -> int:
    return station.read_one("SELECT max(id) AS id FROM audit WHERE target_table = ? AND target_id = ?",
                            (table, target_id))["id"]


def test_progress_runs_from_the_audit_rows_through_every_table_to_the_end(station, staff_member):
    for _ in range(3):
        _car(station, staff_member)
    seen: list[tuple[int, int]] = []
    report = audit.verify(station, batch=2, progress=lambda done, total: seen.append((done, total)))
    assert report.whole
    audit_rows = station.read_one("SELECT count(*) AS n FROM audit")["n"]
    rows = sum(station.read_one(f"SELECT count(*) AS n FROM {t}")["n"] for t in audit.AUDITED_TABLES)
    assert {total for _, total in seen} == {audit_rows + rows}
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(set(done)) == len(done) and len(done) > 5
    assert done[-1] == audit_rows + rows


def test_an_edited_row_in_a_later_batch_is_named_with_its_latest_audit_row(station, staff_member):
    for _ in range(3):
        _car(station, staff_member)
    target = station.read_one("SELECT max(id) AS id FROM entries")["id"] - 2
    _tamper(station, "UPDATE entries SET name = '王五' WHERE id = ?", (target,))
    report = audit.verify(station, batch=2)
    assert (report.why, dict(report.why_params), report.broken_at) == (
        "audit.why_record", {"table": "entries", "id": target}, _latest_audit(station, "entries", target))


def test_a_row_deleted_between_others_is_named_with_its_latest_audit_row(station, staff_member):
    for _ in range(3):
        _car(station, staff_member)
    target = station.read_one("SELECT min(id) AS id FROM entries")["id"] + 2
    _tamper(station, "DELETE FROM entries WHERE id = ?", (target,))
    report = audit.verify(station, batch=2)
    assert (report.why, dict(report.why_params), report.broken_at) == (
        "audit.why_missing", {"table": "entries", "id": target}, _latest_audit(station, "entries", target))


def test_a_row_changed_and_another_deleted_names_the_changed_one(station, staff_member):
    """As before the streaming: a row that differs is named before an audited row that is gone."""
    for _ in range(3):
        _car(station, staff_member)
    first = station.read_one("SELECT min(id) AS id FROM entries")["id"]
    _tamper(station, "DELETE FROM entries WHERE id = ?", (first,))
    _tamper(station, "UPDATE entries SET phone = '13000000000' WHERE id = ?", (first + 4,))
    report = audit.verify(station, batch=2)
    assert (report.why, dict(report.why_params)) == ("audit.why_record", {"table": "entries", "id": first + 4})


def test_verify_leaves_no_transaction_open_and_joins_one_already_open(station, staff_member):
    _car(station, staff_member)
    assert audit.verify(station).whole
    assert not station.conn.in_transaction
    with station.write():
        assert audit.verify(station).whole
        assert station.conn.in_transaction   # the caller's transaction is the caller's to end


@pytest.fixture
def small():
    """A table of three rows and audit rows naming them, as the merge reads them."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)")
    conn.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, target_table TEXT, target_id INTEGER, digest TEXT)")
    conn.execute("CREATE INDEX audit_target ON audit (target_table, target_id)")
    for row_id in (1, 2, 3):
        conn.execute("INSERT INTO t VALUES (?, ?)", (row_id, f"行{row_id}"))
        conn.execute("INSERT INTO audit (target_table, target_id, digest) VALUES ('t', ?, ?)",
                     (row_id, audit.row_digest("t", {"id": row_id, "a": f"行{row_id}"})))
    yield conn
    conn.close()


def _check(conn):
    found = table_mismatch(conn, "t", set(), set(), 2, None, 0, 0)
    return found if isinstance(found, int) else (found.audit_id, found.why, dict(found.why_params))


def test_the_merge_counts_every_row_when_all_agree(small):
    assert _check(small) == 3


def test_an_audit_row_naming_an_id_no_table_row_can_have_is_a_row_gone(small):
    small.execute("INSERT INTO audit (target_table, target_id, digest) VALUES ('t', 'x', 'd')")
    assert _check(small) == (4, "audit.why_missing", {"table": "t", "id": "x"})
    small.execute("INSERT INTO audit (target_table, target_id, digest) VALUES ('t', 2.5, 'd')")
    assert _check(small) == (5, "audit.why_missing", {"table": "t", "id": 2.5})   # numbers first, as SQLite sorts


def test_a_row_with_no_audit_row_is_unaudited(small):
    small.execute("INSERT INTO t VALUES (7, '后加')")
    assert _check(small) == (0, "audit.why_unaudited", {"table": "t", "id": 7})
    small.execute("INSERT INTO audit (target_table, target_id, digest) VALUES ('t', 'x', 'd')")
    assert _check(small) == (0, "audit.why_unaudited", {"table": "t", "id": 7})   # before the row gone


def test_the_latest_digest_is_the_one_compared(small):
    small.execute("UPDATE t SET a = '改' WHERE id = 2")
    assert _check(small) == (2, "audit.why_record", {"table": "t", "id": 2})
    small.execute("INSERT INTO audit (target_table, target_id, digest) VALUES ('t', 2, ?)",
                  (audit.row_digest("t", {"id": 2, "a": "改"}),))
    assert _check(small) == 3
