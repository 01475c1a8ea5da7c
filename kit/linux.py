"""The Linux kit: a wheelhouse and install.sh, installed with the network cut.

    checkpoint-<v>-linux-x86_64/
      install.sh            finds Python 3.11–3.13, checks SHA256SUMS, makes a venv, pip --no-index
      安装说明.txt
      wheels/               manylinux x86_64 wheels for CPython 3.11, 3.12 and 3.13, and the program
      requirements/cp3X.txt the pins with their hashes, one file per Python version
      kit-manifest.json, SHA256SUMS
"""

from __future__ import annotations

from pathlib import Path

PYTHONS = ["3.11", "3.12", "3.13"]
# glibc 2.28 or newer: Debian 10, Ubuntu 20.04, UOS 20, Kylin V10 and later. Such a system also runs
# every older manylinux wheel, and pip download takes only the platforms it is told, so all are named.
PIP_PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(28, 16, -1)] + [
    "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]
UV_PLATFORM = "x86_64-manylinux_2_28"
FILES = Path(__file__).parent / "files"


def write_installer(root: Path, version: str) -> None:
    text = (FILES / "install.sh").read_text(encoding="utf-8").replace("@@VERSION@@", version)
    target = root / "install.sh"
    target.write_bytes(text.encode("utf-8"))
    target.chmod(0o755)
