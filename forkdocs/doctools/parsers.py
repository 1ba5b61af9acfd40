"""Sybil parsers for the guide's Python examples.

- :class:`PythonParser` runs ``python`` fences (and their aliases) as code, or as doctests when
  the first line that is not blank or a comment starts with ``>>>``; ``pycon`` fences are
  always doctests.
- :class:`InvisibleCodeParser` runs ``<!-- invisible-code-block: python -->`` comments.
"""

from __future__ import annotations

from collections.abc import Iterable

from sybil import Document, Region
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer

from forkdocs.doctools.fences import FenceLexer


def starts_as_doctest(source: str) -> bool:
    """True when the first line that is neither blank nor a ``#`` comment starts with ``>>>``."""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped.startswith(">>>")
    return False


class PythonParser:
    """Yields one region per Python fence, or one per ``>>>`` statement of a doctest fence."""

    def __init__(self, doctest_optionflags: int = 0) -> None:
        self.lexer = FenceLexer()
        self.code_evaluator = PythonEvaluator()
        self.doctest_parser = DocTestStringParser(DocTestEvaluator(doctest_optionflags))

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in self.lexer(document):
            language = region.lexemes["language"]
            if language not in ("python", "pycon"):
                continue
            source = region.lexemes["source"]
            if language == "pycon" or starts_as_doctest(source):
                for doctest_region in self.doctest_parser(source, document.path):
                    doctest_region.adjust(region, source)
                    yield doctest_region
            else:
                region.parsed = source
                region.evaluator = self.code_evaluator
                yield region


class InvisibleCodeParser:
    """Runs ``<!-- invisible-code-block: python ... -->``: set-up the reader does not see."""

    def __init__(self) -> None:
        self.lexer = DirectiveInHTMLCommentLexer(
            directive=r"(invisible-)?code(-block)?", arguments=".+"
        )
        self.evaluator = PythonEvaluator()

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in self.lexer(document):
            if region.lexemes["arguments"].strip() in ("python", "py", "python3"):
                region.parsed = region.lexemes["source"]
                region.evaluator = self.evaluator
                yield region
