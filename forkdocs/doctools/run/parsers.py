"""The Sybil parser of a guide page: one region per thing that runs, from the one classifier.

[`PageParser`][forkdocs.doctools.run.parsers.PageParser] classifies the page ([`classify()`][forkdocs.doctools.grammar.blocks.classify]) and yields:

- a code region per ``executed`` Python block (with its output block, if any);
- a region per ``>>>`` statement of a ``doctest`` block;
- a C-program region per ``run-c`` block;
- a code region per hidden block, and a script region per ``figure`` / ``table`` directive;
- a namespace-clearing region per ``clear-namespace`` directive.

Skipped and conditional blocks get their regions too, carrying the `Skip`; they are
reported as skipped when their turn comes. Every region's lexemes say its ``role``
(``example`` or ``directive``) and the ``block`` (offset) it belongs to.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sybil import Document, Region
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.region import Lexeme

from forkdocs.doctools.grammar.blocks import Block, PageBlocks, classify, starts_as_doctest
from forkdocs.doctools.grammar.directives import DirectiveError, parse_runs, parse_script
from forkdocs.doctools.grammar.text import line_of, line_start
from forkdocs.doctools.run.cevaluator import CProgramEvaluator
from forkdocs.doctools.run.exercise import ExerciseEvaluator, exercise_step
from forkdocs.doctools.run.output import OutputBlock
from forkdocs.doctools.run.pycon import DocTestEvaluator
from forkdocs.doctools.run.python import ClearNamespace, CodeEvaluator
from forkdocs.doctools.run.scripts import ScriptEvaluator


class PageParser:
    """Yields the regions of a page. ``lexers``: extra fence languages (pymdownx.highlight's
    ``extend_pygments_lang``) mapped to Pygments lexer names; ``root``: the folder figure and
    table scripts are named from."""

    def __init__(
        self, doctest_optionflags: int = 0, lexers: dict[str, str] | None = None, root: str = "."
    ) -> None:
        self.lexers = lexers or {}
        self.root = root
        self.code = CodeEvaluator()
        self.c_program = CProgramEvaluator()
        self.script = ScriptEvaluator()
        self.clear = ClearNamespace()
        self.exercise = ExerciseEvaluator()
        self.doctests = DocTestStringParser(DocTestEvaluator(doctest_optionflags))  # type: ignore[arg-type]

    def classify(self, document: Document) -> PageBlocks:
        """The page's blocks (computed once per document)."""
        found: PageBlocks | None = getattr(document, "blocks", None)
        if found is None:
            found = classify(document, where_in(document), self.lexers)
            document.blocks = found  # type: ignore[attr-defined]
        return found

    def __call__(self, document: Document) -> Iterable[Region]:
        page = self.classify(document)
        if page.errors:
            raise DirectiveError("\n".join(str(error) for error in page.errors))
        for block in page.blocks:
            yield from self._regions(document, block)
        for directive in page.clears:
            yield Region(directive.start, directive.end, None, self.clear, {"role": "directive"})

    def _regions(self, document: Document, block: Block) -> Iterator[Region]:
        kind = block.kind
        lexemes: dict[str, Any] = {"role": "example", "block": block.start, "skip": block.skip}
        if block.directive is not None and block.directive.name in ("figure", "table"):
            script, caption = parse_script(block.directive, "")
            lexemes.update(
                script=script, caption=caption, root=self.root, form=block.directive.name
            )
            yield Region(block.start, block.end, block.directive.name, self.script, lexemes)
        elif block.directive is not None and block.directive.name == "run-c":
            assert block.region is not None and block.output is not None
            runs = parse_runs(block.directive.body, "")
            title = block.region.lexemes["fence"].attributes.get("title", "program.c")
            lexemes.update(
                block.region.lexemes, **lexemes, output=output_block(document, block.output)
            )
            yield Region(block.start, block.end, (runs, title), self.c_program, lexemes)
        elif block.directive is not None:  # hidden code
            yield Region(
                block.start, block.end, hidden_source(block), self.code, {**lexemes, "column": 1}
            )
        elif kind == "exercise" and block.exercise is not None:
            step = exercise_step(document, block.exercise, block.browser)
            yield Region(block.start, block.end, step, self.exercise, lexemes)
        elif _is_doctest(block):
            yield from self._doctest(document, block, lexemes)
        elif kind in ("executed", "skipped", "conditional") and block.region is not None:
            region = block.region
            lexemes.update(region.lexemes, **lexemes)
            if block.output is not None:
                lexemes["output"] = output_block(document, block.output)
            yield Region(region.start, region.end, region.lexemes["source"], self.code, lexemes)

    def _doctest(
        self, document: Document, block: Block, lexemes: dict[str, Any]
    ) -> Iterator[Region]:
        """One region per statement, placed on the statement's real line (Sybil's own placement
        drifts inside indented blocks)."""
        fence = block.region
        assert fence is not None
        source = fence.lexemes["source"]
        first_line = line_of(document.text, fence.start) + source.line_offset + 1
        prefix = fence.lexemes["prefix"]
        for region in self.doctests(source, document.path):
            example = region.parsed
            start_line = first_line + example.lineno
            last_line = start_line + example.source.count("\n") + example.want.count("\n")
            start = line_start(document.text, start_line) + len(prefix)
            end = line_start(document.text, last_line) if last_line > start_line else start + 1
            mine = {**lexemes, "prefix": prefix, "column": len(prefix) + 1, "fence": fence}
            yield Region(start, max(end - 1, start + 1), example, region.evaluator, mine)


def _is_doctest(block: Block) -> bool:
    if block.kind == "doctest":
        return True
    if block.kind in ("skipped", "conditional") and block.region is not None:
        source = str(block.region.lexemes["source"])
        return block.lexer == "PythonConsoleLexer" or starts_as_doctest(source)
    return False


def output_block(document: Document, fence: Region) -> OutputBlock:
    """The output block a fence holds: its content lines (1-based, ``last`` exclusive)."""
    first = line_of(document.text, fence.start) + 1
    last = line_of(document.text, fence.end) if fence.lexemes["closed"] else first
    return OutputBlock(first, last, fence.lexemes["prefix"], str(fence.lexemes["source"]), fence)


def hidden_source(block: Block) -> Lexeme:
    """The code of a hidden block: the lines after its first, up to ``-->``, without the
    indentation (or blockquote markers) its directive line has."""
    directive = block.directive
    assert directive is not None
    lines = directive.body.split("\n")[1:]
    prefix = directive.prefix
    marker = prefix.rstrip()
    lines = [
        line[len(prefix) :]
        if line.startswith(prefix)
        else line[len(marker) :]
        if marker and line.startswith(marker)
        else line
        for line in lines
    ]
    return Lexeme(textwrap.dedent("\n".join(lines)), 0, 0)


def where_in(document: Document) -> Callable[[int], str]:
    """``page:line`` of an offset of ``document``'s text (through includes, the page's line)."""
    from forkdocs.doctools.grammar.text import display_path

    def where(position: int) -> str:
        line = (
            document.page_line_of(position)
            if hasattr(document, "page_line_of")
            else line_of(document.text, position)
        )
        return f"{display_path(document.path)}:{line}"

    return where
