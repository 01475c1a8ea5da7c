"""Places typed without Chinese: 从哪来 from the national list of administrative divisions, 住址/村
from the station's own villages, both found by pinyin, initials or the Chinese itself.

The division list is GB/T 2260 as python-stdnum ships it (`stdnum/cn/loc.dat`, taken from
Wikipedia's tables of the codes; the same file its resident-ID check reads). Only current names are
offered (the file keeps abolished ones with their years). An officer types "whs" or "wuhan" and
gets 湖北省武汉市 first: prefecture cities rank before counties, provincial capitals before other
cities, and a place this station has registered often before one it never saw.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

LIMIT = 6
_YEARS = re.compile(r"^\[(\d{4})?-(\d{4})?\]")
# The level suffixes a person leaves out when they say a place ("武汉" for 武汉市).
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "省", "市",
             "县", "区", "盟", "旗")
# Provincial capitals (and the municipalities themselves): the city people mean by two letters.
_CAPITALS = {"110000", "120000", "310000", "500000", "130100", "140100", "150100", "210100", "220100",
             "230100", "320100", "330100", "340100", "350100", "360100", "370100", "410100", "420100",
             "430100", "440100", "450100", "460100", "510100", "520100", "530100", "540100", "610100",
             "620100", "630100", "640100", "650100"}
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政单位", "省直辖县级行政区划", "自治区直辖县级行政区划",
                 "市区", "郊区", "矿区", "林区"}


# rank → group: cities (capitals and the others) first, then provinces, then counties
_GROUP = {0: 0, 1: 0, 2: 1, 3: 2}


@dataclass(frozen=True)
class Place:
    """One name that can be offered, with what it is found by."""

    name: str                 # as stored in the field: 湖北省武汉市
    own: tuple[str, ...]      # pinyin and initials of its own name, with and without the suffix
    joined: tuple[str, ...]   # the same, joined with its parents' (hbwh, hubeiwuhan, wuhanjiangan)
    rank: int                 # lower first


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@functools.lru_cache(maxsize=None)
def _spell(name: str) -> tuple[str, str]:
    """(pinyin, initials) of a Chinese name, lower case, no separators."""
    from pypinyin import Style, lazy_pinyin  # loaded on first use (a third of a second)

    syllables = [s for s in lazy_pinyin(name, style=Style.NORMAL, errors="ignore") if s.isalpha()]
    return "".join(syllables).lower(), "".join(s[0] for s in syllables).lower()


def _join(names: list[str]) -> tuple[str, str]:
    spelled = [_spell(n) for n in names]
    return "".join(s[0] for s in spelled), "".join(s[1] for s in spelled)


def _unique(keys) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for k in keys if k))


def _place(levels: list[str], rank: int) -> Place:
    own = levels[-1]
    own_keys = [k for text in (own, _short(own)) for k in _spell(text)]
    joined: list[str] = []
    shorts = [_short(x) for x in levels]
    for parts in (shorts, levels, shorts[-2:]):
        if len(parts) > 1:
            joined += _join(parts)
    return Place("".join(levels), _unique(own_keys), _unique(joined), rank)


def _current(raw: str) -> str | None:
    """The name in use now, or None for an abolished code ("[1983-]江岸区" → 江岸区)."""
    name = raw.split(",")[-1]
    match = _YEARS.match(name)
    if match:
        if match.group(2):
            return None
        name = name[match.end():]
    return name or None


@functools.lru_cache(maxsize=1)
def divisions() -> "Places":
    """Every current province, prefecture and county, as the completion offers them."""
    from stdnum import numdb

    places: list[Place] = []
    for _, province_code, _, props, children in numdb.get("cn/loc").prefixes:
        province = props.get("province", "")
        if not province:
            continue
        places.append(_place([province], 0 if province_code + "0000" in _CAPITALS else 2))
        prefecture, prefecture_code = "", ""
        for _, code, _, cprops, _ in children:
            name = _current(cprops.get("county", ""))
            if name is None or code == "0000":
                continue
            if code.endswith("00"):
                prefecture = "" if name in _PLACEHOLDERS else name
                prefecture_code = code[:2]
                if prefecture:
                    places.append(_place([province, prefecture],
                                         0 if province_code + code in _CAPITALS else 1))
                continue
            if name in _PLACEHOLDERS:
                continue
            parent = [province, prefecture] if prefecture and code[:2] == prefecture_code else [province]
            places.append(_place(parent + [name], 3))
    best: dict[str, Place] = {}
    for place in places:  # a few names stand under two codes (随州市 moved up a level)
        if place.name not in best or place.rank < best[place.name].rank:
            best[place.name] = place
    return Places(list(best.values()))


class Places:
    """Names with a sorted index of their keys, so a prefix is found by bisection, not a scan."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        index = [(k, i, 0) for i, p in enumerate(places) for k in p.own]
        index += [(k, i, 1) for i, p in enumerate(places) for k in p.joined]
        index.sort()
        self._keys = [k for k, _, _ in index]
        self._index = index

    def __len__(self) -> int:
        return len(self.places)

    def by_prefix(self, prefix: str) -> dict[int, int]:
        """Place number → how it matched (0: by its own name, 1: only with its parents')."""
        found: dict[int, int] = {}
        start = bisect.bisect_left(self._keys, prefix)
        for key, i, quality in itertools.islice(self._index, start, None):
            if not key.startswith(prefix):
                break
            found[i] = min(quality, found.get(i, quality))
        return found


def _han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def query_key(text: str) -> str:
    """What a typed query is compared by: Chinese as typed, Latin lower case without spaces."""
    text = (text or "").strip()
    return text if _han(text) else re.sub(r"[^a-z]", "", text.lower())


def complete(text: str, places: Places, seen: dict[str, int] | None = None,
             limit: int = LIMIT) -> list[str]:
    """The names that `text` may mean, best first; [] when nothing matches.

    A place found by its own name ranks before one found only through its parents' (so "sh" is
    上海 before 山东's cities); then cities, provinces, counties; within each, the places this
    station registered most (`seen`: the desk learns the roads it stands on), then capitals."""
    key = query_key(text)
    if not key:
        return []
    seen = seen or {}
    if _han(key):
        found = {i: 0 if p.name.endswith(key) or key in p.name[-len(key) - 1:] else 1
                 for i, p in enumerate(places.places) if key in p.name}
    else:
        found = places.by_prefix(key)
    def order(i: int) -> tuple:
        place = places.places[i]
        return (found[i], _GROUP[place.rank], -seen.get(place.name, 0), place.rank, len(place.name), place.name)

    ordered = sorted(found, key=order)
    return [places.places[i].name for i in ordered[:limit]]


@functools.lru_cache(maxsize=8)
def villages(names: tuple[str, ...]) -> Places:
    """The station's villages as completion places (each found by its pinyin and initials)."""
    return Places([_place([n], 0) for n in names])


_VILLAGE = re.compile(r"^(.{1,20}?(?:村|社区|居委会|街道))")


def village_of(address: str) -> str:
    """The village an address names (红旗村 of 红旗村3组12号), or '' when it names none."""
    match = _VILLAGE.match((address or "").strip())
    return match.group(1) if match else ""
