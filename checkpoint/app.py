"""The Textual App (filled in by the UI work)."""

from pathlib import Path


def run_app(path: Path, demo: bool = False) -> None:
    raise NotImplementedError
