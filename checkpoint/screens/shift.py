"""Starting a shift (开班) and changing who is on duty, for leaders (handing over and 收班:
screens/handover.py).

Start: each active account is a row; ←/→ puts the person on the roster with a duty category (or
off it); the shift's kind follows the clock. Staffing warnings follow as the roster changes, and
the matters left by the last shift are listed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from checkpoint.domain import shifts as rules
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.screens.leaving import GuardedForm
from checkpoint.services import accounts, shifts
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.form_row import FormRow
from checkpoint.widgets.key_footer import KeyFooter

OFF = "-"


def category_options() -> list[tuple[str, str]]:
    return [(OFF, t("shiftui.off"))] + [(c, t(f"category.{c}")) for c in rules.CATEGORIES]


def warning_lines(kind: str, members: list[rules.RosterMember]) -> str:
    texts = [t(key, **({**p, "kind": t(f"shift.kind_{p['kind']}")} if "kind" in p else p))
             for key, p in rules.staffing_warnings(kind, members)]
    return "\n".join(f"⚠ {x}" for x in texts)


class ShiftStartScreen(GuardedForm, Screen[bool]):
    HELP_TOPIC = "shift"
    BINDINGS = [Binding("escape", "back", t("ui.key_back")), Binding("ctrl+s", "start", t("shiftui.key_start"))]

    def compose(self) -> ComposeResult:
        store = self.app.store
        self.staff = accounts.list_staff(store, active_only=True)
        matters = shifts.open_matters(store, self.app.now())
        with VerticalScroll(id="shift-box"):
            yield Static(t("shiftui.start_title"), classes="title")
            yield FormRow(t("field.shift"), ChoiceField([(k, t(f"shift.kind_{k}")) for k in rules.KINDS],
                                                        shifts.kind_now(store, self.app.now()), id="f-kind"),
                          name="kind")
            yield Static(t("shiftui.roster_hint"), classes="hint")
            options = category_options()
            for i, row in enumerate(self.staff):
                me = self.app.account and row["name"] == self.app.account.name
                yield FormRow(row["name"], ChoiceField(options, "township-cadre" if me else OFF, id=f"f-member{i}"),
                              name=f"member{i}")
            yield Static("", id="shift-warnings", markup=False)
            if matters:
                yield Static(t("dayclose.start_matters", count=len(matters)), classes="section")
                yield Static("\n".join(f"• {m.line}" for m in matters), id="start-matters", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-kind"))
        self.show_warnings()
        self.remember_fields()

    def roster(self) -> list[tuple[str, str]]:
        chosen = []
        for i, row in enumerate(self.staff):
            category = self.query_one(f"#f-member{i}", ChoiceField).value
            if category != OFF:
                chosen.append((row["name"], category))
        return chosen

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        if self.is_mounted:
            self.show_warnings()

    def show_warnings(self) -> None:
        roles = {row["name"]: row["role"] for row in self.staff}
        members = [rules.RosterMember(0, name, roles[name], category) for name, category in self.roster()]
        self.query_one("#shift-warnings", Static).update(
            warning_lines(self.query_one("#f-kind", ChoiceField).value, members))

    def field_submitted(self, widget) -> None:
        self.focus_next()

    def action_start(self) -> None:
        try:
            status = shifts.start_shift(self.app.store, self.app.account, self.query_one("#f-kind", ChoiceField).value,
                                        self.roster(), now=self.app.now())
        except CheckpointError as exc:
            self.notify(exc.message, severity="error")
            return
        self.notify(t("shift.started", kind=t(f"shift.kind_{status.shift['kind']}"), id=status.shift["id"],
                      count=len(status.roster)))
        for text in status.warning_texts:
            self.notify(text, severity="warning", timeout=8)
        self.dismiss(True)


def show_last_handover(screen: Screen) -> None:
    from checkpoint.screens.help import MarkdownModal

    try:
        text = shifts.handover_markdown(screen.app.store)
    except CheckpointError as exc:
        screen.notify(exc.message, severity="warning")
        return
    screen.app.push_screen(MarkdownModal(text))


def close_matter_with_note(screen: Screen, matter: shifts.Matter, done) -> None:
    """Ask how `matter` ended (a note is required), close it, then call `done()`."""
    from checkpoint.screens.ask_text import AskTextModal

    def noted(note: str | None) -> None:
        if not note:
            return
        try:
            shifts.close_matter(screen.app.store, screen.app.account, matter.ref, note, now=screen.app.now())
        except CheckpointError as exc:
            screen.notify(exc.message, severity="error")
            return
        screen.notify(t("dayclose.matter_closed", text=matter.text))
        done()

    screen.app.push_screen(AskTextModal(t("dayclose.close_question", text=matter.line),
                                        t("dayclose.close_hint"), max_length=shifts.CLOSE_NOTE_MAX), noted)


class RosterScreen(GuardedForm, Screen[bool]):
    """Who is on duty now: ←→ sets a person's category or takes them off (joins and leaves are time-stamped)."""

    HELP_TOPIC = "shift"
    BINDINGS = [Binding("escape", "back", t("ui.key_back")), Binding("ctrl+s", "apply", t("ui.key_save"))]

    def compose(self) -> ComposeResult:
        status = shifts.shift_status(self.app.store, now=self.app.now())
        self.current = {m.name: m.category for m in status.roster}
        self.staff = accounts.list_staff(self.app.store, active_only=True)
        options = category_options()
        with VerticalScroll(id="shift-box"):
            yield Static(t("shiftui.roster_title"), classes="title")
            for i, row in enumerate(self.staff):
                yield FormRow(row["name"], ChoiceField(options, self.current.get(row["name"], OFF), id=f"f-member{i}"),
                              name=f"member{i}")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.staff:
            self.set_focus(self.query_one("#f-member0"))
        self.remember_fields()

    def field_submitted(self, widget) -> None:
        self.focus_next()

    def action_apply(self) -> None:
        try:
            for i, row in enumerate(self.staff):
                chosen = self.query_one(f"#f-member{i}", ChoiceField).value
                before = self.current.get(row["name"], OFF)
                if chosen == before:
                    continue
                if before != OFF:
                    shifts.change_roster(self.app.store, self.app.account, row["name"], "leave", now=self.app.now())
                if chosen != OFF:
                    shifts.change_roster(self.app.store, self.app.account, row["name"], "join", chosen,
                                         now=self.app.now())
        except CheckpointError as exc:
            self.notify(exc.message, severity="error")
            return
        self.dismiss(True)
