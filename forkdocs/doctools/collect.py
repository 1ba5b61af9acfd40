"""The Sybil that collects the guide: ``docs/**/*.md`` and the top-level ``README.md``."""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path
from typing import Any

from sybil import Sybil
from sybil.parsers.markdown import ClearNamespaceParser

from forkdocs.doctools.document import PageDocument
from forkdocs.doctools.parsers import (
    CProgramParser,
    InvisibleCodeParser,
    OutsideFences,
    PythonParser,
    SkipParser,
)
from forkdocs.doctools.snippets import Snippets

#: Doctest flags every page gets: ``...`` matches anything, runs of whitespace compare equal.
DOCTEST_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE


def is_guide_page(root: Path, path: Path) -> bool:
    """True for the pages the harness runs: Markdown under ``docs/``, and ``README.md``."""
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    if relative == Path("README.md"):
        return True
    return relative.parts[0] == "docs" and relative.suffix == ".md"


class GuideSybil(Sybil):
    """A :class:`~sybil.Sybil` rooted at the project that parses :func:`is_guide_page` pages."""

    def should_parse(self, path: Path) -> bool:
        return is_guide_page(self.path, path)


def parsers() -> list[object]:
    """The parsers of a guide page, in the order their regions are added."""
    return [
        PythonParser(doctest_optionflags=DOCTEST_FLAGS),
        CProgramParser(),
        OutsideFences(InvisibleCodeParser()),
        OutsideFences(SkipParser()),
        OutsideFences(ClearNamespaceParser()),
    ]


def make_sybil(root: Path) -> Sybil:
    """The Sybil for the project rooted at ``root`` (the folder holding mkdocs.yml); snippets
    are expanded with the settings of its mkdocs.yml."""
    config = root / "mkdocs.yml"
    PageDocument.snippets = Snippets.from_mkdocs(config) if config.exists() else None
    return GuideSybil(
        parsers=parsers(),  # type: ignore[arg-type]
        path=str(root.resolve()),
        document_types={".md": PageDocument},
    )


def make_collector(root: Path) -> Any:
    """The ``pytest_collect_file`` hook for a conftest at ``root``: each guide page becomes a
    :class:`~forkdocs.doctools.items.DocFile`."""
    from forkdocs.doctools.items import DocFile

    sybil = make_sybil(root)

    def pytest_collect_file(file_path: Path, parent: Any) -> Any:
        if sybil.should_parse(file_path):
            return DocFile.from_parent(parent, path=file_path, sybils=[sybil])
        return None

    return pytest_collect_file
