"""What the review's one search box finds, as words for SQLite's full-text index (FTS5).

An entry is indexed under its name (and each tail of it, so 三 finds 张三), the name's pinyin and
pinyin initials (zhangsan, zs, and each syllable), its document number, phone and plate, and those
three reversed behind an "r" so "the last digits" is a prefix search too. A query is turned into
prefix terms that are all required; anything that is not a letter or a digit is dropped, so no text
typed into the box can be FTS syntax.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

MAX_TERMS = 6
MAX_TERM_LENGTH = 32
MAX_VARIANTS = 4          # a name with several readable characters (曾 ceng/zeng) gets a few spellings
REVERSED = "r"
_SEPARATORS = re.compile(r"[\s·•.\-_/,，、]+")
_DIGITS_TAIL = re.compile(r"^[0-9]+x?$|^[0-9]*x$")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _word(text: str) -> str:
    """Letters, digits and Chinese characters only: what the index tokenizer keeps together."""
    return _NOT_WORD.sub("", _plain(text))


# ASCII letters and digits (what `isalnum() and isascii()` keeps) and the Han ranges of `_is_han`:
# one regex pass instead of a Python test per character (entry_terms runs on every save)
_NOT_WORD = re.compile("[^0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]+")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@functools.lru_cache(maxsize=65536)
def name_spellings(name: str) -> tuple[tuple[str, ...], ...]:
    """The pinyin syllables of a name, a few readings when characters have several."""
    han = "".join(ch for ch in _plain(name) if _is_han(ch))
    if not han:
        return ()
    # pypinyin's dictionaries take a third of a second to load: not at start-up, only when needed
    # (the app loads them in the background after login).
    from pypinyin import Style, pinyin

    # Surnames are where the uncommon reading is the right one (曾 zeng, 单 shan, 解 xie): the first
    # character keeps up to three readings; given names take the common one, so "zs" does not find 张俊.
    readings = [r[:3] if i == 0 else r[:1]
                for i, r in enumerate(pinyin(han, style=Style.NORMAL, heteronym=True, errors="ignore"))]
    readings = [[_word(s) for s in r if _word(s)] for r in readings]
    readings = [r for r in readings if r]
    return tuple(itertools.islice(itertools.product(*readings), MAX_VARIANTS))


def entry_terms(name: str, doc_no: str = "", phone: str = "", plate: str = "") -> str:
    """The words an entry is found by, space-separated, for the FTS index."""
    words: list[str] = []
    n = _word(name)
    if n:
        words += [n[i:] for i in range(len(n))]
    for syllables in name_spellings(name):
        words.append("".join(syllables))
        words.append("".join(s[0] for s in syllables))
        words += syllables
    for value in (doc_no, phone):
        v = _word(value)
        if v:
            words += [v, REVERSED + v[::-1]]
    p = _word(plate)
    if p:
        words += [p, REVERSED + p[::-1]]
        if _is_han(p[0]) and len(p) > 1:
            words.append(p[1:])   # the plate without its province character: A12345
    return " ".join(dict.fromkeys(words))


def match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression for what was typed, or None when nothing searchable is left.

    Every term is a quoted prefix; a run of digits (an ID's or a phone's last digits) also matches
    the reversed words, so "1234" finds …1234 at the end as well as 1234… at the start.
    """
    parts = []
    for raw in _SEPARATORS.split(_plain(text)[: MAX_TERMS * (MAX_TERM_LENGTH + 1)]):
        term = _word(raw)[:MAX_TERM_LENGTH]
        if not term:
            continue
        if _DIGITS_TAIL.match(term):
            parts.append(f'("{term}"* OR "{REVERSED}{term[::-1]}"*)')
        else:
            parts.append(f'"{term}"*')
        if len(parts) == MAX_TERMS:
            break
    return " AND ".join(parts) if parts else None
