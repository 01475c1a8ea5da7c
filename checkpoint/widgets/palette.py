"""The command palette (Ctrl+P): every action of the screen in front of the person, and the app's
own (help, lock, theme, quit), found by its Chinese or English name, its key, or pinyin: "dj"
finds 登记, "hjb" 交接班, "fz" 发证.

What is listed is read from the screens themselves, so a new key is in the palette the day it is
bound: each class's BINDINGS, its PALETTE_ACTIONS (actions without a key), and its ACTION_NEEDS
(action -> permission; an action the person's role may not do is not offered). Names come from
locale/ui_extra.toml, `palette.<Class>.<action>`, in both languages at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from checkpoint.i18n import catalogue, language, t

SKIPPED = {"command_palette"}  # the palette does not list itself


@dataclass(frozen=True)
class PaletteAction:
    """One thing a person can do from here."""

    action: str           # as Textual runs it: "open_review", "cycle('direction')", "app.pop_screen"
    zh: str
    en: str
    key: str              # the key shown, "" when the action has none
    node: object          # the screen or the app that runs it

    @property
    def name(self) -> str:
        return self.en if language() == "en" else self.zh

    @property
    def other(self) -> str:
        return self.zh if language() == "en" else self.en


def action_key(action: str) -> str:
    """The catalogue key of an action: "app.pop_screen" -> "pop_screen", "day(-1)" -> "day_m1",
    "cycle('direction')" -> "cycle_direction", "answer(True)" -> "answer_True"."""
    name, _, args = action.partition("(")
    name = name.rpartition(".")[2]
    args = args.rstrip(")").replace("-", "m")
    parts = [name] + [re.sub(r"\W", "", a) for a in args.split(",") if a.strip()]
    return "_".join(parts)


def names_of(classes: list[type], action: str, fallback: str = "") -> tuple[str, str] | None:
    """(zh, en) of `action` from the first class in `classes` (an MRO) that names it."""
    key = action_key(action)
    entries = catalogue()
    for cls in classes:
        entry = entries.get(f"palette.{cls.__name__}.{key}")
        if entry:
            return entry.get("zh", fallback), entry.get("en", entry.get("zh", fallback))
    return (fallback, fallback) if fallback else None


@lru_cache(maxsize=512)
def pinyin_forms(text: str) -> tuple[str, str]:
    """(initials, full pinyin) of a Chinese name: 保存登记 -> ("bcdj", "baocundengji").
    pypinyin's dictionaries take a third of a second to load, so it is imported here, when the
    palette is first searched with letters, never at start-up."""
    from pypinyin import Style, lazy_pinyin

    han = "".join(c for c in text if "\u4e00" <= c <= "\u9fff")
    if not han:
        return "", ""
    initials = "".join(lazy_pinyin(han, style=Style.FIRST_LETTER)).lower()
    full = "".join(lazy_pinyin(han)).lower()
    return initials, full


def score(query: str, item: PaletteAction) -> float:
    """How well `query` names `item`, 0 (not at all) to 1. Plain rules a person can predict: the
    key itself, then the Chinese words, then pinyin initials or spelling, then the English words."""
    q = query.strip().lower()
    if not q:
        return 0.0
    if item.key and q == item.key.lower():
        return 1.0
    if q in item.zh:
        return 0.95 if item.zh.startswith(q) else 0.9
    en = item.en.lower()
    if en.startswith(q):
        return 0.85
    if q.isascii() and q.replace(" ", "").isalpha():
        initials, full = pinyin_forms(item.zh)
        compact = q.replace(" ", "")
        if initials.startswith(compact):
            return 0.8
        if compact in initials:
            return 0.7
        if full.startswith(compact):
            return 0.65
        if len(compact) >= 3 and compact in full:
            return 0.6
    if re.search(rf"\b{re.escape(q)}", en):
        return 0.55
    return 0.0


def _bindings(cls: type) -> list[Binding]:
    """The bindings a class declares (ours only: not Textual's focus keys), in MRO order."""
    found: list[Binding] = []
    for klass in cls.__mro__:
        if not klass.__module__.startswith("checkpoint"):
            continue
        for b in klass.__dict__.get("BINDINGS", []):
            found.append(b if isinstance(b, Binding) else Binding(*b))
    return found


def needs_of(node) -> dict[str, str]:
    """action -> the permission it needs, from ACTION_NEEDS of `node`'s classes (ours)."""
    needs: dict[str, str] = {}
    for cls in reversed([c for c in type(node).__mro__ if c.__module__.startswith("checkpoint")]):
        needs.update(cls.__dict__.get("ACTION_NEEDS", {}))
    return needs


def allowed(app, needs: dict[str, str], action: str) -> bool:
    """Whether the person logged in may run `action` (an action with no need: always)."""
    need = needs.get(action_key(action)) or needs.get(action) or needs.get(action.rpartition(".")[2])
    if not need:
        return True
    may = getattr(app, "may", None)
    return may is not None and may(need)


def actions_of(node, app) -> list[PaletteAction]:
    """Every action `node` (a screen or the app) offers that the logged-in person may do."""
    classes = [c for c in type(node).__mro__ if c.__module__.startswith("checkpoint")]
    needs = needs_of(node)
    seen: set[str] = set()
    out: list[PaletteAction] = []
    keyed = [(b.action, b) for b in _bindings(type(node))]
    bare = [(a, None) for cls in classes for a in cls.__dict__.get("PALETTE_ACTIONS", ())]
    for action, binding in keyed + bare:
        if action in seen or action_key(action) in SKIPPED:
            continue
        seen.add(action)
        if not allowed(app, needs, action):
            continue
        names = names_of(classes, action, binding.description if binding else "")
        if names is None:
            continue
        key = app.get_key_display(Binding(binding.key.split(",")[0], action)) if binding else ""
        out.append(PaletteAction(action, names[0], names[1], key, node))
    return out


def run(item: PaletteAction) -> None:
    """Run the chosen action on its screen (or the app), as its key would."""
    item.node.call_later(partial(item.node.run_action, item.action))


def open_palette(app) -> None:
    """Ctrl+P: Textual's palette with our placeholder (its own is English)."""
    from textual.command import CommandPalette

    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(CommandPalette(id="--command-palette", placeholder=t("palette.placeholder")))


class ActionsProvider(Provider):
    """Textual's command palette, filled with this screen's actions and the app's."""

    def items(self) -> list[PaletteAction]:
        """This screen's actions first, then the program's (any screen, any time), each name once:
        the desk's 复核 and the program's 复核 are the same thing to the person."""
        screen, app = self.screen, self.app
        listed = actions_of(screen, app)
        names = {item.zh for item in listed}
        return listed + [item for item in actions_of(app, app) if item.zh not in names]

    def _display(self, item: PaletteAction) -> str:
        return f"{item.name}  〔{item.key or t('palette.no_key')}〕"

    async def discover(self) -> Hits:
        for item in self.items():
            yield DiscoveryHit(self._display(item), partial(run, item), text=item.name, help=item.other)

    async def search(self, query: str) -> Hits:
        found = False
        for item in self.items():
            value = score(query, item)
            if value > 0:
                found = True
                yield Hit(value, self._display(item), partial(run, item), text=item.name, help=item.other)
        if not found and query.strip():
            # Textual's own "No matches found" is English: say it here, with what to try instead.
            yield Hit(0.01, t("dayclose.palette_none", query=query.strip()[:20]), _nothing,
                      text=t("dayclose.palette_none", query=query.strip()[:20]))


def _nothing() -> None:
    """Choosing the "nothing found" line only closes the palette."""
