# Long on purpose (#17): one job, a believable world (names, ID numbers, villages, plates, habits) that no other module needs.
"""A demo station with realistic registrations, for trying the program out and for benchmarks.

`create_demo` sets up 青山镇 东口卡点 with a few accounts (their PINs are kept in the settings
table, so the login screen of a demo database can show them), a policy with two key areas, and
then any number of person registrations spread over the last days: Chinese names, resident ID
numbers with valid birth dates and check characters, phones, villages, plates, cars of one to four,
about 2% fevers (re-measured, held or referred), turn-backs, home isolation after key areas,
checkpoints without a thermometer, and people who come back through the barrier again and again.

The records go in through `store.bulk` (a large transaction per batch, every row audited as a
typed-in one is), not one `register()` per person: a million registrations take minutes, not
hours. On a database that already holds the demo station, only registrations are appended; a real
station's database is refused.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from checkpoint.domain import policy as policy_rules
from checkpoint.domain import search
from checkpoint.errors import InputError
from checkpoint.domain import clock
from checkpoint.services import accounts
from checkpoint.services.policy import current_policy, update_policy
from checkpoint.services.setup import init_station
from checkpoint.services.station import get_station
from checkpoint.store import Store
from checkpoint.store import bulk
from checkpoint.store import entries as entries_store
from checkpoint.store import staff as staff_store
from checkpoint.store import station as station_store

SETTING = "demo_accounts"
STATION_CODE = "DEMO01"
STATION_NAME = "东口卡点"
TOWNSHIP = "青山镇"
KEY_AREAS = ("武汉市", "绥芬河市")

# (name, role, PIN): the first is the station's leader.
DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("王建国", "leader", "1234"),
    ("李秀英", "staff", "2222"),
    ("张伟", "staff", "3333"),
    ("刘海燕", "staff", "4444"),
    ("陈志强", "admin", "9999"),
)

BATCH = 25_000          # entries per transaction
MAX_DAYS = 365
ENTRIES_PER_DAY = 3000  # default spread: about this many a day
RETURNING = 0.30        # share of persons who were seen before
POOL_SIZE = 40_000      # persons remembered for coming back, per kind (resident / outsider)
FEVER_RATE = 0.02
NOT_MEASURED = "无测温设备"
# Held, referred and escorted persons are closed out (transported, escort ended) after a while;
# only those of the last hours are still open, as on a real station.
OPEN_FOR_US = 12 * 3600 * 1_000_000
CLOSE_NOTES = {"hold": ("镇卫生院救护车已接走，送县人民医院发热门诊", 30, 180),
               "refer": ("已转送县人民医院发热门诊", 20, 120),
               "escorted": ("专人陪同办完事已离开，销号", 60, 360)}
_DISPOSITION = bulk.ENTRY_COLUMNS.index("disposition")

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoInfo:
    entries: int
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


def is_demo(store: Store) -> bool:
    """Whether this database holds the demo station (made by `checkpoint demo`)."""
    return station_store.get_setting(store, SETTING) is not None


def demo_accounts(store: Store) -> list[tuple[str, str, str]]:
    """(name, role, PIN) of the demo accounts, or [] for a station that is not a demo."""
    value = station_store.get_setting(store, SETTING) or []
    listed: list[tuple[str, str, str]] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, (list, tuple)) and len(item) == 3:
                listed.append((str(item[0]), str(item[1]), str(item[2])))
    return listed


def create_demo(store: Store, entries: int, days: int | None = None, seed: int = 7,
                progress: ProgressFn | None = None, now: dt.datetime | None = None) -> DemoInfo:
    """Set up the demo station (on an empty database) and add `entries` registrations spread over
    the last `days` days up to `now`.
    Raises InputError for a count or a number of days out of range, or a database that
    holds a real station."""
    if entries < 0:
        raise InputError("demo.count_range", field="generate")
    if days is not None and not 1 <= days <= 10 * MAX_DAYS:
        raise InputError("demo_gen.days_range", field="days", limit=10 * MAX_DAYS)
    now = now or clock.utc_now()
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    station = get_station(store)
    if station is None:
        _set_up(store)
        station = get_station(store)
        assert station is not None
        start = 0
    elif not is_demo(store):
        raise InputError("demo_gen.not_demo", name=station.name)
    else:
        start = entries_store.count_all(store)
    listed = demo_accounts(store)
    if days is None:
        days = min(MAX_DAYS, max(1, entries // ENTRIES_PER_DAY))
    if entries:
        rng = random.Random(seed if start == 0 else f"{seed}:{start}")
        gen = _Generator(rng, store, station.tz, station.township, now, days, _duty_staff(store, listed))
        done = 0
        with bulk.bulk_mode(store):
            for batch in gen.batches(entries, BATCH):
                done += bulk.insert_registrations(store, batch, search.entry_terms).entries
                if progress is not None:
                    progress(done, entries)
        store.checkpoint()  # leave a folded file: the next opener should not have to replay the load
    return DemoInfo(entries=entries, accounts=listed)


def _set_up(store: Store) -> None:
    leader_name, _, leader_pin = DEMO_ACCOUNTS[0]
    init_station(store, STATION_CODE, STATION_NAME, TOWNSHIP, leader_name, leader_pin)
    leader = accounts.authenticate(store, leader_name, leader_pin)
    for name, role, pin in DEMO_ACCOUNTS[1:]:
        accounts.add_staff(store, name, role, pin, leader)
    update_policy(store, leader, key_areas=list(KEY_AREAS), note="演示数据：重点地区")
    with store.write():
        station_store.set_setting(store, SETTING, [list(a) for a in DEMO_ACCOUNTS], leader.id)


def _duty_staff(store: Store, listed: list[tuple[str, str, str]]) -> list[int]:
    """Ids of the demo's leader and duty staff (who register at the barrier), in a fixed order."""
    ids: list[int] = []
    for name, role, _ in listed:
        row = staff_store.by_name(store, name)
        if row is not None and row["active"] and role in ("leader", "staff"):
            ids.append(int(row["id"]))
    if not ids:
        ids = [int(r["id"]) for r in staff_store.all_staff(store, active_only=True)]
    return sorted(ids)


