"""The policy, for leaders: the key-area list and the disposition each rule suggests.

Saving adds a new version; entries keep the version they were registered under.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TextArea

from checkpoint.domain.policy import DISPOSITIONS, Policy
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.screens.leaving import GuardedForm
from checkpoint.services import policy as policy_service
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.form_row import FormRow
from checkpoint.widgets.key_footer import KeyFooter


class PolicyScreen(GuardedForm, Screen[bool]):
    HELP_TOPIC = "policy"
    BINDINGS = [
        Binding("escape", "back", t("ui.key_back")),
        Binding("ctrl+s", "save", t("ui.key_save")),
    ]

    def compose(self) -> ComposeResult:
        current = policy_service.current_policy(self.app.store)
        with VerticalScroll(id="policy-box"):
            yield Static(t("ui.policy_title", version=current.version) if current.version
                         else t("dayclose.policy_default"), classes="title")
            yield Static(t("ui.policy_areas"), classes="hint")
            yield TextArea("\n".join(current.key_areas), id="key-areas")
            for rule in Policy.RULE_FIELDS:
                yield FormRow(t(f"policy.rule.{rule}"), ChoiceField(
                    [(d, t(f"disposition.{d}")) for d in DISPOSITIONS], getattr(current, rule),
                    id=f"f-{rule}"), name=rule)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#key-areas", TextArea).focus()
        self.remember_fields()

    def field_submitted(self, widget) -> None:
        self.focus_next()

    def action_save(self) -> None:
        areas = self.query_one("#key-areas", TextArea).text
        rules = {rule: self.query_one(f"#f-{rule}", ChoiceField).value for rule in Policy.RULE_FIELDS}
        try:
            updated = policy_service.update_policy(self.app.store, self.app.account,
                                                   policy_service.parse_key_areas(areas), rules)
        except CheckpointError as exc:
            self.notify(exc.message, severity="error")
            return
        self.notify(t("policy.saved", version=updated.version))
        self.dismiss(True)

