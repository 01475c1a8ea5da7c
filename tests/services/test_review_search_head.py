"""#18's search keystroke: the list's first page is read without counting (review.head, the index's
matches taken newest first a batch at a time), and the count may come later. Whatever the path,
the lines and the count are the ones the review's plain statement selects: checked here against
that statement, written out as it was before the change, on a generated log of ten days with
corrected names and a corrected plate."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from checkpoint.domain.registration import VehicleForm
from checkpoint.services import accounts, demo, registration, review, vehicle_amend
from checkpoint.services.review import Filters, Scope
from checkpoint.store import open_store
from checkpoint.store import review as review_store
from checkpoint.store import review_search
from checkpoint.store.vehicles import VEHICLE_TERMS
from tests.services.test_review import form

NOW = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.timezone.utc)
PAGE = 100

# The meaning of a search, as the review's one statement said it before #18 (an OR of the three
# ways an entry is found): the newest `cap` index matches in the scope's id range, an amendment's
# words, a corrected plate.
PLAIN = ("SELECT e.id FROM entries_now e WHERE {scope} AND (e.id IN (SELECT rowid FROM entry_search WHERE "
         "entry_search MATCH :m AND rowid BETWEEN :lo AND :hi ORDER BY rowid DESC LIMIT :cap) OR e.id IN "
         "(SELECT a.entry_id FROM amendments a WHERE -a.id IN (SELECT rowid FROM entry_search WHERE entry_search "
         "MATCH :m AND rowid < 0)) OR e.vehicle_id IN (SELECT va.vehicle_id FROM vehicle_amendments va WHERE "
         "-(va.id + :vt) IN (SELECT rowid FROM entry_search WHERE entry_search MATCH :m AND rowid < -:vt))) "
         "{filters} ORDER BY e.id DESC")


def expected(store, q, cap: int = review_search.SEARCH_CAP) -> list[int]:
    if q.shift_id is not None:
        scope = "e.shift_id = :shift"
        lo, hi = store.read_one("SELECT min(id) AS lo, max(id) AS hi FROM entries WHERE shift_id = ?",
                                (q.shift_id,)).values()
    else:
        scope = "e.local_day BETWEEN :f AND :t"
        lo, hi = store.read_one("SELECT min(id) AS lo, max(id) AS hi FROM entries WHERE local_day BETWEEN ? AND ?",
                                (q.day_from, q.day_to)).values()
    filters = "".join([" AND e.fever = 1" if q.fever else "", " AND e.direction = :d" if q.direction else "",
                       " AND e.amended" if q.amended else ""])
    sql = PLAIN.format(scope=scope, filters=filters)
    values = dict(m=q.match, lo=lo or 0, hi=hi if hi is not None else -1, cap=cap, vt=VEHICLE_TERMS,
                  f=q.day_from, t=q.day_to, shift=q.shift_id, d=q.direction)
    return [r["id"] for r in store.read(sql, values)]


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    """3,000 generated entries over ten days; eight older ones renamed 周星星 (found by the new
    name, far down the list), one vehicle's plate corrected to 粤Z·99999."""
    path = tmp_path_factory.mktemp("search-head") / "log.db"
    store = open_store(path)
    demo.create_demo(store, 3000, days=10, seed=11, now=NOW)
    manager = accounts.authenticate(store, "王建国", "1234")
    renamed = [r["id"] for r in store.read("SELECT id FROM entries WHERE vehicle_id IS NULL ORDER BY id LIMIT 8 "
                                            "OFFSET 40")] + [2500]
    for entry_id in renamed:
        new = dataclasses.replace(review.amendment_form(store, entry_id), name="周星星")
        review.amend(store, manager, entry_id, new, "名字写错")
    vehicle = store.read_one("SELECT id FROM vehicles ORDER BY id LIMIT 1 OFFSET 30")["id"]
    plate = vehicle_amend.vehicle_form(store, vehicle)
    plate.plate = "粤Z·99999"
    vehicle_amend.amend_vehicle(store, manager, vehicle, plate, "车牌抄错")
    yield store, renamed, vehicle
    store.close()


SCOPES = {"all": Scope(review.ALL_FROM, review.ALL_TO), "days": Scope("2026-11-17", "2026-11-21"),
          "day": Scope("2026-11-20", "2026-11-20")}
CASES = [("all", "z", Filters()), ("all", "zh", Filters(fever=True)), ("all", "1", Filters(direction="out")),
         ("all", "zxx", Filters()), ("all", "周", Filters()), ("all", "99999", Filters()), ("all", "zxx", Filters(amended=True)),
         ("days", "w", Filters()), ("days", "13", Filters(direction="in")), ("day", "l", Filters()),
         ("day", "3", Filters(fever=True)), ("all", "zzzzzz", Filters())]


