"""The Sybil that collects the guide: ``docs/**/*.md`` and the top-level ``README.md``."""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path

from sybil import Sybil
from sybil.parsers.markdown import ClearNamespaceParser, SkipParser

from forkdocs.doctools.parsers import InvisibleCodeParser, PythonParser

#: Doctest flags every page gets: ``...`` matches anything, runs of whitespace compare equal.
DOCTEST_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE


class GuideSybil(Sybil):
    """A :class:`~sybil.Sybil` rooted at the project: Markdown under ``docs/``, and README.md."""

    def should_parse(self, path: Path) -> bool:
        try:
            relative = path.relative_to(self.path)
        except ValueError:
            return False
        if relative == Path("README.md"):
            return True
        return relative.parts[0] == "docs" and relative.suffix == ".md"


def make_sybil(root: Path) -> Sybil:
    """The Sybil for the project rooted at ``root`` (the folder holding mkdocs.yml)."""
    return GuideSybil(
        parsers=[
            PythonParser(doctest_optionflags=DOCTEST_FLAGS),
            InvisibleCodeParser(),
            SkipParser(),
            ClearNamespaceParser(),
        ],
        path=str(root.resolve()),
    )
