"""Sybil parsers for the guide's Python examples.

- :class:`PythonParser` runs ``python`` fences (and their aliases) as code, or as doctests when
  the first line that is not blank or a comment starts with ``>>>``; ``pycon`` fences are
  always doctests. A code fence followed directly by an output fence (```` ```text
  title="Output" ````) has its printed output checked against it.
- :class:`InvisibleCodeParser` runs ``<!-- invisible-code-block: python -->`` comments.
- :class:`CProgramParser` builds and runs a ``c`` fence that follows a
  ``<!-- run-c: FLAGS -- ARGS; ... -->`` directive, on the real kernel, and checks what it
  printed against the output fence after it.
- :class:`SkipParser` is Sybil's ``<!-- skip: ... -->``, except that a skip without a reason is
  reported as skipped rather than passed.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator
from typing import Any
from unittest import SkipTest

from sybil import Document, Example, Region
from sybil.evaluators.skip import Skipper, SkipState
from sybil.example import NotEvaluated
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import SkipParser as SybilSkipParser
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer

from forkdocs.doctools.evaluators import (
    CodeEvaluator,
    CProgramEvaluator,
    CRun,
    DocTestEvaluator,
    OutputBlock,
)
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


#: ``<!-- run-c: -O0 -- vfork; -O2 -- vfork -->``: the builds and runs of the next C fence.
RUN_C = re.compile(r"^[ \t]*<!--\s*run-c:(?P<runs>.*?)-->", re.DOTALL | re.MULTILINE)


class DirectiveError(ValueError):
    """A harness directive that cannot be obeyed; the message names page:line."""


def parse_runs(text: str, where: str) -> tuple[CRun, ...]:
    """The runs of a ``run-c`` directive: ``;``-separated, each ``FLAGS -- ARGS`` (flags
    alone, or nothing, mean ``-O2`` and no arguments)."""
    runs = []
    for part in text.split(";"):
        try:
            words = shlex.split(part)
        except ValueError as error:
            raise DirectiveError(f"{where}: run-c: {error} in {part.strip()!r}") from None
        flags, args = (
            (words[: words.index("--")], words[words.index("--") + 1 :])
            if "--" in words
            else (words, [])
        )
        bad = [flag for flag in flags if not flag.startswith("-")]
        if bad:
            raise DirectiveError(
                f"{where}: run-c: {bad[0]!r} is not a compiler flag; put program arguments"
                " after --, as in <!-- run-c: -O2 -- vfork -->"
            )
        runs.append(CRun(tuple(flags) or ("-O2",), tuple(args)))
    return tuple(runs)


class CProgramParser:
    """Yields one region per ``c`` fence announced by a ``run-c`` directive (only blank lines
    between them), with the output fence that must follow it."""

    def __init__(self) -> None:
        self.lexer = FenceLexer()
        self.evaluator = CProgramEvaluator()

    def __call__(self, document: Document) -> Iterable[Region]:
        fences = list(self.lexer(document))
        spans = fence_spans(document)
        for match in RUN_C.finditer(document.text):
            if inside(match.start(), spans):
                continue
            where = f"{document.path}:{line_of(document.text, match.start())}"
            runs = parse_runs(match.group("runs"), where)
            index = next((i for i, r in enumerate(fences) if r.start > match.end()), None)
            fence = fences[index] if index is not None else None
            if (
                fence is None
                or fence.lexemes["language"] != "c"
                or document.text[match.end() : fence.start].strip()
            ):
                raise DirectiveError(
                    f"{where}: run-c must stand right above a ```c fence (only blank lines"
                    " between them)"
                )
            assert index is not None
            following = fences[index + 1] if index + 1 < len(fences) else None
            if following is None or not (
                adjacent(document, fence, following) and is_output_fence(following)
            ):
                raise DirectiveError(
                    f"{where}: the C program it runs needs an output block right after it"
                    ' (```text title="Output"), which holds what the program printed'
                )
            title = fence.lexemes["fence"].attributes.get("title", "program.c")
            fence.parsed = (runs, title)
            fence.lexemes["output"] = _output_block(document, following)
            fence.evaluator = self.evaluator
            yield fence


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
