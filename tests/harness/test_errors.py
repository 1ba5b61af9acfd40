"""The harness's errors form one tree, and the drawing in its docstring is that tree."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import forkdocs.doctools
from forkdocs.doctools.errors import ExampleFailed, HarnessError, PageError


def harness_errors() -> dict[str, type[BaseException]]:
    """Every exception class the harness defines, by name."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(forkdocs.doctools.__path__, "forkdocs.doctools."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, member in vars(module).items():
            if (
                inspect.isclass(member)
                and issubclass(member, BaseException)
                and member.__module__ == module.__name__
            ):
                found[name] = member
    return found


ERRORS = harness_errors()


def test_every_harness_error_is_on_one_branch() -> None:
    """A page that cannot be collected, or an example that failed: never both, never
    neither (so collection catches the one root and a report can tell them apart)."""
    off = [
        name
        for name, error in ERRORS.items()
        if error not in (HarnessError, PageError, ExampleFailed)
        and issubclass(error, PageError) == issubclass(error, ExampleFailed)
    ]
    assert [] == off
    assert len(ERRORS) > 15, sorted(ERRORS)


def test_the_drawing_shows_every_error_on_its_branch() -> None:
    doc = inspect.getdoc(importlib.import_module("forkdocs.doctools.errors")) or ""
    tree = doc[doc.index("HarnessError") : doc.index("```", doc.index("HarnessError"))]
    missing = [name for name in ERRORS if not re.search(rf"\b{name}\b", tree)]
    ghosts = [word for word in re.findall(r"\b\w+(?:Error|Failed)\b", tree) if word not in ERRORS]
    assert ([], []) == (missing, ghosts)
    branch = tree.index("ExampleFailed")
    for name, error in ERRORS.items():
        if error not in (HarnessError, PageError, ExampleFailed):
            assert (tree.index(name) > branch) == issubclass(error, ExampleFailed), name
