"""Station settings a leader may change (kept in the settings table, audited)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from checkpoint.errors import InputError
from checkpoint.services.accounts import Account, require
from checkpoint.store import Store
from checkpoint.store import station as station_store
from checkpoint.store import trust as trust_store

# name on the command line -> (key in the table, default)
KNOWN: dict[str, tuple[str, bool]] = {
    "health-code": ("health_code", False),  # 健康码 field on the desk: later phases only
    "pass-issue-staff": ("pass_issue_staff", False),  # duty staff may issue passes too (default: leaders)
    "bell": ("bell", True),  # ring on a fever and a refused pass: the officer is looking at the traveller
    "review-staff": ("review_staff", True),  # duty staff may open the review, read-only (never amend or unmask)
}


# Settings that are text, each checked by its own rule: name -> (key in the table, default).
TEXT_KNOWN: dict[str, tuple[str, str]] = {
    "report-cutoff": ("report_cutoff", "17:00"),  # after this local time the desk asks for today's export
    "export-dir": ("export_dir", ""),  # where daily exports go; "" = exports/ in the current folder
    "theme": ("theme", "default"),  # default | sunlight (high contrast) | night: how the screen looks here
    "auto-lock": ("auto_lock", "10"),  # minutes without a key before the screen locks; 0 = never
    # what the desk tells the officer to do next with a confirmed fever (who to call); "" = the
    # catalogue's general instruction
    "fever-instruction": ("fever_instruction", ""),
    "trust-max-age": ("trust_max_age", "3"),  # days before the township list (trust, revocations) is called old
    "day-shift-from": ("day_shift_from", "06:00"),    # a shift starting from here is a 白班 ...
    "night-shift-from": ("night_shift_from", "18:00"),  # ... and from here a 夜班 (handover and 开班 default)
}
THEMES = ("default", "sunlight", "night")
# What a person may type for a theme: the names above, or the words on the screen.
_THEME_WORDS = {"默认": "default", "强光": "sunlight", "高对比": "sunlight", "夜间": "night", "夜班": "night"}
AUTO_LOCK_MAX = 240  # four hours: longer is no lock at all, and 0 says that honestly
# Display settings any person on duty may change: the one at the barrier in the sun needs the
# high-contrast screen now, not when a leader comes by.
ANYONE_MAY = {"theme"}
EXPORT_DIR_MAX = 500


def setting(store: Store, name: str) -> bool:
    """The on/off setting `name` (a KNOWN name, e.g. "review-staff"), its default when never set."""
    key, default = KNOWN[name]
    return bool(station_store.get_setting(store, key, default))


def text_setting(store: Store, name: str) -> str:
    """The text setting `name` (a TEXT_KNOWN name), its default when never set."""
    key, default = TEXT_KNOWN[name]
    return str(station_store.get_setting(store, key, default) or "")


def health_code_enabled(store: Store) -> bool:
    """Whether the desk asks for the 健康码 colour (setting health-code, off by default)."""
    return setting(store, "health-code")


def staff_may_issue_passes(store: Store) -> bool:
    """Whether duty staff may issue passes, not only leaders (setting pass-issue-staff, off by default)."""
    return setting(store, "pass-issue-staff")


def township_serial(store: Store) -> int | None:
    """The serial of the township bundle (trust list, revocations) applied last; None before the first."""
    value = station_store.get_setting(store, trust_store.SERIAL_SETTING, None)
    return int(value) if value else None


def check_export_dir(text: str) -> str:
    """The folder as it will be stored: absolute (a relative one would follow whatever folder the
    program is started from), or "" to go back to the default (also "-" or "default").
    Raises InputError for a path too long, with a control character,
    or naming a file."""
    value = (text or "").strip()
    if value in ("", "-", "default"):
        return ""
    if len(value) > EXPORT_DIR_MAX or any(unicodedata.category(c).startswith("C") for c in value):
        raise InputError("export.dir_bad", field="value", value=text)
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise InputError("export.dir_not_folder", field="value", path=value)
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        raise InputError("export.dir_bad", field="value", value=text) from None


def check_cutoff(text: str) -> str:
    """HH:MM, 00:00–23:59 (full-width digits and ：accepted). Raises InputError otherwise."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    hours, sep, minutes = value.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) in (1, 2)
            and int(hours) < 24 and int(minutes) < 60):
        raise InputError("export.cutoff_bad", field="value", value=text)
    return f"{int(hours):02d}:{minutes}"