# ---- the world the records come from ------------------------------------------------------------

_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
             "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
             "毛郝龚邵万钱覃向汤严武戴莫孔")
SURNAMES = tuple(_SURNAMES) + ("欧阳", "司马", "上官", "诸葛")
_SURNAME_CUM = list(itertools.accumulate(
    [1.0 / (i + 4) for i in range(len(_SURNAMES))] + [0.002] * 4))
GIVEN_MALE = tuple("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国志文海峰东成兵德福贵生荣祥"
                   "金山才春永庆兴宏亮")
GIVEN_FEMALE = tuple("芳娜敏静丽艳娟霞燕玲桂英秀兰萍红梅琳婷雪慧颖倩洁琴云莉蓉玉凤春佳欣怡悦翠花珍")

VILLAGES = ("青山村", "桃园村", "石桥村", "柳树湾村", "白岩村", "龙潭村", "新华村", "红星村", "长岭村",
            "杨家坪村", "马鞍山村", "黄土坡村", "青山社区")
ROADS = ("人民路", "解放路", "建设路", "中山路", "新华街", "幸福路", "和平路", "光明路", "胜利街", "滨江路")
TOWN_PLACES = ("青山镇集镇", "青山镇卫生院", "青山镇人民政府", "青山镇中心小学")

# The township lies in 湖北省恩施州建始县 (area code 422822, plates 鄂Q, landlines 0718).
HOME_CODE = "422822"
HOME_PLATE = "鄂Q"
HOME_LANDLINE = "0718"


@dataclass(frozen=True)
class Place:
    """Where an outsider lives: the text typed as origin, real area codes, a plate prefix."""

    text: str
    codes: tuple[str, ...]
    plate: str
    weight: float
    key_area: str = ""  # the key area (as listed in the policy) this place lies in


