"""From the desk to the other screens (F4–F9), each behind the permission it needs; the desk
refreshes what the other screen may have changed when it comes back."""

from __future__ import annotations

from checkpoint.i18n import t
from checkpoint.services import registration, review


class DeskNavigation:
    """Part of DeskScreen (screens/desk.py): the function keys that open other screens."""

    def action_open_staff(self) -> None:
        from checkpoint.screens.staff import StaffScreen

        if self.app.require("staff.manage"):
            self.app.push_screen(StaffScreen())

    def action_open_policy(self) -> None:
        from checkpoint.screens.policy import PolicyScreen

        def changed(_: object) -> None:
            self.refresh_context()
            self.recheck()

        if self.app.require("policy.edit"):
            self.app.push_screen(PolicyScreen(), changed)

    def action_open_check(self) -> None:
        from checkpoint.screens.check import CheckScreen

        if self.app.require("pass.check"):
            self.app.push_screen(CheckScreen())

    def action_open_issue(self) -> None:
        from checkpoint.screens.pass_issue import PassIssueScreen

        self.app.push_screen(PassIssueScreen())

    def action_open_shift(self) -> None:
        """F8: start a shift when none is open, otherwise the handover."""
        from checkpoint.screens.handover import HandoverScreen
        from checkpoint.screens.shift import ShiftStartScreen

        def done(_: object) -> None:
            self.refresh_account()
            self.refresh_list()  # the list follows the new shift

        if not self.app.require("shift.lead"):
            return
        screen = HandoverScreen() if registration.open_shift_row(self.app.store) else ShiftStartScreen()
        self.app.push_screen(screen, done)

    def action_open_review(self) -> None:
        from checkpoint.screens.review import ReviewScreen

        if self.app.account is None:
            return
        if not review.may_review(self.app.store, self.app.account):
            self.status(t("review.not_allowed"), "warning")
            return

        def back(_: object) -> None:
            self.refresh_account()
            self.refresh_list()

        self.app.push_screen(ReviewScreen(), back)
