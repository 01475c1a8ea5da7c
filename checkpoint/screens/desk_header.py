"""The desk's lines around the form: who is on duty and what is due (top), the vehicle and person
number (above the form), the status line (under it) and this shift's latest entries."""

from __future__ import annotations

from textual.widgets import Static

from checkpoint.domain import temperature
from checkpoint.domain.policy import disposition_label
from checkpoint.domain.registration import PersonForm
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import export, ledger, registration, review, shifts
from checkpoint.widgets.entry_list import EntryList

LIST_LIMIT = 50


class DeskHeader:
    """Part of DeskScreen (screens/desk.py): the lines that tell the officer where they are."""

    def refresh_account(self) -> None:
        station, account, store = self.app.station, self.app.account, self.app.store
        shift = registration.open_shift_row(store)
        shift_text = t("ui.topbar_shift", id=shift["id"], kind=t(f"shift.kind_{shift['kind']}")) if shift else ""
        self.query_one("#topbar", Static).update(t(
            "ui.topbar", station=station.name, township=station.township,
            role=account.role_label if account else "", user=account.name if account else "") + shift_text)
        notices = [] if shift else [t("desk.notice_no_shift")]
        try:
            staffing = shifts.staffing_banner(store)
        except CheckpointError:
            staffing = None
        if staffing:
            notices.append(staffing)
        for check, key in ((review.unsigned_yesterday, "desk.notice_unsigned"), (export.report_due, "desk.notice_export")):
            try:
                day = check(store, self.app.now())
            except CheckpointError:
                day = None
            if day:
                notices.append(t(key, day=str(day)[5:]))  # MM-DD: the three fit one line at 80
        bar = self.query_one("#notices", Static)
        bar.display = bool(notices)
        bar.update(" │ ".join(notices))

    def refresh_bar(self) -> None:
        """The vehicle and the person number, above the form: always in view while typing."""
        vehicle = self.vehicle.read()
        number = len(self.pending) + 1
        occupants = vehicle.occupants.strip()
        who = t("desk.bar_person_of", number=number, of=occupants) if occupants.isdecimal() else \
            t("desk.bar_person", number=number)
        car = t("desk.bar_vehicle", plate=vehicle.plate.strip().upper(),
                kind=t(f"vehicle_type.{vehicle.vehicle_type}")) if vehicle.present else t("desk.bar_on_foot")
        done = "  ".join(f"{i}.{p.name} {self.temp_shown(p)} {disposition_label(p.disposition) if p.disposition else '?'}"
                         for i, p in enumerate(self.pending, 1))
        self.query_one("#person-bar", Static).update(f"{car} · {who}" + (f" │ {done}" if done else ""))

    @staticmethod
    def temp_shown(p: PersonForm) -> str:
        value, _ = temperature.parse_temperature(p.recheck_temp or p.temp)
        return str(value) if value is not None else "-"

    def status(self, text: str, kind: str = "info") -> None:
        line = self.query_one("#status", Static)
        line.set_classes(f"-{kind}")
        line.update(text)

    def refresh_list(self) -> None:
        """This shift's latest entries and counts; the day's when no shift is open."""
        store = self.app.store
        try:
            shift = registration.open_shift_row(store)
            if shift is not None:
                title = t("ui.shift_label", id=shift["id"], kind=t(f"shift.kind_{shift['kind']}"))
                self.query_one(EntryList).show(title, ledger.shift_counts(store, shift["id"]),
                                               ledger.shift_lines(store, shift["id"], LIST_LIMIT))
                return
            day = ledger.today(store, self.app.now())
            self.query_one(EntryList).show(day, ledger.day_counts(store, day),
                                           ledger.day_lines(store, day, LIST_LIMIT, newest_first=True))
        except CheckpointError as exc:
            self.status(exc.message, "error")