PLACES = (
    Place("湖北省恩施市", ("422801",), "鄂Q", 12),
    Place("湖北省巴东县", ("422823",), "鄂Q", 10),
    Place("湖北省咸丰县", ("422826",), "鄂Q", 5),
    Place("湖北省宜昌市", ("420502", "420503"), "鄂E", 8),
    Place("重庆市万州区", ("500101",), "渝F", 6),
    Place("湖南省长沙县", ("430121",), "湘A", 5),
    Place("四川省金堂县", ("510121",), "川A", 3),
    Place("河南省郑州市", ("410102", "410105"), "豫A", 3),
    Place("广东省深圳市", ("440304", "440305"), "粤B", 3),
    Place("浙江省淳安县", ("330127",), "浙A", 2),
    Place("安徽省长丰县", ("340121",), "皖A", 2),
    Place("江西省南昌县", ("360121",), "赣A", 2),
    Place("福建省闽侯县", ("350121",), "闽A", 2),
    Place("陕西省岐山县", ("610323",), "陕C", 2),
    Place("贵州省都匀市", ("522701",), "贵J", 2),
    Place("云南省个旧市", ("532501",), "云G", 1),
    Place("北京市朝阳区", ("110105",), "京N", 1),
    Place("上海市徐汇区", ("310104",), "沪A", 1),
    Place("天津市南开区", ("120104",), "津A", 1),
    Place("山西省清徐县", ("140121",), "晋A", 1),
    Place("湖北省武汉市", ("420102", "420106"), "鄂A", 0.8, key_area="武汉市"),
    Place("黑龙江省绥芬河市", ("231081",), "黑C", 0.2, key_area="绥芬河市"),
)
_PLACE_CUM = list(itertools.accumulate(p.weight for p in PLACES))
WUHAN = PLACES[-2]

# Where residents come back from (direction in) or go to (direction out).
RESIDENT_TRIPS = (("建始县城", 35), ("湖北省恩施市", 20), ("湖北省巴东县", 10), ("湖北省宜昌市", 8),
                  ("广东省深圳市", 4), ("浙江省杭州市", 3), ("重庆市万州区", 3))
_TRIP_TEXT = tuple(t for t, _ in RESIDENT_TRIPS)
_TRIP_CUM = list(itertools.accumulate(w for _, w in RESIDENT_TRIPS))

PURPOSES_RESIDENT = (("return-home", 40), ("work", 25), ("supplies", 18), ("medical", 8),
                     ("visit", 5), ("other", 4))
PURPOSES_OUTSIDER = (("work", 30), ("supplies", 30), ("transit", 15), ("visit", 10), ("official", 8),
                     ("medical", 4), ("other", 3))

VEHICLES_RESIDENT = (("car", 55), ("motorcycle", 15), ("tricycle", 12), ("van", 8), ("truck", 5),
                     ("tractor", 5))
VEHICLES_OUTSIDER = (("car", 55), ("truck", 20), ("van", 15), ("bus", 3), ("motorcycle", 7))
SEATS = {"motorcycle": 2, "tractor": 2, "tricycle": 3}

MOBILE_PREFIXES = ("130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
                   "152", "153", "155", "156", "157", "158", "159", "166", "173", "176", "177", "180",
                   "181", "182", "183", "186", "187", "188", "189", "191", "193", "198", "199")
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PLATE_DIGITS = "0123456789"

# Persons per hour of the local day (more by day than at night).
HOUR_WEIGHTS = (1.0, 0.6, 0.4, 0.4, 0.5, 1.0, 3.0, 6.0, 9.0, 10.0, 10.0, 9.0,
                7.0, 8.0, 9.0, 10.0, 10.0, 9.0, 7.0, 5.0, 4.0, 3.0, 2.0, 1.5)
