"""Issuing a pass (发证): the same inline checks as the desk; the new pass is shown as a card that
fits 80×24 — the QR code in half blocks on the left (scannable from the screen), the number, the
holder and the token as text on the right — printed with P or saved as a PNG with S at once."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from checkpoint.domain.pass_token import KINDS
from checkpoint.domain.passes import DEFAULT_KIND, PASS_FIELDS, PassForm, field_default, parse_members
from checkpoint.domain.registration import NAME_MAX
from checkpoint.errors import CheckpointError, FieldProblems
from checkpoint.i18n import t
from checkpoint.screens.leaving import GuardedForm
from checkpoint.services import passes
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.form_input import FormInput
from checkpoint.widgets.form_row import FormRow, show_problems_on_rows
from checkpoint.widgets.key_footer import KeyFooter
from checkpoint.widgets.background_error import unexpected

TEXT_FIELDS = tuple(f.name for f in PASS_FIELDS)   # every field but the kind is typed text


class PassIssueScreen(GuardedForm, Screen):
    HELP_TOPIC = "pass_issue"
    BINDINGS = [Binding("escape", "back", t("ui.key_back")),
                Binding("ctrl+s", "issue", t("issue.key_issue"))]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="issue-box"):
            yield Static(t("issue.title"), classes="title")
            yield FormRow(t("field.kind"), ChoiceField([(k, t(f"pass_kind.{k}")) for k in KINDS], DEFAULT_KIND,
                                                      id="f-kind"),
                          name="kind")
            for name in TEXT_FIELDS:
                label = t("issue.holder") if name == "name" else t(f"field.{name}")
                # the holder's name: the desk's limit, which every pass token holds (masked to 3 characters)
                limit = NAME_MAX if name == "name" else 300
                yield FormRow(label, FormInput(id=f"f-{name}", compact=True, value=field_default(name),
                                               placeholder=t(f"issue.hint.{name}"), max_length=limit), name=name)
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
        self.remember_fields()

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        if self.is_mounted:
            self.update_rows()

    def update_rows(self) -> None:
        kind = self.query_one("#f-kind", ChoiceField).value
        for f in PASS_FIELDS:
            self.query_one(f"#row-{f.name}", FormRow).display = f.for_kind(kind)

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
            show_problems_on_rows(self, exc.problems)
            return
        except CheckpointError as exc:
            self.notify(exc.message, severity="error", timeout=8)
            return
        for name in TEXT_FIELDS:
            self.query_one(f"#f-{name}", Input).value = field_default(name)
        self.remember_fields()
        self.app.push_screen(IssuedModal(issued.number))


class IssuedModal(ModalScreen[None]):
    """The new pass as a card at 80×24: its QR in half blocks (scannable from the screen), and as
    text its number, holder, validity and the token itself (for a phone photo or a scanner test).
    P prints the card, S saves it as a PNG."""

    BINDINGS = [Binding("escape,enter", "close", t("ui.key_back")), Binding("p", "print", t("dayclose.key_print")),
                Binding("s", "save_png", t("issue.key_png"))]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        from checkpoint.services.pass_cards import terminal_qr

        shown = passes.show_pass(self.app.store, self.number)
        with Horizontal(id="issued-box"):
            yield Static(terminal_qr(shown.token), id="issued-qr", markup=False)
            with Vertical(id="issued-text"):
                yield Static(t("pass.issued", number=shown.number), id="issued-title", markup=False)
                yield Static(shown.text(), id="issued-details", markup=False)
                yield Static(t("dayclose.pass_show_token"), classes="hint", markup=False)
                yield Static(shown.token, id="issued-token", markup=False)
                yield Static(t("dayclose.issued_keys"), id="issued-keys", markup=False)
                yield Static("", id="issued-hint", markup=False)

    def cards_folder(self) -> Path:
        return Path(self.app.store.path).parent / "cards"

    def action_save_png(self) -> None:
        folder = self.cards_folder()
        try:
            folder.mkdir(exist_ok=True)
            written = passes.write_cards(self.app.store, [self.number], png=folder / f"{self.number}.png")
        except CheckpointError as exc:
            self.notify(exc.message, severity="error")
            return
        except OSError as exc:
            self.notify(t("keys.write_failed", path=str(folder), detail=exc.strerror or str(exc)), severity="error")
            return
        self.query_one("#issued-hint", Static).update(t("issue.saved", path=str(written[0])))

    def action_print(self) -> None:
        self.query_one("#issued-hint", Static).update(t("dayclose.printing"))
        self.print_card()

    @work(thread=True, exclusive=True, group="print", exit_on_error=False)
    def print_card(self) -> None:
        """Drawing the card and handing it to the printer take a second: not on the event loop."""
        try:
            with self.app.store.reader() as reader:
                printed = passes.print_card(reader, self.number, self.cards_folder())
        except CheckpointError as exc:
            self.app.call_from_thread(self.query_one("#issued-hint", Static).update, exc.message)
            return
        except Exception as exc:   # noqa: BLE001 — logged and said, not lost with the thread
            self.app.call_from_thread(self.query_one("#issued-hint", Static).update, unexpected(exc, "print card"))
            return
        self.app.call_from_thread(self.query_one("#issued-hint", Static).update,
                                  t("dayclose.print_sent", printer=printed.printer, path=str(printed.path)))

    def action_close(self) -> None:
        self.dismiss(None)
