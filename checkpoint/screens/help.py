"""F1: help for the screen, from a Markdown file a writer can edit (checkpoint/help/*.md)."""

from __future__ import annotations

from importlib import resources

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from checkpoint.i18n import language


def _read(folder, topic: str) -> str | None:
    for name in (f"{topic}.{language()}.md", f"{topic}.zh.md"):
        path = folder.joinpath(name)
        if path.is_file():
            return path.read_text("utf-8")
    return None


def help_text(topic: str) -> str:
    """The screen's help, then the keys every screen has (common.md: lock, switch user, find)."""
    folder = resources.files("checkpoint").joinpath("help")
    return (_read(folder, topic) or f"# {topic}") + (_read(folder, "common") or "")


class MarkdownModal(ModalScreen[None]):
    """A page of Markdown to read (help, a handover record); Escape closes it."""

    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(self.text)

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(MarkdownModal):
    def __init__(self, topic: str) -> None:
        super().__init__(help_text(topic))
        self.topic = topic