# Ages (years) and their weights: adults mostly; children ride along.
AGE_BANDS = ((18, 25, 12), (26, 45, 38), (46, 60, 32), (61, 85, 18))
CHILD_AGES = (2, 15)


def _cum(pairs: tuple[tuple[str, float], ...]) -> tuple[tuple[str, ...], list[float]]:
    return tuple(k for k, _ in pairs), list(itertools.accumulate(w for _, w in pairs))


def _code_years(code: str, lowest: int, highest: int) -> tuple[int, int]:
    """The birth years for which this area code is known (no warning at the desk)."""
    ok = []
    for year in range(lowest, highest + 1):
        try:
            ric.get_birth_place(f"{code}{year}0101000")
            ok.append(year)
        except (ValidationError, KeyError, ValueError):
            pass
    return (min(ok), max(ok)) if ok else (lowest, highest)


class _Person:
    __slots__ = ("name", "doc_type", "doc_no", "phone", "address", "resident", "place", "village",
                 "child", "plate", "vehicle_type", "last_direction")

    def __init__(self, name: str, doc_type: str, doc_no: str, phone: str, address: str, resident: bool,
                 place: Place | None, village: str, child: bool) -> None:
        self.name = name
        self.doc_type = doc_type
        self.doc_no = doc_no
        self.phone = phone
        self.address = address
        self.resident = resident
        self.place = place
        self.village = village
        self.child = child
        self.plate: str | None = None
        self.vehicle_type: str | None = None
        self.last_direction: str | None = None


