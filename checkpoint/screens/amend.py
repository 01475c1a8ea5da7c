"""Amend one entry: the desk's person form, filled with the entry as it stands, checked as the
desk checks it; saving asks for the reason and writes an amendment (the original stays)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from checkpoint.domain import temperature
from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.screens.leaving import GuardedForm, ask_before_leaving
from checkpoint.services import review
from checkpoint.services.registration import PersonProblems
from checkpoint.widgets.choice import ChoiceField
from checkpoint.widgets.registration_fields import PersonFields
from checkpoint.widgets.key_footer import KeyFooter


class AmendScreen(GuardedForm, Screen[bool]):
    HELP_TOPIC = "review"
    BINDINGS = [
        Binding("ctrl+s,f10", "save", t("ui.key_save")),
        Binding("escape", "cancel", t("review.key_close")),
    ]

    def __init__(self, entry_id: int) -> None:
        super().__init__()
        self.entry_id = entry_id

    def compose(self) -> ComposeResult:
        yield Static("", id="amend-title", classes="section", markup=False)
        with VerticalScroll(id="form-scroll"):
            yield PersonFields(health_code=self.app.health_code_enabled, id="person")
        yield KeyFooter()

    def on_mount(self) -> None:
        store = self.app.store
        self.original = review.open_for_amend(store, self.app.account, self.entry_id)
        row_day = review.entry_day(store, self.entry_id)
        self.query_one("#amend-title", Static).update(t("review.amend_title", id=self.entry_id, day=row_day))
        self.person.fill(self.original)
        self.ready = True
        self.recheck()
        self.set_focus(self.person.control("temp"))
        self.call_after_refresh(self.remember_fields)   # the entry's values: nothing typed yet

    def on_descendant_focus(self, event) -> None:
        # The fields hold the entry's values: the cursor goes to the end, ready to correct.
        widget = event.widget
        if isinstance(widget, Input):
            widget.cursor_position = len(widget.value)

    @property
    def person(self) -> PersonFields:
        return self.query_one("#person", PersonFields)

    def recheck(self):
        form = self.person.read()
        result = review.check_amendment(self.app.store, self.entry_id, form)
        self.person.update_visibility(result.fever.status != temperature.NORMAL)
        self.person.show_problems(result.problems, self.person.field_names())
        return result

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if getattr(self, "ready", False):
            self.recheck()

    @on(ChoiceField.Changed)
    def _chosen(self, event: ChoiceField.Changed) -> None:
        if getattr(self, "ready", False):
            self.recheck()

    def field_submitted(self, widget) -> None:
        self.focus_next()

    def action_save(self) -> None:
        from checkpoint.screens.ask_text import AskTextModal

        result = self.recheck()
        if result.errors:
            first = result.errors[0]
            if self.person.has_field(first.field):
                self.set_focus(self.person.control(first.field))
            self.notify(t("ui.fix_first", field=t(f"field.{first.field}"), message=first.message), severity="error")
            return
        form = self.person.read()

        def reason_given(reason: str | None) -> None:
            if reason is None:
                return
            try:
                done = review.amend(self.app.store, self.app.account, self.entry_id, form, reason)
            except PersonProblems as exc:
                first = exc.problems[0]
                self.notify(t("ui.fix_first", field=t(f"field.{first.field}"), message=first.message),
                            severity="error")
                return
            except CheckpointError as exc:
                self.notify(exc.message, severity="error", timeout=8)
                return
            fields = "、".join(t(f"field.{f}") for f in done.fields)
            self.app.notify(t("review.amend_saved_after" if done.after_signoff else "review.amend_saved",
                              fields=fields))
            self.dismiss(True)

        self.app.push_screen(AskTextModal(t("review.amend_reason")), reason_given)

    def action_cancel(self) -> None:
        ask_before_leaving(self, lambda: self.dismiss(False))
