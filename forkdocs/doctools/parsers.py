"""Sybil parsers for the guide's Python examples.

- :class:`PythonParser` runs ``python`` fences (and their aliases) as code, or as doctests when
  the first line that is not blank or a comment starts with ``>>>``; ``pycon`` fences are
  always doctests. A code fence followed directly by an output fence (```` ```text
  title="Output" ````) has its printed output checked against it.
- :class:`InvisibleCodeParser` runs ``<!-- invisible-code-block: python -->`` comments.
- :class:`SkipParser` is Sybil's ``<!-- skip: ... -->``, except that a skip without a reason is
  reported as skipped rather than passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from unittest import SkipTest

from sybil import Document, Example, Region
from sybil.evaluators.skip import Skipper, SkipState
from sybil.example import NotEvaluated
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import SkipParser as SybilSkipParser
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer

from forkdocs.doctools.evaluators import CodeEvaluator, DocTestEvaluator, OutputBlock
from forkdocs.doctools.fences import FenceLexer, fence_spans, inside
from forkdocs.doctools.text import line_of, line_start

#: Fence languages an output block may have.
OUTPUT_LANGUAGES = ("text", "console", "")


def starts_as_doctest(source: str) -> bool:
    """True when the first line that is neither blank nor a ``#`` comment starts with ``>>>``."""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped.startswith(">>>")
    return False


def is_output_fence(region: Region) -> bool:
    """An output block: a text (or console, or bare) fence titled "Output", or of class output."""
    fence = region.lexemes["fence"]
    marked = fence.attributes.get("title", "").lower() == "output" or "output" in fence.classes
    return bool(region.lexemes["language"] in OUTPUT_LANGUAGES and marked)


class PythonParser:
    """Yields one region per Python fence, or one per ``>>>`` statement of a doctest fence."""

    def __init__(self, doctest_optionflags: int = 0) -> None:
        self.lexer = FenceLexer()
        self.code_evaluator = CodeEvaluator()
        self.doctest_parser = DocTestStringParser(DocTestEvaluator(doctest_optionflags))  # type: ignore[arg-type]

    def __call__(self, document: Document) -> Iterable[Region]:
        fences = list(self.lexer(document))
        for index, region in enumerate(fences):
            language = region.lexemes["language"]
            if language not in ("python", "pycon"):
                continue
            source = region.lexemes["source"]
            if language == "pycon" or starts_as_doctest(source):
                yield from self._doctests(document, region, source)
                continue
            region.parsed = source
            region.evaluator = self.code_evaluator
            following = fences[index + 1] if index + 1 < len(fences) else None
            if (
                following is not None
                and adjacent(document, region, following)
                and is_output_fence(following)
            ):
                region.lexemes["output"] = _output_block(document, following)
            yield region

    def _doctests(self, document: Document, fence: Region, source: Any) -> Iterator[Region]:
        """One region per example, placed on the example's real line (Sybil's own placement
        drifts inside indented blocks)."""
        first_line = line_of(document.text, fence.start) + source.line_offset + 1
        prefix = fence.lexemes["prefix"]
        for region in self.doctest_parser(source, document.path):
            example = region.parsed
            start_line = first_line + example.lineno
            last_line = start_line + example.source.count("\n") + example.want.count("\n")
            start = line_start(document.text, start_line) + len(prefix)
            end = line_start(document.text, last_line) if last_line > start_line else start + 1
            lexemes = {"block": fence.start, "prefix": prefix, "column": len(prefix) + 1}
            yield Region(start, max(end - 1, start + 1), example, region.evaluator, lexemes)


def adjacent(document: Document, before: Region, after: Region) -> bool:
    """Only blank lines (in a blockquote, only ``>`` markers) stand between the two fences."""
    return not document.text[before.end : after.start].replace(">", "").strip()


def _output_block(document: Document, fence: Region) -> OutputBlock:
    first = line_of(document.text, fence.start) + 1
    last = line_of(document.text, fence.end) if fence.lexemes["closed"] else first
    return OutputBlock(first, last, fence.lexemes["prefix"], str(fence.lexemes["source"]))


class InvisibleCodeParser:
    """Runs ``<!-- invisible-code-block: python ... -->``: set-up the reader does not see."""

    def __init__(self) -> None:
        # Only a comment naming Python is a block: a bare <!-- code --> is prose (sybil#145).
        self.lexer = DirectiveInHTMLCommentLexer(
            directive=r"(invisible-)?code(-block)?", arguments=r"(?:python3?|py)\b"
        )
        self.evaluator = CodeEvaluator()

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in self.lexer(document):
            region.parsed = region.lexemes["source"]
            region.evaluator = self.evaluator
            yield region


class OutsideFences:
    """Wraps a directive parser so that directives shown inside a fence (as Markdown source)
    are not acted upon."""

    def __init__(self, parser: Any) -> None:
        self.parser = parser

    def __call__(self, document: Document) -> Iterable[Region]:
        spans = fence_spans(document)
        return (region for region in self.parser(document) if not inside(region.start, spans))


class ReasonlessSkipper(Skipper):
    """Sybil's skipper, with two differences: ``skip: next`` skips the whole next *block*
    (every ``>>>`` statement of a doctest fence, not just the first), and a skip with no
    reason skips visibly (SkipTest) instead of passing."""

    def __init__(self, directive: str) -> None:
        super().__init__(directive)
        self.blocks: dict[Document, object] = {}

    def install(self, example: Example, state: SkipState, reason: str | None) -> None:
        super().install(example, state, reason)
        if not reason:
            state.exception = SkipTest("skipped by a skip directive that gives no reason")

    def evaluate_skip_example(self, example: Example) -> None:
        state = self.document_state.get(example.document)
        if state is not None and state.remove and example.document in self.blocks:
            self.remove(example)  # the block an earlier `skip: next` covered is behind us
        super().evaluate_skip_example(example)

    def evaluate_other_example(self, example: Example) -> None:
        state = self.state_for(example)
        if state.remove:
            block = example.region.lexemes.get("block", example.region.start)
            skipped = self.blocks.setdefault(example.document, block)
            if skipped != block:  # past the skipped block: this example runs normally
                self.remove(example)
                raise NotEvaluated()
        if not state.active:
            raise NotEvaluated()
        if state.exception is not None:
            raise state.exception

    def remove(self, example: Example) -> None:
        super().remove(example)
        self.blocks.pop(example.document, None)


class SkipParser(SybilSkipParser):
    """``<!-- skip: next "reason" -->``, ``skip: start`` / ``skip: end``, ``skip: next if(...)``."""

    def __init__(self) -> None:
        super().__init__()
        self.skipper = ReasonlessSkipper(self.directive)
