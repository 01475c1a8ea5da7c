"""Station settings a leader may change (kept in the settings table, audited)."""

from __future__ import annotations

from checkpoint.errors import InputError
from checkpoint.services.accounts import Account, require
from checkpoint.store import Store
from checkpoint.store import station as station_store

# name on the command line -> (key in the table, default)
KNOWN: dict[str, tuple[str, bool]] = {
    "health-code": ("health_code", False),  # 健康码 field on the desk: later phases only
    "pass-issue-staff": ("pass_issue_staff", False),  # duty staff may issue passes too (default: leaders)
    "bell": ("bell", True),  # ring on a fever and a refused pass: the officer is looking at the traveller
}


def setting(store: Store, name: str) -> bool:
    key, default = KNOWN[name]
    return bool(station_store.get_setting(store, key, default))
_TRUE = {"on", "true", "yes", "1", "是", "开"}
_FALSE = {"off", "false", "no", "0", "否", "关"}


def parse_switch(text: str) -> bool:
    value = (text or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InputError("settings.switch", field="value", value=text)


def all_settings(store: Store) -> dict[str, bool]:
    return {name: bool(station_store.get_setting(store, key, default)) for name, (key, default) in KNOWN.items()}


def change_setting(store: Store, by: Account, name: str, value: str) -> bool:
    require(by, "settings.edit")
    if name not in KNOWN:
        raise InputError("settings.unknown", field="setting", value=name, known=", ".join(KNOWN))
    switch = parse_switch(value)
    with store.write():
        station_store.set_setting(store, KNOWN[name][0], switch, by.id)
    return switch