class _Generator:
    def __init__(self, rng: random.Random, store: Store, tz: str, township: str, now: dt.datetime,
                 days: int, staff_ids: list[int]) -> None:
        self.rng = rng
        self.zone = clock.zone(tz)
        self.township = township or TOWNSHIP
        self.now = now.astimezone(dt.timezone.utc)
        self.days = days
        self.staff_ids = staff_ids or [1]
        self.policy = current_policy(store)
        # ages count from the first day generated, so nobody is born after their own crossing
        self.this_year = (self.now - dt.timedelta(days=days)).astimezone(self.zone).year
        self.years = {code: _code_years(code, self.this_year - 90, self.this_year - CHILD_AGES[0])
                      for code in {HOME_CODE, *(c for p in PLACES for c in p.codes)}}
        self.issued: set[int] = set()
        self.pools: dict[bool, list[_Person]] = {True: [], False: []}
        self.suggestions: dict[tuple, tuple[str, str]] = {}
        self.purposes = {True: _cum(PURPOSES_RESIDENT), False: _cum(PURPOSES_OUTSIDER)}
        self.vehicle_types = {True: _cum(VEHICLES_RESIDENT), False: _cum(VEHICLES_OUTSIDER)}
        self.day_factor: list[float] = [0.6 + 0.8 * rng.random() for _ in range(days + 1)]

    # -- when --------------------------------------------------------------------------------------
    def _offsets(self, n: int) -> list[int]:
        """n moments (microseconds before now) within the last `days` days, more by day, oldest first."""
        rng = self.rng
        span = self.days * 86_400
        local_now = self.now.astimezone(self.zone)
        seconds_now = local_now.hour * 3600 + local_now.minute * 60 + local_now.second
        top = max(HOUR_WEIGHTS) * max(self.day_factor)
        weights = HOUR_WEIGHTS
        factor = self.day_factor
        random_ = rng.random
        out: list[int] = []
        while len(out) < n:
            offset = random_() * span
            hour = int((seconds_now - offset) % 86_400) // 3600
            if random_() * top <= weights[hour] * factor[int(offset // 86_400)]:
                out.append(int(offset * 1_000_000))
        out.sort(reverse=True)
        return out

    # -- who ---------------------------------------------------------------------------------------
    def _name(self, male: bool) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
        given = GIVEN_MALE if male else GIVEN_FEMALE
        if rng.random() < 0.7:
            return surname + rng.choice(given) + rng.choice(given)
        return surname + rng.choice(given)

    def _birth(self, code: str, child: bool) -> dt.date:
        rng = self.rng
        low, high = self.years[code]
        year = 0
        for _ in range(8):
            if child:
                age = rng.randint(*CHILD_AGES)
            else:
                band = rng.choices(AGE_BANDS, weights=[b[2] for b in AGE_BANDS])[0]
                age = rng.randint(band[0], band[1])
            year = self.this_year - age
            if low <= year <= high:
                break
        else:  # an area code created late: its holders are young (but adults stay adults)
            top = high if child else min(high, self.this_year - AGE_BANDS[0][0])
            year = rng.randint(low, max(low, top))
        month = rng.randint(1, 12)
        day = rng.randint(1, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)

    def _resident_id(self, code: str, child: bool) -> tuple[str, bool]:
        """A valid, not yet issued resident ID number, and whether its holder is male."""
        rng = self.rng
        while True:
            born = self._birth(code, child)
            seq = rng.randint(1, 999)
            body = f"{code}{born:%Y%m%d}{seq:03d}"
            key = int(body)
            if key not in self.issued:
                self.issued.add(key)
                return body + ric.calc_check_digit(body + "0"), seq % 2 == 1

    def _mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    def _new_person(self, resident: bool, child: bool = False, family: _Person | None = None,
                    place: Place | None = None) -> _Person:
        rng = self.rng
        if resident:
            place = None
            village = family.village if family else rng.choice(VILLAGES)
            code = HOME_CODE
        else:
            place = place or (family.place if family and family.place else
                              PLACES[bisect.bisect_left(_PLACE_CUM, rng.random() * _PLACE_CUM[-1])])
            village = ""
            code = rng.choice(place.codes)
        r = rng.random()
        if child and r < 0.5:
            doc_type, doc_no, male = "none", "", rng.random() < 0.5
        elif not child and r < 0.006:
            doc_type, male = "passport", rng.random() < 0.5
            doc_no = f"E{rng.randrange(100_000_000):08d}"
        elif not child and r < 0.012:
            doc_type, male = "permit", rng.random() < 0.5
            doc_no = f"H{rng.randrange(10_000_000_000):010d}"
        else:
            doc_type = "resident-id"
            doc_no, male = self._resident_id(code, child)
        name = self._name(male)
        if family is not None and rng.random() < 0.6:
            name = _same_family(name, family.name)
        if child:
            phone = "" if doc_type == "none" else (family.phone if family else self._mobile())
        elif resident and rng.random() < 0.06:
            phone = HOME_LANDLINE + f"{rng.randrange(2_000_000, 9_000_000)}"
        else:
            phone = self._mobile()
        if resident:
            address = family.address if family else f"{self.township}{village}{rng.randint(1, 12)}组"
        else:
            address = (family.address if family and family.place is place else
                       f"{place.text}{rng.choice(ROADS)}{rng.randint(1, 300)}号")
        return _Person(name, doc_type, doc_no, phone, address, resident, place, village, child)

    def _someone(self, resident: bool, adult: bool = True) -> _Person:
        """A returning person (30%) or a new one, remembered for coming back."""
        rng = self.rng
        pool = self.pools[resident]
        if pool and rng.random() < RETURNING:
            return pool[rng.randrange(len(pool))]
        person = self._new_person(resident, child=not adult and rng.random() < 0.15)
        self._remember(person)
        return person

    def _remember(self, person: _Person) -> None:
        # children come back with their parents (as new passengers), never alone or at the wheel
        if person.child or person.doc_type == "none":
            return
        pool = self.pools[person.resident]
        if len(pool) < POOL_SIZE:
            pool.append(person)
        else:
            pool[self.rng.randrange(POOL_SIZE)] = person

    # -- vehicles ----------------------------------------------------------------------------------
    def _plate(self, prefix: str, vehicle_type: str) -> str:
        rng = self.rng
        if vehicle_type in ("car", "van") and rng.random() < 0.12:
            return prefix + rng.choice("DF") + rng.choice(PLATE_LETTERS + PLATE_DIGITS) + \
                f"{rng.randrange(10_000):04d}"
        if vehicle_type in ("truck", "bus") and rng.random() < 0.05:
            return prefix + f"{rng.randrange(100_000):05d}" + rng.choice("DF")
        chars = [rng.choice(PLATE_DIGITS) for _ in range(5)]
        letters = 0 if rng.random() < 0.55 else (1 if rng.random() < 0.75 else 2)
        for i in rng.sample(range(4), letters):
            chars[i] = rng.choice(PLATE_LETTERS)
        if vehicle_type == "truck" and rng.random() < 0.05:
            chars[4] = "挂"
        return prefix + "".join(chars)

    def _vehicle_type(self, resident: bool, persons: int) -> str:
        kinds, cum = self.vehicle_types[resident]
        for _ in range(10):
            kind = kinds[bisect.bisect_left(cum, self.rng.random() * cum[-1])]
            if persons <= SEATS.get(kind, 99):
                return kind
        return "car"

    # -- what happened -----------------------------------------------------------------------------
    def _suggest(self, resident: bool, origin: str, travel_where: str, key_area_travel: bool,
                 symptoms: tuple[str, ...], fever: bool) -> tuple[str, str]:
        key = (resident, origin, travel_where, key_area_travel, symptoms, fever)
        found = self.suggestions.get(key)
        if found is None:
            s = policy_rules.suggest(self.policy, policy_rules.Facts(
                resident=resident, origin=origin, travel_where=travel_where, key_area_travel=key_area_travel,
                symptoms=symptoms, fever_confirmed=fever))
            found = self.suggestions[key] = (s.disposition, s.reason)
        return found

    def _temperature(self) -> tuple[float | None, str, str, float | None, bool, tuple[str, ...]]:
        """(temp, method, not-measured reason, re-measure, confirmed fever, symptoms)."""
        rng = self.rng
        r = rng.random()
        if r < 0.005:
            return None, "none", NOT_MEASURED, None, False, ()
        method = "forehead" if r < 0.72 else ("wrist" if r < 0.93 else ("axillary" if r < 0.97 else "ear"))
        r = rng.random()
        if r < FEVER_RATE:
            temp = round(rng.uniform(37.3, 39.3), 1)
            recheck = round(min(42.0, max(37.3, temp + rng.uniform(-0.4, 0.3))), 1)
            s = rng.random()
            symptoms = ("fever",) if s < 0.7 else (("fever", "cough") if s < 0.9 else ())
            return max(temp, 37.3), method, "", recheck, True, symptoms
        if r < FEVER_RATE + 0.006:  # a high first reading that the re-measure clears
            return round(rng.uniform(37.3, 37.8), 1), method, "", round(rng.uniform(36.3, 37.1), 1), False, ()
        temp = round(min(37.2, max(35.8, rng.gauss(36.5, 0.22))), 1)
        symptoms = ("cough",) if rng.random() < 0.003 else ()
        return temp, method, "", None, False, symptoms

    def _trip(self, p: _Person, direction: str) -> tuple[str, bool, str, str]:
        """(origin, key-area travel, where, destination) of one person crossing."""
        rng = self.rng
        key_area_travel = False
        travel_where = ""
        if p.resident:
            if direction == "in":
                r = rng.random()
                if r < 0.012:
                    origin = WUHAN.text
                    key_area_travel, travel_where = True, WUHAN.key_area
                elif r < 0.15:
                    origin = f"{self.township}{rng.choice(VILLAGES)}"
                else:
                    origin = _TRIP_TEXT[bisect.bisect_left(_TRIP_CUM, rng.random() * _TRIP_CUM[-1])]
                destination = f"{self.township}{p.village}"
            else:
                origin = f"{self.township}{p.village}"
                destination = _TRIP_TEXT[bisect.bisect_left(_TRIP_CUM, rng.random() * _TRIP_CUM[-1])]
        else:
            assert p.place is not None
            origin = p.place.text
            if p.place.key_area:
                key_area_travel, travel_where = True, p.place.key_area
            if direction == "in":
                destination = (f"{self.township}{rng.choice(VILLAGES)}" if rng.random() < 0.6
                               else rng.choice(TOWN_PLACES))
            else:
                destination = p.place.text
        return origin, key_area_travel, travel_where, destination

    def _along(self, p: _Person, direction: str, driver_trip: tuple[str, bool, str, str]) -> tuple[str, bool, str, str]:
        """A passenger's trip: the driver's, seen from the passenger's own home."""
        origin, key_area_travel, travel_where, destination = driver_trip
        if p.resident:
            if direction == "in":
                return origin, key_area_travel, travel_where, f"{self.township}{p.village}"
            return f"{self.township}{p.village}", False, "", destination
        assert p.place is not None
        own = self._trip(p, direction)
        return own[0], own[1], own[2], destination if direction == "in" else own[3]

    def _entry(self, p: _Person, direction: str, recorded_at: str, day: str, staff_id: int,
               turn_back: bool, trip: tuple[str, bool, str, str], purpose: str | None = None) -> tuple:
        rng = self.rng
        origin, key_area_travel, travel_where, destination = trip
        if purpose is None:
            purpose = self._purpose(p.resident, direction)
        temp, method, reason, recheck, fever, symptoms = self._temperature()
        suggested, suggestion_reason = self._suggest(p.resident, origin, travel_where, key_area_travel,
                                                     symptoms, fever)
        disposition = suggested
        if fever:
            disposition = "hold" if rng.random() < 0.6 else "refer"
        elif direction == "out":
            disposition = "release"
        elif turn_back:
            disposition = "turn-back"
        elif not p.resident and disposition == "release":
            r = rng.random()
            if purpose == "visit" and r < 0.8:
                disposition = "turn-back"      # 走亲访友一律劝返
            elif purpose == "transit" and r < 0.3:
                disposition = "turn-back"
            elif r < 0.0005:
                disposition = "refused"
            elif purpose == "medical" and r < 0.05:
                disposition = "escorted"
        elif disposition == "home-isolation" and rng.random() < 0.05:
            disposition = "central-isolation"
        source = "confirmed" if disposition == suggested else "chosen"
        p.last_direction = direction
        return (recorded_at, day, staff_id, None, p.name, p.doc_type, p.doc_no, p.phone, p.address,
                int(p.resident), origin, int(key_area_travel), travel_where, purpose, destination,
                ",".join(symptoms), "", temp, method, reason, recheck, int(fever), direction, disposition,
                suggested, suggestion_reason, source, self.policy.version)

    def _purpose(self, resident: bool, direction: str) -> str:
        kinds, cum = self.purposes[resident]
        purpose = kinds[bisect.bisect_left(cum, self.rng.random() * cum[-1])]
        if resident and direction == "out" and purpose == "return-home":
            purpose = "work"
        return purpose

    def _direction(self, p: _Person) -> str:
        if p.last_direction is not None and self.rng.random() < 0.8:
            return "out" if p.last_direction == "in" else "in"
        return "in" if self.rng.random() < 0.55 else "out"

    def _staff(self, local: dt.datetime) -> int:
        ids = self.staff_ids
        ordinal = local.toordinal()
        if local.hour < 8 or local.hour >= 20:
            return ids[(ordinal + 2) % len(ids)]
        return ids[(ordinal + self.rng.randrange(2)) % len(ids)]

    def _registration(self, size: int, offset_us: int) -> bulk.Registration:
        """One walker (size 0) or one vehicle with `size` persons."""
        rng = self.rng
        ts = self.now - dt.timedelta(microseconds=offset_us)
        local = ts.astimezone(self.zone)
        recorded_at = ts.isoformat(timespec="microseconds")
        day = local.date().isoformat()
        staff_id = self._staff(local)
        if size == 0:
            person = self._someone(rng.random() < 0.75)
            direction = self._direction(person)
            entries = [self._entry(person, direction, recorded_at, day, staff_id, False,
                                   self._trip(person, direction))]
            return None, entries, self._closures(entries, ts, offset_us, staff_id)
        resident = rng.random() < 0.55
        driver = self._someone(resident)
        direction = self._direction(driver)
        if driver.plate is None:
            driver.vehicle_type = self._vehicle_type(resident, size)
            prefix = HOME_PLATE if resident else (driver.place.plate if driver.place else HOME_PLATE)
            driver.plate = self._plate(prefix, driver.vehicle_type)
        vehicle_type = driver.vehicle_type or "car"
        size = min(size, SEATS.get(vehicle_type, 99))
        persons = [driver]
        for _ in range(size - 1):
            if rng.random() < 0.55:
                child = rng.random() < 0.2
                member = self._new_person(driver.resident, child=child, family=driver)
                self._remember(member)
            else:
                member = self._someone(driver.resident, adult=False)
            if member not in persons:
                persons.append(member)
        poultry = direction == "in" and rng.random() < 0.003
        vehicle = (recorded_at, day, staff_id, None, driver.plate, vehicle_type, len(persons),
                   int(rng.random() < 0.85), int(poultry), int(rng.random() < 0.002), direction)
        trip = self._trip(driver, direction)
        purpose = self._purpose(driver.resident, direction)
        entries = [self._entry(driver, direction, recorded_at, day, staff_id, poultry, trip, purpose)]
        for p in persons[1:]:
            entries.append(self._entry(p, direction, recorded_at, day, staff_id, poultry,
                                       self._along(p, direction, trip),
                                       purpose if rng.random() < 0.7 else None))
        return vehicle, entries, self._closures(entries, ts, offset_us, staff_id)

    def _closures(self, entries: list[tuple], ts: dt.datetime, offset_us: int, staff_id: int) -> list[tuple]:
        """Closing-out of this registration's held, referred and escorted persons, unless recent."""
        closures = []
        if offset_us > OPEN_FOR_US:
            for index, entry in enumerate(entries):
                found = CLOSE_NOTES.get(entry[_DISPOSITION])
                if found is not None:
                    note, low, high = found
                    closed = ts + dt.timedelta(minutes=self.rng.randint(low, high), seconds=self.rng.random() * 60)
                    closures.append((index, closed.isoformat(timespec="microseconds"), staff_id, note))
        return closures

    def batches(self, entries: int, batch: int):
        """Lists of registrations, about `batch` persons each, `entries` persons in all, oldest first."""
        rng = self.rng
        sizes: list[int] = []
        total = 0
        while total < entries:
            size = 0
            if rng.random() < 0.32:
                size = rng.choices((1, 2, 3, 4), weights=(35, 30, 20, 15))[0]
            size = min(size, entries - total) if size else 0
            sizes.append(size)
            total += max(size, 1)
        offsets = self._offsets(len(sizes))
        current: list[bulk.Registration] = []
        count = 0
        for size, offset in zip(sizes, offsets):
            reg = self._registration(size, offset)
            current.append(reg)
            count += len(reg[1])
            # seat limits or a repeated passenger may shrink a vehicle: walkers make up the count
            for _ in range(max(size, 1) - len(reg[1])):
                current.append(self._registration(0, offset))
                count += 1
            if count >= batch:
                yield current
                current, count = [], 0
        if current:
            yield current


def _same_family(name: str, family_name: str) -> str:
    """`name`'s given name under the family's surname."""
    for surname in SURNAMES:
        if len(surname) == 2 and name.startswith(surname):
            name = name[2:]
            break
    else:
        name = name[1:]
    family_surname = next((s for s in SURNAMES if len(s) == 2 and family_name.startswith(s)), family_name[:1])
    return family_surname + name