def check_theme(text: str) -> str:
    """The theme `text` names (default, sunlight or night; the screen's words too). Raises InputError otherwise."""
    value = (text or "").strip().lower()
    value = _THEME_WORDS.get(value, value)
    if value not in THEMES:
        raise InputError("settings.theme_bad", field="value", value=text, known=", ".join(THEMES))
    return value


def check_auto_lock(text: str) -> str:
    """Whole minutes, 0 (off) to AUTO_LOCK_MAX (full-width digits accepted). Raises InputError otherwise."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value.isdigit() or int(value) > AUTO_LOCK_MAX:
        raise InputError("settings.auto_lock_bad", field="value", value=text, limit=AUTO_LOCK_MAX)
    return str(int(value))


def auto_lock_minutes(store: Store) -> int:
    """The idle minutes before the screen locks (0 = never); a value broken behind the program's
    back counts as the default rather than switching the lock off."""
    try:
        return int(check_auto_lock(text_setting(store, "auto-lock")))
    except InputError:
        return int(TEXT_KNOWN["auto-lock"][1])


def theme(store: Store) -> str:
    """The station's theme; "default" when the kept value is broken."""
    try:
        return check_theme(text_setting(store, "theme"))
    except InputError:
        return "default"


def check_instruction(text: str) -> str:
    """The fever instruction as kept: spaces folded. Raises InputError when it is longer than
    INSTRUCTION_MAX or holds a control character."""
    text = " ".join((text or "").split())
    if len(text) > INSTRUCTION_MAX or not text.isprintable():
        raise InputError("settings.instruction_bad", field="value", limit=INSTRUCTION_MAX)
    return text


INSTRUCTION_MAX = 120


def fever_instruction(store: Store) -> str:
    """What to do next with a confirmed fever, as the station configured it ('' if it did not)."""
    return text_setting(store, "fever-instruction")


def check_max_age(text: str) -> str:
    """Whole days, 1 to 365 (full-width digits accepted). Raises InputError otherwise."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value.isdigit() or not 1 <= int(value) <= 365:
        raise InputError("exchange.max_age_bad", field="value", value=text)
    return str(int(value))


def check_shift_time(text: str) -> str:
    """HH:MM as the report cut-off, with its own sentence (the day or night shift's start).
    Raises InputError otherwise."""
    try:
        return check_cutoff(text)
    except InputError:
        raise InputError("dayclose.shift_time_bad", field="value", value=text) from None


def shift_times(store: Store) -> tuple[str, str]:
    """(day shift from, night shift from) as HH:MM; a value broken behind the program's back counts
    as the default."""
    out = []
    for name in ("day-shift-from", "night-shift-from"):
        try:
            out.append(check_cutoff(text_setting(store, name)))
        except InputError:
            out.append(TEXT_KNOWN[name][1])
    return out[0], out[1]


_TEXT_CHECKS = {"export-dir": check_export_dir, "report-cutoff": check_cutoff, "theme": check_theme,
                "auto-lock": check_auto_lock, "fever-instruction": check_instruction,
                "trust-max-age": check_max_age, "day-shift-from": check_shift_time,
                "night-shift-from": check_shift_time}  # each text setting's rule (it returns the value kept)


_TRUE = {"on", "true", "yes", "1", "是", "开"}
_FALSE = {"off", "false", "no", "0", "否", "关"}


def parse_switch(text: str) -> bool:
    """on/off as typed (on, yes, 1, 是, 开 / off, no, 0, 否, 关). Raises InputError otherwise."""
    value = (text or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InputError("settings.switch", field="value", value=text)


def all_settings(store: Store) -> dict[str, bool | str]:
    """Every setting by its command-line name, with its value here (defaults included)."""
    values: dict[str, bool | str] = {name: bool(station_store.get_setting(store, key, default))
                                     for name, (key, default) in KNOWN.items()}
    values.update({name: text_setting(store, name) for name in TEXT_KNOWN})
    return values


def change_setting(store: Store, by: Account, name: str, value: str) -> bool | str:
    """Keep a new value for `name` (checked by its rule) and audit it; returns the value kept.
    Raises RefusedError when `by` may not change it, InputError for an unknown name or bad value."""
    require(by, "register" if name in ANYONE_MAY else "settings.edit")
    if name in TEXT_KNOWN:
        text = _TEXT_CHECKS[name](value)
        with store.write():
            station_store.set_setting(store, TEXT_KNOWN[name][0], text, by.id)
        return text
    if name not in KNOWN:
        raise InputError("settings.unknown", field="setting", value=name, known=", ".join([*KNOWN, *TEXT_KNOWN]))
    switch = parse_switch(value)
    with store.write():
        station_store.set_setting(store, KNOWN[name][0], switch, by.id)
    return switch
