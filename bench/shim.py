"""A stopgap for a broken import on the `structure` branch, so the UI can be measured at all.

checkpoint/app.py (`warn_about_clock`, run at the first login of every process) imports
`checkpoint.domain.clock_check`, which the #17 move left in `checkpoint.services.clock_check`: the
real program ends with "程序遇到意外错误" right after the desk is shown. The bench may not change
checkpoint/ (other work is moving it), so its UI processes import through this finder: it is
consulted only when no real module of that name exists (it sits last on sys.meta_path) and then
hands out the services module. Once app.py no longer names it, `needed()` is false: the run
records no note (the finder, installed or not, is then never asked).

`CODE` is the same, as source, for the bench's child processes.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

MISSING, FOUND_IN = "checkpoint.domain.clock_check", "checkpoint.services.clock_check"

CODE = f"""
import importlib, importlib.abc, importlib.machinery, sys
class _Moved(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        return importlib.machinery.ModuleSpec(name, self) if name == {MISSING!r} else None
    def create_module(self, spec):
        return importlib.import_module({FOUND_IN!r})
    def exec_module(self, module):
        pass
sys.meta_path.append(_Moved())
"""


def needed() -> bool:
    """Whether the program still imports a module that is not there (read from app.py's source, so
    nothing of the app is imported here)."""
    app = importlib.util.find_spec("checkpoint.app")
    if app is None or app.origin is None or MISSING not in Path(app.origin).read_text(encoding="utf-8"):
        return False
    try:
        return importlib.util.find_spec(MISSING) is None
    except ModuleNotFoundError:
        return True


def install() -> None:
    """In this process (the bench's own Pilot figures)."""
    exec(CODE, {})


NOTE = (f"the program's UI imports {MISSING}, which is not there (it is {FOUND_IN}); the bench's UI "
        "processes were given that module under the old name (bench/shim.py), or the desk would end at login")
