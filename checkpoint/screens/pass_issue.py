"""Issuing a pass (发证): the same inline checks as the desk; the new pass is shown as a QR code
in the terminal and its card can be saved as a PNG at once."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from checkpoint.domain.pass_token import KINDS
from checkpoint.domain.passes import PassForm, parse_members
from checkpoint.errors import CheckpointError, FieldProblems
from checkpoint.i18n import t
from checkpoint.services import passes
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.form_row import FormRow
from checkpoint.widgets.key_footer import KeyFooter

TEXT_FIELDS = ("name", "doc_no", "village", "members", "plate", "route", "cargo", "reason", "employer",
               "valid_days", "exits", "per_days", "back_by")
ONLY_FOR = {"members": ("household",), "exits": ("household",), "per_days": ("household",),
            "back_by": ("household",), "plate": ("vehicle",), "route": ("vehicle",), "cargo": ("vehicle",),
            "reason": ("medical",), "employer": ("work", "official")}
DEFAULTS = {"exits": "1", "per_days": "2", "back_by": "18:00"}


class PassIssueScreen(Screen):
    HELP_TOPIC = "pass_issue"
    BINDINGS = [Binding("escape", "app.pop_screen", t("ui.key_back")),
                Binding("ctrl+s", "issue", t("issue.key_issue"))]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="issue-box"):
            yield Static(t("issue.title"), classes="title")
            yield FormRow(t("field.kind"), ChoiceField([(k, t(f"pass_kind.{k}")) for k in KINDS], id="f-kind"),
                          name="kind")
            for name in TEXT_FIELDS:
                label = t("issue.holder") if name == "name" else t(f"field.{name}")
                yield FormRow(label, FormInput(id=f"f-{name}", compact=True, value=DEFAULTS.get(name, ""),
                                               placeholder=t(f"issue.hint.{name}"), max_length=300), name=name)
        yield KeyFooter()

    def on_mount(self) -> None:
        from checkpoint.services.passes import may_issue

        # the role table says leaders; the station's setting pass-issue-staff lets duty staff too
        if self.app.account is None or not may_issue(self.app.store, self.app.account):
            self.app.require("pass.issue")   # says who may
            self.app.pop_screen()
            return
        self.update_rows()
        self.set_focus(self.query_one("#f-kind"))

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        if self.is_mounted:
            self.update_rows()

    def update_rows(self) -> None:
        kind = self.query_one("#f-kind", ChoiceField).value
        for name, kinds in ONLY_FOR.items():
            self.query_one(f"#row-{name}", FormRow).display = kind in kinds

    def field_submitted(self, widget) -> None:
        self.focus_next()

    def value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value

    def action_issue(self) -> None:
        for row in self.query(FormRow):
            row.show("")
        try:
            members = parse_members(self.value("members"))
        except ValueError as exc:
            self.query_one("#row-members", FormRow).show(t("pass.member_format", value=str(exc)))
            return
        form = PassForm(kind=self.query_one("#f-kind", ChoiceField).value, members=members,
                        **{n: self.value(n) for n in TEXT_FIELDS if n != "members"})
        try:
            issued = passes.issue_pass(self.app.store, self.app.account, form, now=self.app.now())
        except FieldProblems as exc:
            for problem in exc.problems:
                if self.query(f"#row-{problem.field}"):
                    self.query_one(f"#row-{problem.field}", FormRow).show(problem.message)
            first = exc.problems[0].field
            if self.query(f"#f-{first}"):
                self.set_focus(self.query_one(f"#f-{first}"))
            return
        except CheckpointError as exc:
            self.notify(exc.message, severity="error", timeout=8)
            return
        for name in TEXT_FIELDS:
            self.query_one(f"#f-{name}", Input).value = DEFAULTS.get(name, "")
        self.app.push_screen(IssuedModal(issued.number, issued.token))


class IssuedModal(ModalScreen[None]):
    """The new pass: its QR in the terminal (a phone can scan it), P saves the card as PNG."""

    BINDINGS = [Binding("escape,enter", "close", t("ui.key_back")), Binding("p", "save_png", t("issue.key_png"))]

    def __init__(self, number: str, token: str) -> None:
        super().__init__()
        self.number = number
        self.token = token

    def compose(self) -> ComposeResult:
        from checkpoint.services.pass_cards import terminal_qr

        with VerticalScroll(id="issued-box"):
            yield Static(t("pass.issued", number=self.number), classes="title")
            yield Static(terminal_qr(self.token), id="issued-qr", markup=False)
            yield Static(t("issue.after"), id="issued-hint", markup=False)

    def action_save_png(self) -> None:
        folder = Path(self.app.store.path).parent / "cards"
        try:
            folder.mkdir(exist_ok=True)
            written = passes.write_cards(self.app.store, [self.number], png=folder / f"{self.number}.png")
        except (CheckpointError, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.query_one("#issued-hint", Static).update(t("issue.saved", path=str(written[0])))

    def action_close(self) -> None:
        self.dismiss(None)
