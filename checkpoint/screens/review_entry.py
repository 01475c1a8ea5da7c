"""The review's actions on one entry (复核): open it (Enter), show it unmasked (U, audited), correct it
(E, or its vehicle), close a matter it left open, flag it for a second look (F) — each behind the
permission the service checks, the table reloaded where the row changed."""

from __future__ import annotations

from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import review


class EntryActions:
    """Part of ReviewScreen (screens/review.py): what the leader does to the entry under the cursor."""

    def action_open(self) -> None:
        key = self.table.cursor_key
        if key is not None:
            self.open_detail(key)

    def open_detail(self, entry_id: int, unmask: bool = False) -> None:
        from checkpoint.screens.review_detail import DetailModal

        try:
            detail = review.detail(self.app.store, self.app.account, entry_id, unmask=unmask, now=self.app.now())
        except CheckpointError as exc:
            self.notify(exc.message, severity="error")
            return

        def then(action: str | None) -> None:
            if action == "amend":
                self.amend(entry_id)
            elif action == "flag":
                self.flag(entry_id)
            elif action == "unmask":
                self.open_detail(entry_id, unmask=True)
            elif action == "vehicle" and detail.vehicle_id:
                self.amend_vehicle(entry_id, detail.vehicle_id)
            elif action == "close" and detail.matter_ref:
                self.close_matter(entry_id, detail.matter_ref)

        self.app.push_screen(DetailModal(detail), then)

    def action_unmask(self) -> None:
        key = self.table.cursor_key
        if key is not None and self.app.require("entry.unmask"):
            self.open_detail(key, unmask=True)

    def action_amend(self) -> None:
        key = self.table.cursor_key
        if key is not None:
            self.amend(key)

    def amend(self, entry_id: int) -> None:
        from checkpoint.screens.amend import AmendScreen

        if not self.app.require("entry.amend"):
            return

        def done(saved: bool | None) -> None:
            if saved:
                self.reload(keep_cursor=True)

        self.app.push_screen(AmendScreen(entry_id), done)

    def amend_vehicle(self, entry_id: int, vehicle_id: int) -> None:
        from checkpoint.screens.amend_vehicle import AmendVehicleScreen

        if not self.app.require("entry.amend"):
            return

        def done(saved: bool | None) -> None:
            if saved:
                self.reload(keep_cursor=True)
            self.open_detail(entry_id)   # back to the entry, its vehicle's correction in view

        day = review.entry_day(self.app.store, entry_id)
        self.app.push_screen(AmendVehicleScreen(vehicle_id, entry_id, day), done)

    def close_matter(self, entry_id: int, ref: str) -> None:
        from checkpoint.screens.shift import close_matter_with_note
        from checkpoint.services import shifts

        if not self.app.require("matter.manage"):
            return
        matter = next((m for m in shifts.open_matters(self.app.store, self.app.now()) if m.ref == ref), None)
        if matter is None:
            return
        close_matter_with_note(self, matter, lambda: self.open_detail(entry_id))

    def action_flag(self) -> None:
        key = self.table.cursor_key
        if key is not None:
            self.flag(key)

    def flag(self, entry_id: int) -> None:
        from checkpoint.screens.ask_text import AskTextModal

        if not self.app.require("entry.flag"):
            return
        clear = review.is_flagged(self.app.store, entry_id)

        def noted(note: str | None) -> None:
            if note is None:
                return
            try:
                review.flag(self.app.store, self.app.account, entry_id, note, clear=clear)
            except CheckpointError as exc:
                self.notify(exc.message, severity="error")
                return
            self.notify(t("review.clear_done" if clear else "review.flag_done"))
            self.reload(keep_cursor=True)

        self.app.push_screen(AskTextModal(t("review.clear_note" if clear else "review.flag_note")), noted)

    # ---- the day's sign-off, the audit, back ---------------------------------------------------
