"""Starting a shift (开班) and handing it over (交接班), for leaders.

Start: each active account is a row; ←/→ puts the person on the roster with a duty category (or
off it). Staffing warnings follow as the roster changes. Handover: the counts computed from the
records, the open matters that will be carried over, what is left of the supplies, free text,
then the outgoing leader's PIN and the incoming leader's PIN.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from checkpoint.domain import shifts as rules
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import accounts, clock, shifts
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.form_row import FormRow
from checkpoint.widgets.key_footer import KeyFooter

OFF = "-"


class ShiftStartScreen(Screen[bool]):
    HELP_TOPIC = "shift"
    BINDINGS = [Binding("escape", "back", t("ui.key_back")), Binding("ctrl+s", "start", t("shiftui.key_start"))]

    def compose(self) -> ComposeResult:
        station = self.app.station
        hour = clock.local(self.app.now(), station.tz).hour
        self.staff = accounts.list_staff(self.app.store, active_only=True)
        with VerticalScroll(id="shift-box"):
            yield Static(t("shiftui.start_title"), classes="title")
            yield FormRow(t("field.shift"), ChoiceField([(k, t(f"shift.kind_{k}")) for k in rules.KINDS],
                                                        "day" if 6 <= hour < 18 else "night", id="f-kind"), name="kind")
            yield Static(t("shiftui.roster_hint"), classes="hint")
            options = [(OFF, t("shiftui.off"))] + [(c, t(f"category.{c}")) for c in rules.CATEGORIES]
            for i, row in enumerate(self.staff):
                me = self.app.account and row["name"] == self.app.account.name
                yield FormRow(row["name"], ChoiceField(options, "township-cadre" if me else OFF, id=f"f-member{i}"),
                              name=f"member{i}")
            yield Static("", id="shift-warnings", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-kind"))
        self.show_warnings()

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
        kind = self.query_one("#f-kind", ChoiceField).value
        texts = [t(key, **({**p, "kind": t(f"shift.kind_{p['kind']}")} if "kind" in p else p))
                 for key, p in rules.staffing_warnings(kind, members)]
        self.query_one("#shift-warnings", Static).update("\n".join(f"⚠ {x}" for x in texts))

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

    def action_back(self) -> None:
        self.dismiss(False)


def show_last_handover(screen: Screen) -> None:
    from checkpoint.screens.help import MarkdownModal

    try:
        text = shifts.handover_markdown(screen.app.store)
    except CheckpointError as exc:
        screen.notify(exc.message, severity="warning")
        return
    screen.app.push_screen(MarkdownModal(text))


class HandoverScreen(Screen[bool]):
    HELP_TOPIC = "shift"
    BINDINGS = [Binding("escape", "back", t("ui.key_back")), Binding("ctrl+s", "sign", t("shiftui.key_sign")),
                Binding("f2", "last_record", t("footer.key_last")), Binding("f3", "roster", t("shiftui.key_roster")),
                Binding("f4", "add_matter", t("footer.key_matter"))]

    def compose(self) -> ComposeResult:
        store = self.app.store
        status = shifts.shift_status(store, now=self.app.now())
        leaders = [r for r in accounts.list_staff(store, active_only=True)
                   if r["role"] in ("leader", "admin") and r["name"] != self.app.account.name]
        with VerticalScroll(id="shift-box"):
            yield Static(t("shiftui.handover_title"), classes="title")
            yield Static(self.summary(status), id="handover-summary", markup=False)
            yield Static(t("handover.matters"), classes="section")
            yield Static("\n".join(f"• {m.text}" for m in status.matters) or t("handover.none"), id="handover-matters",
                         markup=False)
            yield Static(t("handover.stock"), classes="section")
            for item in shifts.supply_items(store):
                yield FormRow(shifts.supply_label(item), FormInput(id=f"f-stock-{item}", compact=True, max_length=7,
                                                                   restrict=r"[0-9]*"), name=f"stock-{item}")
            yield Static(t("shiftui.text_section"), classes="section")
            for name in ("incidents", "instructions", "equipment", "note"):
                yield FormRow(t(f"field.{name}"), FormInput(id=f"f-{name}", compact=True, max_length=2000), name=name)
            yield Static(t("shiftui.sign_section"), classes="section")
            yield FormRow(t("shiftui.outgoing_pin", name=self.app.account.name),
                          FormInput(id="f-outgoing_pin", compact=True, password=True, max_length=8,
                                    restrict=r"[0-9]*"), name="outgoing_pin")
            if leaders:
                yield FormRow(t("shiftui.incoming"), ChoiceField([(r["name"], r["name"]) for r in leaders],
                                                                 id="f-incoming"), name="incoming")
            else:
                yield Static(t("shiftui.no_incoming"), classes="hint")
            yield FormRow(t("shiftui.incoming_pin"), FormInput(id="f-incoming_pin", compact=True, password=True,
                                                               max_length=8, restrict=r"[0-9]*"), name="incoming_pin")
        yield KeyFooter()

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
        first = self.query(FormInput).first()
        self.set_focus(first)

    def field_submitted(self, widget) -> None:
        if widget.id == "f-incoming_pin":
            self.action_sign()
        else:
            self.focus_next()

    def action_sign(self) -> None:
        store = self.app.store
        for row in self.query(FormRow):
            row.show("")
        stock = {}
        for item in shifts.supply_items(store):
            value = self.query_one(f"#f-stock-{item}", Input).value.strip()
            if value:
                stock[item] = int(value)
        incoming = self.query("#f-incoming")
        if not incoming:
            self.notify(t("shiftui.no_incoming"), severity="error")
            return
        try:
            outgoing = accounts.authenticate(store, self.app.account.name, self.query_one("#f-outgoing_pin", Input).value)
        except CheckpointError as exc:
            self.query_one("#row-outgoing_pin", FormRow).show(exc.message)
            self.query_one("#f-outgoing_pin", Input).value = ""
            self.set_focus(self.query_one("#f-outgoing_pin"))
            return
        incoming_name = incoming.first().value
        try:
            result = shifts.hand_over(store, outgoing, incoming_name, self.query_one("#f-incoming_pin", Input).value,
                                      stock=stock, note=self.query_one("#f-note", Input).value,
                                      incidents=self.query_one("#f-incidents", Input).value,
                                      instructions=self.query_one("#f-instructions", Input).value,
                                      equipment=self.query_one("#f-equipment", Input).value, now=self.app.now())
        except CheckpointError as exc:
            self.query_one("#row-incoming_pin", FormRow).show(exc.message)
            self.query_one("#f-incoming_pin", Input).value = ""
            self.set_focus(self.query_one("#f-incoming_pin"))
            return
        self.app.account = result.incoming  # the incoming leader takes over the desk
        self.notify(t("shift.handed_over", closed=result.closed_shift_id, next=result.next_shift_id))
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)

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

    def refresh_summary(self) -> None:
        status = shifts.shift_status(self.app.store, now=self.app.now())
        self.query_one("#handover-summary", Static).update(self.summary(status))
        self.query_one("#handover-matters", Static).update(
            "\n".join(f"• {m.text}" for m in status.matters) or t("handover.none"))


class RosterScreen(Screen[bool]):
    """Who is on duty now: ←→ sets a person's category or takes them off (joins and leaves are time-stamped)."""

    HELP_TOPIC = "shift"
    BINDINGS = [Binding("escape", "back", t("ui.key_back")), Binding("ctrl+s", "apply", t("ui.key_save"))]

    def compose(self) -> ComposeResult:
        status = shifts.shift_status(self.app.store, now=self.app.now())
        self.current = {m.name: m.category for m in status.roster}
        self.staff = accounts.list_staff(self.app.store, active_only=True)
        options = [(OFF, t("shiftui.off"))] + [(c, t(f"category.{c}")) for c in rules.CATEGORIES]
        with VerticalScroll(id="shift-box"):
            yield Static(t("shiftui.roster_title"), classes="title")
            for i, row in enumerate(self.staff):
                yield FormRow(row["name"], ChoiceField(options, self.current.get(row["name"], OFF), id=f"f-member{i}"),
                              name=f"member{i}")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.staff:
            self.set_focus(self.query_one("#f-member0"))

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

    def action_back(self) -> None:
        self.dismiss(False)
