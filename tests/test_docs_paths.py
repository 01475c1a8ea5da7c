"""Every file the documents name exists: a reader sent to `store/audit.py` after a move finds it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ["README.md", "SECURITY.md", "exports/README.md", "bench/README.md", "kit/README.md",
             *[str(p.relative_to(ROOT)) for p in sorted((ROOT / "docs").glob("*.md"))]]
PATH = re.compile(r"(?<![\w/.-])((?:[a-z_][a-z_0-9]*/)+[a-z_0-9]+\.(?:py|tcss|toml|md))\b")


def named_paths(text: str) -> set[str]:
    return set(PATH.findall(text))


def exists(path: str) -> bool:
    return any((base / path).exists() for base in (ROOT, ROOT / "checkpoint"))


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if (ROOT / d).exists()])
def test_every_file_a_document_names_exists(document):
    missing = sorted(p for p in named_paths((ROOT / document).read_text(encoding="utf-8")) if not exists(p))
    assert missing == [], f"{document} names files that are not there: {missing}"


def test_the_check_sees_a_missing_file():
    assert named_paths("the chain is in `store/audit.py`, see checkpoint/widgets/nothing_here.py") == \
        {"store/audit.py", "checkpoint/widgets/nothing_here.py"}
    assert not exists("checkpoint/widgets/nothing_here.py")