@pytest.mark.parametrize("scope,text,filters", CASES)
def test_head_count_and_every_page_are_the_plain_statements(log, scope, text, filters):
    store, _, _ = log
    q = review.query(SCOPES[scope], filters, text)
    truth = expected(store, q)
    head = review.head(store, q, PAGE, text)
    assert [line.id for line in head.lines] == truth[:PAGE]            # the newest, newest first
    assert head.complete == (len(truth) <= PAGE)
    assert head.total == (len(truth) if len(truth) <= PAGE else None)
    total = review.count(store, q, text)
    assert total == len(truth) == review.count_aside(store, q, text)   # the count the top line shows
    figures = review.stats(store, q, SCOPES[scope], text)              # a day's count comes from here
    rows = store.read(f"SELECT direction, fever, disposition, amended FROM entries_now WHERE id IN "
                      f"({','.join('?' * len(truth))})", truth) if truth else []
    assert figures.counts["persons"] == len(truth) == sum(n for _, n, _, _ in figures.buckets)
    assert figures.counts["persons_in"] == sum(r["direction"] == "in" for r in rows)
    assert figures.counts["fevers"] == sum(bool(r["fever"]) for r in rows) == sum(f for _, _, f, _ in figures.buckets)
    assert figures.counts["turned_back"] == sum(r["disposition"] == "turn-back" for r in rows)
    assert figures.counts["amended"] == sum(bool(r["amended"]) for r in rows)
    for offset in sorted({0, 7, 99, 100, total // 2 - 3, total // 2 + 1, max(0, total - 5)}):
        if 0 <= offset < total:
            assert [line.id for line in review.page(store, q, offset, 30, total)] == truth[offset:offset + 30]


def test_a_corrected_name_and_plate_are_found_in_their_place(log):
    store, renamed, vehicle = log
    q = review.query(SCOPES["all"], Filters(), "周星星")
    head = review.head(store, q, PAGE, "周星星")
    assert head.complete and [line.id for line in head.lines] == sorted(renamed, reverse=True)
    assert {line.name for line in head.lines} == {"周星星"}
    in_it = [r["id"] for r in store.read("SELECT id FROM entries WHERE vehicle_id = ? ORDER BY id DESC", (vehicle,))]
    q = review.query(SCOPES["all"], Filters(), "粤Z99999")
    assert [line.id for line in review.head(store, q, PAGE, "粤Z99999").lines] == in_it


def test_the_cap_holds_on_every_path(log, monkeypatch):
    # a cap of 150 and batches of 7: the index's share stops at the newest 150 matches, the
    # amended ones come on top, and the batches meet where they should
    store, renamed, _ = log
    monkeypatch.setattr(review_search, "SEARCH_CAP", 150)
    monkeypatch.setattr(review_store, "SEARCH_CAP", 150)
    monkeypatch.setattr(review_search, "_BATCH", 7)
    for text, filters in (("z", Filters()), ("z", Filters(fever=True)), ("zx", Filters())):
        q = review.query(SCOPES["all"], filters, text)
        truth = expected(store, q, cap=150)
        total = review.count(store, q, text)
        assert total == len(truth)
        assert [line.id for line in review.head(store, q, 40, text).lines] == truth[:40]
        for offset in range(0, total, 23):
            assert [line.id for line in review.page(store, q, offset, 23, total)] == truth[offset:offset + 23]
    q = review.query(SCOPES["all"], Filters(), "zx")
    found = [line.id for line in review.page(store, q, 0, 500, review.count(store, q))]
    assert set(renamed) <= set(found)              # 周星星, old entries, beyond the index's newest 150


def test_nothing_searchable_is_an_empty_head_and_a_zero_count(log):
    store, _, _ = log
    q = review.query(SCOPES["all"], Filters(), "😀")
    head = review.head(store, q, PAGE, "😀")
    assert head.lines == [] and head.complete and head.total == 0
    assert review.count(store, q, "😀") == 0
    for scope in (SCOPES["all"], SCOPES["day"]):   # the figures beside 共0条 are nought too, not the scope's
        figures = review.stats(store, review.query(scope, Filters(), "😀"), scope, "😀")
        assert set(figures.counts.values()) == {0} and all(n == 0 for _, n, _, _ in figures.buckets)


def test_a_small_list_needs_no_count(station, leader, staff_member):
    for i in range(3):
        registration.register(station, staff_member, [form(f"张{'一二三'[i]}", "", "13800001111", doc_type="none")],
                              VehicleForm(plate=f"鄂Q·7300{i}") if i == 1 else None, now=NOW + dt.timedelta(days=i))
    q = review.query(SCOPES["all"], Filters(), "zy")
    head = review.head(station, q, PAGE, "zy")
    assert head.complete and head.total == 1 and [line.name for line in head.lines] == ["张一"]
    q = review.query(SCOPES["all"], Filters(), "z")
    head = review.head(station, q, 2, "z")
    assert not head.complete and head.total is None and [line.name for line in head.lines] == ["张三", "张二"]
