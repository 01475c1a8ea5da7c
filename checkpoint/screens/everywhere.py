"""What a person can do from any screen, through the command palette (Ctrl+P) or a key: open the
other screens, close the shift (收班), export or sign off today, switch user (换人). Mixed into the
App, so the palette lists these on every screen (widgets/palette.py reads PALETTE_ACTIONS).

Going to a screen already open further down returns to it; the screens above it are closed, and
closing one that holds typed input asks first. Switching user asks when any screen holds typed
input, then leaves nothing of the previous person's work on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from checkpoint.errors import CheckpointError
from checkpoint.i18n import t


def typed_input_screens(app) -> list[Screen]:
    """The screens on the stack that say they hold typed input (`holds_typed_input`)."""
    found = []
    for screen in app.screen_stack:
        holds = getattr(screen, "holds_typed_input", None)
        try:
            if holds is not None and holds():
                found.append(screen)
        except Exception:  # a screen half torn down has nothing to lose
            continue
    return found


class EverywhereActions:
    """App actions without a screen of their own (the App provides store, account, may, require)."""

    PALETTE_ACTIONS = ("go_desk", "open_check", "open_issue", "open_shift", "close_shift", "open_review",
                       "export_today", "sign_off_today", "open_staff", "open_policy", "logout")
    ACTION_NEEDS = {"open_check": "pass.check", "open_issue": "pass.issue", "open_shift": "shift.lead",
                    "close_shift": "shift.lead", "open_review": "review.read", "export_today": "export.day",
                    "sign_off_today": "day.signoff", "open_staff": "staff.manage", "open_policy": "policy.edit"}

    # ---- going somewhere ---------------------------------------------------------------------
    def go_to(self, kind: type, make: Callable[[], Screen], callback=None) -> None:
        """Show the screen of class `kind`: nothing when it is in front, back to it when it is open
        further down (asking before closing a screen above that holds typed input), else a new one."""
        stack = self.screen_stack  # type: ignore[attr-defined]
        if isinstance(stack[-1], kind):
            return
        below = next((i for i, s in enumerate(stack) if isinstance(s, kind)), None)
        if below is None:
            self.push_screen(make(), callback)  # type: ignore[attr-defined]
            return
        self.back_to(stack[below])

    def back_to(self, target: Screen) -> None:
        """Close every screen above `target`, asking first when one of them holds typed input."""
        from checkpoint.screens.confirm import ConfirmModal

        stack = self.screen_stack  # type: ignore[attr-defined]
        above = stack[stack.index(target) + 1:]
        losing = [s for s in typed_input_screens(self) if s in above]

        def close(yes: bool | None = True) -> None:
            if not yes:
                return
            for screen in reversed(above):
                if screen in self.screen_stack:  # type: ignore[attr-defined]
                    self.pop_screen()  # type: ignore[attr-defined]

        if losing:
            self.push_screen(ConfirmModal(t("dayclose.leave_confirm"), danger=True), close)  # type: ignore[attr-defined]
        else:
            close()

    def _desk(self) -> Screen | None:
        from checkpoint.screens.desk import DeskScreen

        return next((s for s in self.screen_stack if isinstance(s, DeskScreen)), None)  # type: ignore[attr-defined]

    def action_go_desk(self) -> None:
        desk = self._desk()
        if desk is not None and self.screen is not desk:  # type: ignore[attr-defined]
            self.back_to(desk)

    def action_open_check(self) -> None:
        from checkpoint.screens.check import CheckScreen

        if self.require("pass.check"):  # type: ignore[attr-defined]
            self.go_to(CheckScreen, CheckScreen)

    def action_open_issue(self) -> None:
        from checkpoint.screens.pass_issue import PassIssueScreen

        if self.may("pass.issue"):  # type: ignore[attr-defined]
            self.go_to(PassIssueScreen, PassIssueScreen)
        else:
            self.require("pass.issue")  # type: ignore[attr-defined]  # says who may

    def action_open_shift(self) -> None:
        from checkpoint.screens.handover import HandoverScreen
        from checkpoint.screens.shift import ShiftStartScreen
        from checkpoint.services.registration import current_shift_id

        if not self.require("shift.lead"):  # type: ignore[attr-defined]
            return
        if current_shift_id(self.store) is None:  # type: ignore[attr-defined]
            self.go_to(ShiftStartScreen, ShiftStartScreen)
        else:
            self.go_to(HandoverScreen, HandoverScreen)

    def action_close_shift(self) -> None:
        """收班 from anywhere: the handover screen with 收班 chosen."""
        from checkpoint.screens.handover import HandoverScreen
        from checkpoint.services import shifts
        from checkpoint.services.registration import current_shift_id

        if not self.require("shift.lead"):  # type: ignore[attr-defined]
            return
        if current_shift_id(self.store) is None:  # type: ignore[attr-defined]
            self.notify(shifts.no_shift_text(self.store), severity="warning")  # type: ignore[attr-defined]
            return
        screen = self.screen  # type: ignore[attr-defined]
        if isinstance(screen, HandoverScreen):
            screen.choose_close()
            return
        self.go_to(HandoverScreen, lambda: HandoverScreen(closing=True))

    def action_open_review(self) -> None:
        from checkpoint.screens.review import ReviewScreen

        if not self.may("review.read"):  # type: ignore[attr-defined]
            self.notify(t("review.not_allowed"), severity="warning")  # type: ignore[attr-defined]
            return
        self.go_to(ReviewScreen, ReviewScreen)

    def _today(self) -> str:
        from checkpoint.services import ledger

        return ledger.today(self.store, self.now())  # type: ignore[attr-defined]

    def action_export_today(self) -> None:
        """导出日报 from anywhere: today's export, as X in the review."""
        from checkpoint.screens.export_day import ExportModal

        if self.require("export.day"):  # type: ignore[attr-defined]
            try:
                day = self._today()
            except CheckpointError as exc:
                self.notify(exc.message, severity="error")  # type: ignore[attr-defined]
                return
            self.push_screen(ExportModal(day))  # type: ignore[attr-defined]

    def action_sign_off_today(self) -> None:
        from checkpoint.screens.signoff_flow import sign_off_day

        if self.require("day.signoff"):  # type: ignore[attr-defined]
            try:
                day = self._today()
            except CheckpointError as exc:
                self.notify(exc.message, severity="error")  # type: ignore[attr-defined]
                return
            sign_off_day(self, day)  # type: ignore[arg-type]

    def action_open_staff(self) -> None:
        from checkpoint.screens.staff import StaffScreen

        if self.require("staff.manage"):  # type: ignore[attr-defined]
            self.go_to(StaffScreen, StaffScreen)

    def action_open_policy(self) -> None:
        from checkpoint.screens.policy import PolicyScreen

        if self.require("policy.edit"):  # type: ignore[attr-defined]
            self.go_to(PolicyScreen, PolicyScreen)

    # ---- 换人 / 退出登录 ------------------------------------------------------------------------
    def action_logout(self) -> None:
        """Switch user: the next person logs in with their own name and PIN and starts from a
        fresh desk. Anything typed and not saved is lost, so that is asked first."""
        from checkpoint.screens.confirm import ConfirmModal
        from checkpoint.screens.login import LoginScreen

        if self.account is None or isinstance(self.screen, LoginScreen):  # type: ignore[attr-defined]
            return
        losing = typed_input_screens(self)

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_later(self._log_out)  # type: ignore[attr-defined]

        if losing:
            self.push_screen(ConfirmModal(t("dayclose.logout_confirm"), danger=True), answered)  # type: ignore[attr-defined]
        else:
            answered(True)

    async def _log_out(self) -> None:
        from checkpoint.screens.login import LoginScreen

        name = self.account.name if self.account else ""  # type: ignore[attr-defined]
        while len(self.screen_stack) > 1:  # type: ignore[attr-defined]
            await self.pop_screen()  # type: ignore[attr-defined]
        self.account = None  # type: ignore[attr-defined]
        self.clear_notifications()  # type: ignore[attr-defined]
        self.push_screen(LoginScreen(logged_out=name), self._logged_in)  # type: ignore[attr-defined]
