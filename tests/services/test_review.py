"""The leader's review: search by every kind of key, paging both ways, amendments with their
history, flags, unmasking with its audit row, the day's sign-off, and who may do what."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from checkpoint.domain.registration import PersonForm, VehicleForm
from checkpoint.errors import CheckpointError, InputError, RefusedError
from checkpoint.services import registration, review, settings, shifts
from checkpoint.services.registration import PersonProblems, RuleRefusal
from checkpoint.services.review import Filters, Scope
from checkpoint.store import audit

DAY = "2026-11-24"
NOW = dt.datetime(2026, 11, 24, 2, 30, tzinfo=dt.timezone.utc)   # 10:30 in 青山镇

PEOPLE = [  # name, ID, phone, plate
    ("张三", "110108198506123015", "13800001111", "京A·12345"),
    ("张三丰", "11010519491231002X", "13900002222", ""),
    ("李四", "110101200001010037", "13712345678", "粤B 88888"),
    ("曾小明", "440106199003071231", "13600009999", ""),
]


def form(name, doc_no, phone, **changes) -> PersonForm:
    values = dict(name=name, doc_no=doc_no, phone=phone, address="青山镇红旗村", origin="湖北省宜昌市",
                  temp="36.5", direction="in", disposition="release")
    values.update(changes)
    return PersonForm(**values)


@pytest.fixture
def logged(station, staff_member):
    ids = []
    for i, (name, doc, phone, plate) in enumerate(PEOPLE):
        vehicle = VehicleForm(plate=plate) if plate else None
        saved = registration.register(station, staff_member, [form(name, doc, phone)], vehicle,
                                      now=NOW + dt.timedelta(minutes=i))
        ids += saved.entry_ids
    return ids


def found(store, leader, text, day_from=DAY, day_to=DAY):
    lines, total = review.search_lines(store, leader, text, day_from, day_to)
    assert total == len(lines)
    return [line.name for line in lines]


@pytest.mark.parametrize("text,names", [
    ("张", ["张三丰", "张三"]), ("zs", ["张三丰", "张三"]), ("zhangsan", ["张三丰", "张三"]),
    ("zhang san", ["张三丰", "张三"]), ("zsf", ["张三丰"]), ("三丰", ["张三丰"]), ("ls", ["李四"]),
    ("zxm", ["曾小明"]), ("cxm", ["曾小明"]),                     # 曾 is read ceng and zeng
    ("3015", ["张三"]), ("002x", ["张三丰"]), ("002X", ["张三丰"]), ("110108", ["张三"]),
    ("１１０１０８", ["张三"]),                                      # full-width digits from an IME
    ("5678", ["李四"]), ("1390000", ["张三丰"]),
    ("京A12345", ["张三"]), ("京A·12345", ["张三"]), ("a12345", ["张三"]), ("粤B88888", ["李四"]),
    ("88888", ["李四"]), ("王五", []), ("zz", []),
])
def test_search_finds_by_each_kind_of_key(station, leader, logged, text, names):
    assert found(station, leader, text) == names


@pytest.mark.parametrize("text", ['"', "'; DROP TABLE entries; --", "NEAR(a b)", "a OR b AND", "*", "😀🙂",
                                  "x" * 10_000, "^张", "zs\x00", "col:zs", "(((", "\\"])
def test_any_search_text_gives_results_or_none_never_an_error(station, leader, logged, text):
    lines, total = review.search_lines(station, leader, text, DAY, DAY)
    assert total == len(lines)
    assert station.read_one("SELECT count(*) AS n FROM entries")["n"] == 4


def test_search_keeps_to_the_dates(station, leader, logged):
    assert found(station, leader, "zs", "2026-11-25", "2026-11-30") == []
    assert found(station, leader, "zs", "2026-11-01", "2026-11-30") == ["张三丰", "张三"]


def test_a_search_over_days_saved_out_of_order_finds_every_one(station, leader, staff_member):
    # A laptop whose clock ran a day ahead, put right: the later saves (higher ids) are of earlier
    # days. A search over the days must still find all of them, not only those whose ids happen to
    # lie between the first day's and the last day's.
    for when, name, doc in ((NOW + dt.timedelta(days=2), "张一", "110108198506123015"),   # 11-26, saved first
                            (NOW, "张二", "11010519491231002X"),                          # 11-24, saved after
                            (NOW + dt.timedelta(days=1), "张三", "110101200001010037")):  # 11-25, saved last
        registration.register(station, staff_member, [form(name, doc, "13800001111")], None, now=when)
    assert sorted(found(station, leader, "zhang", "2026-11-24", "2026-11-26")) == ["张一", "张三", "张二"]
    assert sorted(found(station, leader, "zhang", "2026-11-24", "2026-11-25")) == ["张三", "张二"]
    assert found(station, leader, "zhang", "2026-11-26", "2026-11-26") == ["张一"]


def test_pages_read_from_either_end_agree(station, leader, staff_member):
    for i in range(30):
        registration.register(station, staff_member, [form(f"王{chr(0x4e00 + i)}", "", "13800001111",
                                                          doc_type="none")], now=NOW + dt.timedelta(minutes=i))
    q = review.query(Scope(DAY, DAY))
    total = review.count(station, q)
    assert total == 30
    everything = review.page(station, q, 0, 30, total)
    assert [line.id for line in everything] == sorted((line.id for line in everything), reverse=True)
    for offset in (0, 7, 14, 15, 16, 25, 29):
        assert [line.id for line in review.page(station, q, offset, 4, total)] == \
               [line.id for line in everything[offset:offset + 4]]
    fever_q = review.query(Scope(DAY, DAY), Filters(fever=True))
    assert review.count(station, fever_q) == 0


def test_lines_are_masked(station, leader, logged):
    q = review.query(Scope(DAY, DAY))
    lines = review.page(station, q, 0, 10, review.count(station, q))
    zhang = next(line for line in lines if line.name == "张三")
    assert zhang.doc == "110108********3015" and zhang.phone == "138****1111"
    assert zhang.plate == "京A12345"


def test_amending_a_temperature_keeps_the_original_and_shows_the_new(station, leader, logged):
    entry = logged[0]
    before = station.read_one("SELECT * FROM entries WHERE id = ?", (entry,))
    new = dataclasses.replace(review.amendment_form(station, entry), temp="36.8")
    done = review.amend(station, leader, entry, new, "体温枪读数抄错")
    assert done.fields == ("temp",) and not done.after_signoff
    assert station.read_one("SELECT * FROM entries WHERE id = ?", (entry,)) == before   # never overwritten
    q = review.query(Scope(DAY, DAY), Filters(amended=True))
    lines = review.page(station, q, 0, 10, review.count(station, q))
    assert [(line.id, line.temp, line.amended) for line in lines] == [(entry, "36.8", True)]
    detail = review.detail(station, leader, entry)
    [history] = detail.amendments
    assert history.reason == "体温枪读数抄错" and history.staff == "王队长"
    assert [(c.before, c.after) for c in history.changes] == [("36.5", "36.8")]
    assert any(action == "更正登记" for _, _, action in detail.audit)   # in words, not entry.amend
    assert audit.verify(station).whole
    station.execute("UPDATE entry_current SET temp = 36.6")          # behind the program's back
    report = audit.verify(station)
    assert not report.whole and report.why == "audit.why_current" and dict(report.why_params)["id"] == entry


def test_an_amendment_that_fails_the_desks_checks_saves_nothing(station, leader, logged):
    entry = logged[0]
    rows = station.read_one("SELECT count(*) AS n FROM amendments")["n"]
    with pytest.raises(PersonProblems):
        review.amend(station, leader, entry, dataclasses.replace(review.amendment_form(station, entry),
                                                                 doc_no="110108198506123016"), "号码")
    with pytest.raises(RuleRefusal):   # a fever released is refused at the desk and here alike
        review.amend(station, leader, entry, dataclasses.replace(review.amendment_form(station, entry),
                                                                 temp="38.0", recheck_temp="38.1"), "复测")
    with pytest.raises(InputError):
        review.amend(station, leader, entry, review.amendment_form(station, entry), "没改")
    with pytest.raises(InputError):
        review.amend(station, leader, entry, dataclasses.replace(review.amendment_form(station, entry),
                                                                 temp="36.9"), "   ")
    assert station.read_one("SELECT count(*) AS n FROM amendments")["n"] == rows


def test_an_amended_name_is_found_by_its_new_and_old_name(station, leader, logged):
    entry = logged[2]
    review.amend(station, leader, entry, dataclasses.replace(review.amendment_form(station, entry), name="李思"),
                 "名字写错")
    assert found(station, leader, "李思") == ["李思"]
    assert found(station, leader, "李四") == ["李思"]


def test_flag_and_clear_with_notes(station, leader, logged):
    entry = logged[1]
    assert review.flag(station, leader, entry, "明天电话回访") is True
    with pytest.raises(InputError):
        review.flag(station, leader, entry, "again")
    q = review.query(Scope(DAY, DAY), Filters(flagged=True))
    assert [line.id for line in review.page(station, q, 0, 10, review.count(station, q))] == [entry]
    with pytest.raises(InputError):
        review.flag(station, leader, entry, "", clear=True)
    assert review.flag(station, leader, entry, "已回访，无异常", clear=True) is False
    assert review.count(station, q) == 0
    assert [f[2] for f in review.detail(station, leader, entry).flags] == ["raise", "clear"]


def test_unmasking_shows_the_full_number_and_leaves_an_audit_row(station, leader, logged):
    entry = logged[0]
    masked = dict(review.detail(station, leader, entry).fields)
    assert masked["证件号码"] == "110108********3015"
    unmasked = review.detail(station, leader, entry, unmask=True)
    assert dict(unmasked.fields)["证件号码"] == "110108198506123015"
    row = station.read_one("SELECT * FROM audit WHERE action = 'entry.unmask' ORDER BY id DESC LIMIT 1")
    assert row["staff_id"] == leader.id and row["target_id"] == entry and "doc_no" in row["detail"]


@pytest.mark.parametrize("action", ["amend", "flag", "unmask", "signoff"])
def test_staff_never_amend_flag_unmask_or_sign(station, staff_member, logged, action):
    entry = logged[0]
    before = station.read_one("SELECT count(*) AS n FROM audit")["n"]
    with pytest.raises(CheckpointError):
        if action == "amend":
            review.amend(station, staff_member, entry, dataclasses.replace(
                review.amendment_form(station, entry), temp="36.8"), "x")
        elif action == "flag":
            review.flag(station, staff_member, entry, "x")
        elif action == "unmask":
            review.detail(station, staff_member, entry, unmask=True)
        else:
            review.sign_off(station, staff_member, DAY, "2222", now=NOW)
    assert station.read_one("SELECT count(*) AS n FROM audit")["n"] == before


def test_staff_review_is_read_only_or_off(station, leader, staff_member, logged):
    assert review.detail(station, staff_member, logged[0]).id == logged[0]
    settings.change_setting(station, leader, "review-staff", "off")
    with pytest.raises(RefusedError):
        review.detail(station, staff_member, logged[0])
    with pytest.raises(RefusedError):
        review.search_lines(station, staff_member, "zs", DAY, DAY)


def test_sign_off_needs_closed_shifts_and_the_pin_and_marks_later_amendments(station, leader, staff_member):
    from checkpoint.services import accounts
    accounts.add_staff(station, "赵六", "leader", "3333", leader)
    shifts.start_shift(station, leader, "day", [], now=NOW)
    saved = registration.register(station, staff_member, [form(*PEOPLE[0][:3])], now=NOW)
    night = shifts.hand_over(station, leader, "赵六", "3333", now=NOW + dt.timedelta(hours=8))
    assert night
    with pytest.raises(RefusedError):
        review.sign_off(station, leader, DAY, "1234", now=NOW + dt.timedelta(hours=9))   # the night is still open
    tomorrow = NOW + dt.timedelta(hours=22)
    shifts.hand_over(station, accounts.authenticate(station, "赵六", "3333"), "王队长", "1234", now=tomorrow)
    with pytest.raises(RefusedError):
        review.sign_off(station, leader, DAY, "9999", now=tomorrow)        # wrong PIN
    with pytest.raises(InputError):
        review.sign_off(station, leader, "2026-11-26", "1234", now=tomorrow)
    done = review.sign_off(station, leader, DAY, "1234", now=tomorrow)
    assert done.by == "王队长" and review.signed(station, DAY) is not None
    with pytest.raises(RefusedError):
        review.sign_off(station, leader, DAY, "1234", now=tomorrow)
    entry = saved.entry_ids[0]
    later = review.amend(station, leader, entry, dataclasses.replace(review.amendment_form(station, entry),
                                                                     temp="36.7"), "签核后发现抄错")
    assert later.after_signoff
    q = review.query(Scope(DAY, DAY))
    [line] = review.page(station, q, 0, 5, review.count(station, q))
    assert line.amended_after_signoff
    assert review.detail(station, leader, entry).amendments[0].after_signoff


def test_the_desk_banner_asks_for_yesterday_until_signed(station, leader, staff_member):
    registration.register(station, staff_member, [form(*PEOPLE[0][:3])], now=NOW)
    tomorrow = NOW + dt.timedelta(days=1)
    assert review.unsigned_yesterday(station, tomorrow) == DAY
    review.sign_off(station, leader, DAY, "1234", now=tomorrow)
    assert review.unsigned_yesterday(station, tomorrow) is None
    assert review.unsigned_yesterday(station, tomorrow + dt.timedelta(days=1)) is None   # nothing that day


def test_entries_saved_before_the_index_are_indexed_later(station, leader, logged):
    # As a database from before the review: entries without search words, the pending mark set.
    station.execute("INSERT INTO entry_search(entry_search) VALUES ('delete-all')")
    station.execute("UPDATE search_pending SET below = ?", (max(logged) + 1,))
    assert review.unindexed(station) == max(logged)
    while review.index_some(station, batch=2):
        pass
    assert review.unindexed(station) == 0
    assert found(station, leader, "zs") == ["张三丰", "张三"]


def test_search_finds_people_of_a_generated_log(station, leader):
    """On demo data: any person found again by initials, the last digits of ID and phone, and plate."""
    import random

    from checkpoint.domain.search import name_spellings
    from checkpoint.services import demo
    from checkpoint.store import open_store

    path = station.path.parent / "demo.db"
    with open_store(path) as store:
        demo.create_demo(store, 3000, days=10, seed=3, now=NOW)
        manager = __import__("checkpoint.services.accounts", fromlist=["x"]).authenticate(store, "王建国", "1234")
        rows = store.read("SELECT e.id, e.name, e.doc_no, e.phone, v.plate FROM entries e "
                          "LEFT JOIN vehicles v ON v.id = e.vehicle_id")
        for row in random.Random(1).sample(rows, 25):
            initials = "".join(s[0] for s in name_spellings(row["name"])[0])
            keys = [initials, row["doc_no"][-4:], row["phone"][-4:]] + ([row["plate"]] if row["plate"] else [])
            for key in keys:
                if not key:
                    continue
                lines, total = review.search_lines(store, manager, key, review.ALL_FROM, review.ALL_TO, limit=5000)
                assert row["id"] in {line.id for line in lines}, (key, row)
