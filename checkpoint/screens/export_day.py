"""Export a day's bundle for the township (leader): choose the folder (a USB stick is fine), Enter,
watch the progress bar; the folder and zip made are shown. The work runs in a thread."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static

from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import export
from checkpoint.widgets.background_error import unexpected


class ExportModal(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "close", show=False), Binding("ctrl+s,f10", "export", show=False)]

    def __init__(self, day: str) -> None:
        super().__init__()
        self.day = day
        self.done = False
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(t("export.screen_title", day=self.day), id="export-title", markup=False)
            yield Static(self.signoff_text(), id="export-signoff", markup=False)
            yield Static(t("export.screen_folder"), markup=False)
            yield Input(str(export.default_out_dir(self.app.store)), id="export-folder", compact=True)
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static(t("export.screen_hint"), id="export-result", markup=False)

    def signoff_text(self) -> str:
        """Whether the day is signed off, as the bundle will say (已签核 / 未签核)."""
        from checkpoint.services.signoff import signoff_of

        try:
            done = signoff_of(self.app.store, self.day)
        except CheckpointError:
            return ""
        if done is None:
            return t("dayclose.export_not_signed", day=self.day)
        return t("dayclose.export_signed", day=self.day, by=done["by"], at=done["at"])

    def on_mount(self) -> None:
        self.query_one("#export-folder", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_export()

    def action_export(self) -> None:
        if self.running:
            return
        self.running = True
        self.query_one("#export-result", Static).update(t("export.screen_working"))
        self.run_export(self.query_one("#export-folder", Input).value.strip())

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(self, folder: str) -> None:
        bar = self.query_one(ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            with self.app.store.aside() as aside:   # the desk's connection stays free for other lanes
                result = export.export_day(aside, self.day, Path(folder) if folder else None, progress,
                                           by=self.app.account, now=self.app.now())
        except CheckpointError as exc:
            self.app.call_from_thread(self.finished, exc.message, False)
            return
        except Exception as exc:   # noqa: BLE001 — the screen must not stay "exporting" and unclosable
            self.app.call_from_thread(self.finished, unexpected(exc, "export"), False)
            return
        text = t("export.screen_done", revision=result.revision, folder=str(result.folder), zip=str(result.zip_path))
        if result.zero_report:
            text += t("export.screen_zero")
        self.app.call_from_thread(self.finished, text, True)

    def finished(self, text: str, ok: bool) -> None:
        self.running = False
        self.done = self.done or ok
        self.query_one("#export-result", Static).update(text)
        if not ok:
            self.notify(text, severity="error", timeout=8)

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.done)
