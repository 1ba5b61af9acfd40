"""Every name the pages, the README and the snippets import from forkdocs still resolves,
from the module path they use: moving code keeps import paths (the pages' code is the public
API)."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").rglob("*.md")),
    *sorted((ROOT / "snippets").glob("*.py")),
]
FROM_IMPORT = re.compile(
    r"^[ \t>]*from (forkdocs(?:\.\w+)*) import \(?([\w, \t\n]+?)\)?$", re.MULTILINE
)
IMPORT = re.compile(r"^[ \t>]*import (forkdocs(?:\.\w+)*)", re.MULTILINE)


def imported_names() -> set[tuple[str, str, str]]:
    """(source, module, name) for each name imported from forkdocs; name "" for a module."""
    found = set()
    for path in SOURCES:
        text = path.read_text()
        where = str(path.relative_to(ROOT))
        for module, names in FROM_IMPORT.findall(text):
            for item in names.split(","):  # "name" or "name as alias"
                name = item.split()[0] if item.split() else ""
                if name:
                    found.add((where, module, name))
        for module in IMPORT.findall(text):
            found.add((where, module, ""))
    return found


NAMES = sorted(imported_names())


def test_the_pages_import_something() -> None:
    assert len(NAMES) > 50, NAMES


@pytest.mark.parametrize(("where", "module", "name"), NAMES)
def test_an_imported_name_resolves(where: str, module: str, name: str) -> None:
    imported = importlib.import_module(module)
    if name:
        assert hasattr(imported, name) or importlib.util.find_spec(f"{module}.{name}"), (
            f"{where}: from {module} import {name} no longer resolves"
        )


def test_every_error_class_is_exported_from_the_package() -> None:
    import forkdocs
    from forkdocs.common import errors

    classes = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.ForkdocsError)
    }
    assert classes <= set(forkdocs.__all__), classes - set(forkdocs.__all__)
