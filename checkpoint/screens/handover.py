"""Handing a shift over (交接班) and closing it for the night (收班), for leaders.

The counts computed from the records; the open matters, each with its age, closed here with a note
(Enter); what is left of the supplies; free text; then either 交给下一班 (the next shift's kind, its
roster — the people on duty now offered, each kept or dropped — the incoming leader, who may be
added here with F5, and both PINs) or 收班 (the outgoing leader's PIN only; no shift follows, the
matters wait for the next one). Esc asks before dropping what was typed.

One screen of ~300 lines: its parts (counts, matters, stock, the next shift, signing) share the
form's state and are read top to bottom as the leader fills them.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from checkpoint.domain import shifts as rules
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.screens.leaving import GuardedForm
from checkpoint.services import accounts, shifts
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.form_row import FormRow
from checkpoint.widgets.key_footer import KeyFooter

from checkpoint.screens.shift import (OFF, RosterScreen, category_options, close_matter_with_note, show_last_handover,
                                      warning_lines)


class HandoverScreen(GuardedForm, Screen[bool]):
    HELP_TOPIC = "shift"
    ACTION_NEEDS = {"add_leader": "staff.manage"}   # for the command palette and the footer
    BINDINGS = [Binding("escape", "back", t("ui.key_back")), Binding("ctrl+s", "sign", t("dayclose.key_sign")),
                # F2, F3 are in the help and the palette: at 80 columns the footer holds only so many
                Binding("f2", "last_record", t("footer.key_last"), show=False),
                Binding("f3", "roster", t("shiftui.key_roster"), show=False),
                Binding("f4", "add_matter", t("footer.key_matter")),
                Binding("f5", "add_leader", t("dayclose.key_add_leader"))]

    def __init__(self, closing: bool = False) -> None:
        super().__init__()
        self.closing = closing

    def compose(self) -> ComposeResult:
        store = self.app.store
        now = self.app.now()
        status = shifts.shift_status(store, now=now)
        self.staff = accounts.list_staff(store, active_only=True)
        kept = dict(shifts.default_next_roster(store, self.app.account))
        active = {r["name"] for r in self.staff}
        self.dropped = [m.name for m in status.roster if m.name not in active]   # disabled since they joined
        with VerticalScroll(id="shift-box"):
            yield Static(t("dayclose.handover_title"), classes="title")
            yield Static(self.summary(status), id="handover-summary", markup=False)
            yield Static(t("dayclose.matters_section"), classes="section")
            yield OptionList(id="handover-matter-list")
            yield Static("", id="handover-matters", markup=False)
            yield Static(t("handover.stock"), classes="section")
            for item in shifts.supply_items(store):
                yield FormRow(shifts.supply_label(item), FormInput(id=f"f-stock-{item}", compact=True, max_length=7,
                                                                   restrict=r"[0-9]*"), name=f"stock-{item}")
            yield Static(t("shiftui.text_section"), classes="section")
            for name in ("incidents", "instructions", "equipment", "note"):
                yield FormRow(t(f"field.{name}"), FormInput(id=f"f-{name}", compact=True, max_length=2000), name=name)
            # decided after the counts and the texts, just before signing: hand over, or close
            yield Static(t("dayclose.mode_section"), classes="section")
            yield FormRow(t("dayclose.mode"), ChoiceField(
                [("handover", t("dayclose.mode_handover")), ("close", t("dayclose.mode_close"))],
                "close" if self.closing else "handover", id="f-mode"), name="mode")
            with Vertical(id="next-box", classes="next-only"):
                yield Static(t("dayclose.next_section"), classes="section")
                yield FormRow(t("field.shift"), ChoiceField([(k, t(f"shift.kind_{k}")) for k in rules.KINDS],
                                                            shifts.kind_now(store, now), id="f-next_kind"),
                              name="next_kind")
                yield Static(t("dayclose.next_roster_hint"), classes="hint", markup=False)
                options = category_options()
                for i, row in enumerate(self.staff):
                    yield FormRow(row["name"], ChoiceField(options, kept.get(row["name"], OFF), id=f"f-next{i}"),
                                  name=f"next{i}")
                if self.dropped:
                    yield Static(t("dayclose.roster_dropped", names="、".join(self.dropped)), classes="hint",
                                 markup=False)
                yield Static("", id="next-warnings", markup=False)
            yield Static(t("dayclose.sign_section"), classes="section")
            yield FormRow(t("shiftui.outgoing_pin", name=self.app.account.name),
                          FormInput(id="f-outgoing_pin", compact=True, password=True, max_length=8,
                                    restrict=r"[0-9]*"), name="outgoing_pin")
            with Vertical(id="incoming-box", classes="next-only"):
                yield from self.incoming_rows()
        yield KeyFooter()

    def incoming_rows(self, chosen: str | None = None) -> list:
        leaders = [r for r in accounts.list_staff(self.app.store, active_only=True)
                   if r["role"] in ("leader", "admin") and r["name"] != self.app.account.name]
        rows: list = []
        if leaders:
            names = [r["name"] for r in leaders]
            rows.append(FormRow(t("shiftui.incoming"), ChoiceField(
                [(n, n) for n in names], chosen if chosen in names else names[0], id="f-incoming"), name="incoming"))
        else:
            rows.append(Static(t("dayclose.no_incoming"), classes="hint", id="no-incoming", markup=False))
        rows.append(FormRow(t("shiftui.incoming_pin"), FormInput(id="f-incoming_pin", compact=True, password=True,
                                                                 max_length=8, restrict=r"[0-9]*"),
                            name="incoming_pin"))
        return rows

    def summary(self, status: shifts.ShiftStatus) -> str:
        c = status.counts
        lines = [t("shift.status_line", id=status.shift["id"], kind=t(f"shift.kind_{status.shift['kind']}"),
                   start=status.started_local, leader=next((m.name for m in status.roster
                                                            if m.staff_id == status.shift["leader_id"]), "?"),
                   count=len(status.roster)),
                 "、".join(t("shift.roster_line", name=m.name, category=t(f"category.{m.category}"))
                          for m in status.roster),
                 t("handover.persons", **{k: c.get(k, 0) for k in ("persons", "persons_in", "persons_out")}) + "　" +
                 t("handover.vehicles", **{k: c.get(k, 0) for k in ("vehicles", "vehicles_in", "vehicles_out")}) +
                 "　" + t("handover.fevers", count=c.get("fevers", 0)),
                 "　".join(f"{t(f'disposition.{k}')} {n}" for k, n in sorted(c.get("dispositions", {}).items())),
                 t("handover.passes", count=c.get("passes_issued", 0)) + "　" + "　".join(
                     f"{t(f'verdict.{k}')} {n}" for k, n in sorted(c.get("scans", {}).items()))]
        lines += [f"⚠ {x}" for x in status.warning_texts]
        return "\n".join(line for line in lines if line)

    def on_mount(self) -> None:
        self.show_matters()
        self.show_mode()
        self.show_next_warnings()
        # the stock first, as before: digits typed at once must land in a count, never in a choice
        self.set_focus(self.query(FormInput).first())
        self.remember_fields()

    # ---- the two ways to end the shift -------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self.query_one("#f-mode", ChoiceField).value

    def choose_close(self) -> None:
        """收班 chosen from the palette while this screen is open."""
        self.query_one("#f-mode", ChoiceField).set_value("close")
        self.set_focus(self.query_one("#f-mode"))

    def show_mode(self) -> None:
        for box in self.query(".next-only"):
            box.set_class(self.mode == "close", "-hidden")

    @on(ChoiceField.Changed)
    def _chosen(self, event: ChoiceField.Changed) -> None:
        if not self.is_mounted:
            return
        if event.field.id == "f-mode":
            self.show_mode()
        elif event.field.id == "f-next_kind" or (event.field.id or "").startswith("f-next"):
            self.show_next_warnings()

    def next_roster(self) -> list[tuple[str, str]]:
        chosen = []
        for i, row in enumerate(self.staff):
            category = self.query_one(f"#f-next{i}", ChoiceField).value
            if category != OFF:
                chosen.append((row["name"], category))
        return chosen

    def show_next_warnings(self) -> None:
        roles = {row["name"]: row["role"] for row in self.staff}
        roster = self.next_roster()
        incoming = self.query("#f-incoming")
        if incoming and not any(name == incoming.first().value for name, _ in roster):
            roster.insert(0, (incoming.first().value, "township-cadre"))
        members = [rules.RosterMember(0, name, roles.get(name, "leader"), category) for name, category in roster]
        self.query_one("#next-warnings", Static).update(
            warning_lines(self.query_one("#f-next_kind", ChoiceField).value, members))

    # ---- the open matters ----------------------------------------------------------------------------
    def show_matters(self) -> None:
        self.matters = shifts.open_matters(self.app.store, self.app.now())
        listing = self.query_one("#handover-matter-list", OptionList)
        listing.clear_options()
        for i, m in enumerate(self.matters):
            listing.add_option(Option(f"{m.line}", id=str(i)))
        listing.display = bool(self.matters)
        if self.matters:
            listing.highlighted = 0   # Enter closes the one highlighted: there always is one
        self.query_one("#handover-matters", Static).update(
            t("dayclose.matters_hint") if self.matters else t("handover.none"))

    @on(OptionList.OptionSelected, "#handover-matter-list")
    def _matter_chosen(self, event: OptionList.OptionSelected) -> None:
        matter = self.matters[int(event.option.id or 0)]
        if not self.app.require("matter.manage"):
            return
        close_matter_with_note(self, matter, self.refresh_summary)

    # ---- typing ------------------------------------------------------------------------------------
    def field_submitted(self, widget) -> None:
        if widget.id == "f-incoming_pin" or (widget.id == "f-outgoing_pin" and self.mode == "close"):
            self.action_sign()
        else:
            self.focus_next()

    def _texts(self) -> dict[str, str]:
        return {name: self.query_one(f"#f-{name}", Input).value
                for name in ("note", "incidents", "instructions", "equipment")}

    def _stock(self) -> dict[str, int]:
        stock = {}
        for item in shifts.supply_items(self.app.store):
            value = self.query_one(f"#f-stock-{item}", Input).value.strip()
            if value:
                stock[item] = int(value)
        return stock

    def _outgoing(self) -> accounts.Account | None:
        try:
            return accounts.authenticate(self.app.store, self.app.account.name,
                                         self.query_one("#f-outgoing_pin", Input).value)
        except CheckpointError as exc:
            self.query_one("#row-outgoing_pin", FormRow).show(exc.message)
            self.query_one("#f-outgoing_pin", Input).value = ""
            self.set_focus(self.query_one("#f-outgoing_pin"))
            return None

    def action_sign(self) -> None:
        for row in self.query(FormRow):
            row.show("")
        if self.mode == "close":
            self.sign_close()
            return
        incoming = self.query("#f-incoming")
        if not incoming:
            self.notify(t("dayclose.no_incoming"), severity="error")
            return
        outgoing = self._outgoing()
        if outgoing is None:
            return
        try:
            result = shifts.hand_over(self.app.store, outgoing, incoming.first().value,
                                      self.query_one("#f-incoming_pin", Input).value, stock=self._stock(),
                                      next_kind=self.query_one("#f-next_kind", ChoiceField).value,
                                      next_roster=self.next_roster(), now=self.app.now(), **self._texts())
        except CheckpointError as exc:
            field = "incoming_pin" if exc.field in (None, "pin", "incoming_pin") else None
            if field is None:
                self.notify(exc.message, severity="error", timeout=8)
                return
            self.query_one("#row-incoming_pin", FormRow).show(exc.message)
            self.query_one("#f-incoming_pin", Input).value = ""
            self.set_focus(self.query_one("#f-incoming_pin"))
            return
        self.app.account = result.incoming  # the incoming leader takes over the desk
        self.notify(t("shift.handed_over", closed=result.closed_shift_id, next=result.next_shift_id))
        self.dismiss(True)

    def sign_close(self) -> None:
        outgoing = self._outgoing()
        if outgoing is None:
            return
        try:
            result = shifts.close_shift(self.app.store, outgoing, stock=self._stock(), now=self.app.now(),
                                        **self._texts())
        except CheckpointError as exc:
            self.notify(exc.message, severity="error", timeout=8)
            return
        self.notify(t("dayclose.closed_done", id=result.closed_shift_id, matters=result.matters), timeout=10)
        self.notify(t("dayclose.closed_next_step"), timeout=10)
        self.dismiss(True)

    # ---- other keys ------------------------------------------------------------------------------------
    def action_last_record(self) -> None:
        show_last_handover(self)

    def action_roster(self) -> None:
        def changed(done: bool | None) -> None:
            if done:
                self.refresh_summary()

        self.app.push_screen(RosterScreen(), changed)

    def action_add_matter(self) -> None:
        from checkpoint.screens.ask_text import AskTextModal

        def answered(text: str | None) -> None:
            if not text:
                return
            try:
                shifts.add_matter(self.app.store, self.app.account, text, now=self.app.now())
            except CheckpointError as exc:
                self.notify(exc.message, severity="error")
                return
            self.refresh_summary()

        self.app.push_screen(AskTextModal(t("shiftui.matter_question"), t("shiftui.matter_hint")), answered)

    def action_add_leader(self) -> None:
        """A second leader account, added here: what is typed on this screen stays."""
        from checkpoint.screens.add_account import AddAccountModal

        if not self.app.require("staff.manage"):
            return

        async def added(name: str | None) -> None:
            if not name:
                return
            typed_pin = self.query_one("#f-incoming_pin", Input).value
            box = self.query_one("#incoming-box", Vertical)
            await box.remove_children()
            await box.mount_all(self.incoming_rows(chosen=name))
            self.query_one("#f-incoming_pin", Input).value = typed_pin
            self.show_next_warnings()
            self.set_focus(self.query_one("#f-incoming_pin"))
            # the rows just mounted have no place yet: scroll once the layout has them
            self.set_timer(0.05, lambda: self.query_one("#shift-box", VerticalScroll).scroll_to_widget(
                self.query_one("#row-incoming_pin"), animate=False))

        self.app.push_screen(AddAccountModal("leader"), added)

    def refresh_summary(self) -> None:
        status = shifts.shift_status(self.app.store, now=self.app.now())
        self.query_one("#handover-summary", Static).update(self.summary(status))
        self.show_matters()
