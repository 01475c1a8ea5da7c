"""Every public service function says what it takes, returns and raises (#17): a function in
checkpoint/services/ or in the township's services without a docstring fails here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import checkpoint.services

TOWNSHIP_SERVICES = ("checkpoint.township.office", "checkpoint.township.collect", "checkpoint.township.bundle",
                     "checkpoint.township.report")


def service_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(checkpoint.services.__path__, "checkpoint.services.")]
    return sorted(names) + list(TOWNSHIP_SERVICES)


def undocumented(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    return [f"{module_name}.{name}" for name, obj in vars(module).items()
            if inspect.isfunction(obj) and obj.__module__ == module_name and not name.startswith("_")
            and not (inspect.getdoc(obj) or "").strip()]


def test_the_walk_finds_the_services():
    modules = service_modules()
    assert "checkpoint.services.registration" in modules
    assert "checkpoint.services.review.corrections" in modules
    assert len(modules) > 25


def test_every_public_service_function_has_a_docstring():
    missing = [name for module in service_modules() for name in undocumented(module)]
    assert missing == [], f"{len(missing)} public service functions without a docstring:\n" + "\n".join(missing)


# A function that raises one of the program's errors itself, or through a permission or set-up
# gate, says so in its docstring.
_RAISES = re.compile(r"raise (InputError|RefusedError|DatabaseError|FieldProblems|BundleRejected|RuleRefusal|"
                     r"PersonProblems|CheckpointError)\b|\brequire(_review|_station|_township|_open)?\(")


def silent_about_raising(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    return [f"{module_name}.{name}" for name, obj in vars(module).items()
            if inspect.isfunction(obj) and obj.__module__ == module_name and not name.startswith("_")
            and _RAISES.search(inspect.getsource(obj)) and "raise" not in (inspect.getdoc(obj) or "").lower()]


def test_a_service_function_that_raises_says_so():
    missing = [name for module in service_modules() for name in silent_about_raising(module)]
    assert missing == [], "public service functions that raise without saying so:\n" + "\n".join(missing)


def test_the_raising_check_sees_a_gate():
    assert _RAISES.search("    require(by, 'x')\n") and _RAISES.search("raise InputError('a')")
    assert not _RAISES.search("    return requirements(x)\n")
