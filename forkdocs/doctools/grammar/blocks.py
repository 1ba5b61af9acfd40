"""The one classifier of a page's blocks, shared by the parsers (what runs) and the inventory
(what strict mode accounts for).

A *block* is a fenced block, or a directive that runs code (hidden code, a figure or table
script). [`classify()`][forkdocs.doctools.grammar.blocks.classify] walks the fences and the directives of a page in order and gives
each block one kind:

- ``executed``: Python code that runs (a fence Pygments highlights with its Python lexer),
  or a ``c`` fence that a ``run-c`` directive builds and runs;
- ``doctest``: a Python console block (``pycon``, ``python-console``), or a Python block whose
  first statement starts with ``>>>``; each statement runs and its output is compared;
- ``invisible``: hidden set-up code; ``figure`` / ``table``: a script whose output becomes a
  figure or a table in the built page;
- ``exercise``: the starting code of an exercise, and ``exercise-check``,
  ``exercise-solution``, ``exercise-answer``: its parts
  ([`exercises`][forkdocs.doctools.grammar.exercises]); an exercise runs on its own, never in
  the page's namespace;
- ``output``: the expected output of the code block right before it (a ``text``,
  ``console`` or bare fence titled "Output" or of class ``output``);
- ``skipped`` / ``conditional``: under a ``skip`` directive (``conditional``: ``if(...)``);
- ``not-run``: under a ``not-run`` directive, with its reason;
- ``shown``: any other language Pygments knows; ``unknown``: no language, or one Pygments
  does not know; ``source``: a fence shown as Markdown source (nested in another fence, or
  inside an HTML comment that is not a directive); ``unclosed``: never closed, so Markdown
  shows it as a paragraph.

A directive that cannot apply (``skip: next`` whose next block does not run, ``run-c`` not
right above a ``c`` fence, ``skip: start`` that never ends...) is an error naming the page
and line of the directive and of the block.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sybil import Region

from forkdocs.doctools.grammar.directives import (
    Directive,
    DirectiveError,
    Skip,
    find,
    parse_runs,
    parse_script,
    parse_skip,
)
from forkdocs.doctools.grammar.exercises import PARTS, Exercise, parse_exercise, parse_part
from forkdocs.doctools.grammar.fences import (
    PYTHON_LEXERS,
    FenceLexer,
    comment_spans,
    inside,
    lexer_class,
    python_role,
)
from forkdocs.doctools.grammar.text import column_of

#: Kinds of block that run under the harness.
RUN_KINDS = frozenset({"executed", "doctest", "invisible", "figure", "table", "exercise"})
#: Kinds of the parts of an exercise (run with it, never on their own).
EXERCISE_PARTS = frozenset({"exercise-check", "exercise-solution", "exercise-answer"})
#: Fence languages an output block may have.
OUTPUT_LANGUAGES = ("text", "console", "")
_PYTHON_HINTS = re.compile(
    r"^\s*(import |from \w|def |class |assert |print\(|>>> |\w+\s*=[^=]|[\w.]+\(.*\)\s*$)",
    re.MULTILINE,
)


@dataclass
class Block:
    """One block of a page. ``start``/``end`` are offsets in the expanded text; ``region`` is
    the fence (None for a directive block); ``skip`` the skip that covers it; ``output`` the
    output fence that follows a code block; ``directive`` the directive that made it (hidden
    code, figure, table, run-c); ``browser`` why a ``not-in-browser`` directive keeps it
    from running in the reader's browser (empty: nothing does)."""

    kind: str
    language: str
    lexer: str
    start: int
    end: int
    region: Region | None = None
    reason: str = ""
    skip: Skip | None = None
    output: Region | None = None
    directive: Directive | None = None
    browser: str = ""
    #: the exercise this block starts (kind ``exercise``) or is a part of
    exercise: Exercise | None = None

    @property
    def runs(self) -> bool:
        """True when the harness runs (or skips at run time) this block."""
        return self.kind in RUN_KINDS or self.kind in ("skipped", "conditional")


@dataclass
class PageBlocks:
    """The blocks of a page in order, its ``clear-namespace`` directives, its prose-only
    reason (None: not prose-only), the directives that could not apply (``errors``: a
    [`DirectiveError`][forkdocs.doctools.grammar.directives.DirectiveError] per problem) and
    its exercises, in order."""

    blocks: list[Block] = field(default_factory=list)
    clears: list[Directive] = field(default_factory=list)
    prose_only: str | None = None
    errors: list[DirectiveError] = field(default_factory=list)
    exercises: list[Exercise] = field(default_factory=list)


#: A function from an expanded-text offset to "page:line" for messages.
Where = Callable[[int], str]


def classify(document: Any, where: Where, lexers: Mapping[str, str] | None = None) -> PageBlocks:
    """Classify the blocks of ``document`` (a Sybil document whose text is expanded).

    ``where`` names an offset's page:line; ``lexers`` maps extra fence languages to Pygments
    lexer names (pymdownx.highlight's ``extend_pygments_lang``).
    """
    text = document.text
    regions = FenceLexer().every(document)
    spans = [(region.start, region.end) for region in regions]
    directives = [d for d in find(text) if not inside(d.start, spans)]
    hidden = comment_spans(text, spans, [d.start + len(d.prefix) for d in directives])
    directives = [d for d in directives if not inside(d.start, hidden)]
    fences = FenceLexer.classified(regions, hidden)
    walk = _Walk(text, where, dict(lexers or {}))
    events: list[tuple[int, Any]] = [(d.start, d) for d in directives]
    events += [(region.start, (region, as_source)) for region, as_source in fences]
    for _, event in sorted(events, key=lambda e: e[0]):
        try:
            if isinstance(event, Directive):
                walk.directive(event)
            else:
                walk.fence(*event)
        except DirectiveError as error:
            walk.page.errors.append(error)
    walk.finish()
    return walk.page


class _Walk:
    """The state of one pass over a page: pending directives, the open skip range."""

    def __init__(self, text: str, where: Where, lexers: dict[str, str]) -> None:
        self.text = text
        self.where = where
        self.lexers = lexers
        self.page = PageBlocks()
        self.pending: tuple[Directive, Any] | None = None  # (directive, what it says)
        self.range: tuple[Directive, Skip] | None = None
        #: a not-in-browser directive waiting for its block (it may stand above a skip)
        self.browser: tuple[Directive, str] | None = None
        self.outer_end = -1
        self.previous: Block | None = None

    def directive(self, directive: Directive) -> None:
        here = self.where(directive.start)
        name = directive.name
        if name == "clear-namespace":
            self.page.clears.append(directive)
        elif name == "prose-only":
            self.page.prose_only = directive.reason or "(no reason)"
        elif name == "skip":
            skip = parse_skip(directive, here)
            if skip.action == "next":
                self._expect(directive, skip)
            elif skip.action == "start":
                if self.range is not None:
                    raise DirectiveError(
                        f"{here}: skip: start inside the skip range opened at"
                        f" {self.where(self.range[0].start)}; close it first with <!-- skip: end -->"
                    )
                self.range = (directive, skip)
            elif self.range is None:
                raise DirectiveError(f"{here}: skip: end without a skip: start before it")
            else:
                self.range = None
        elif name == "not-run":
            if not directive.reason:
                raise DirectiveError(
                    f'{here}: not-run needs a reason, as in <!-- not-run: "Starlark" -->'
                )
            self._expect(directive, directive.reason)
        elif name == "not-in-browser":
            if not directive.reason:
                raise DirectiveError(
                    f'{here}: not-in-browser needs a reason, as in <!-- not-in-browser: "reads'
                    " the repository's files\" -->"
                )
            if self.browser is not None:
                raise DirectiveError(
                    f"{here}: not-in-browser follows the one at {self.where(self.browser[0].start)}"
                    " with no block between them"
                )
            self.browser = (directive, directive.reason)
        elif name == "run-c":
            self._expect(directive, parse_runs(directive.body, here))
        elif name == "exercise":
            opened = parse_exercise(directive, here)
            opened.places["exercise"] = here
            self.page.exercises.append(opened)
            self._expect(directive, opened)
        elif name in PARTS:
            exercise = self.page.exercises[-1] if self.page.exercises else None
            self._expect(directive, (exercise, parse_part(directive, exercise, here)))
        elif name in ("figure", "table"):
            parse_script(directive, here)
            self._block(
                Block(
                    name,
                    "python",
                    "PythonLexer",
                    directive.start,
                    directive.end,
                    directive=directive,
                )
            )
        else:  # hidden code
            self._block(
                Block(
                    "invisible",
                    "python",
                    "PythonLexer",
                    directive.start,
                    directive.end,
                    directive=directive,
                )
            )

    def _expect(self, directive: Directive, said: Any) -> None:
        """``directive`` applies to the next block."""
        if self.pending is not None:
            first = self.pending[0]
            raise DirectiveError(
                f"{self.where(directive.start)}: {directive.name} follows {first.name} at"
                f" {self.where(first.start)} with no block between them; each applies to the next block"
            )
        self.pending = (directive, said)

    def fence(self, region: Region, as_source: bool) -> None:
        language = region.lexemes["language"]
        if region.start < self.outer_end or as_source:
            self.outer_end = max(self.outer_end, region.end)
            self.page.blocks.append(self._make("source", region, language, ""))
            return
        self.outer_end = region.end
        resolved = self.lexers.get(language, language)
        found = lexer_class(resolved)
        lexer, role = found.__name__ if found else "", python_role(resolved)
        source = str(region.lexemes["source"])
        if not region.lexemes["closed"]:
            python_like = lexer in PYTHON_LEXERS or looks_like_python(source)
            kind = "unclosed"
            reason = "python-looking" if python_like else ""
        elif role == "pycon" or (role == "python" and starts_as_doctest(source)):
            kind, reason = "doctest", ""
        elif role == "python":
            kind, reason = "executed", ""
        elif role == "python2":  # the site draws it as Python: run it, or say why not
            kind, reason = "shown", "drawn as Python"
        elif self._follows_code(region) and is_output_fence(region):
            kind, reason = "output", ""
            assert self.previous is not None
            self.previous.output = region
        elif is_output_fence(region):  # an output block with no code block just before it
            kind, reason = "shown", "output compared with nothing"
        elif lexer or language in ("plain", "mermaid"):
            kind, reason = "shown", ""
        else:
            kind = "unknown"
            reason = "python-looking" if looks_like_python(source) else ""
        self._block(self._make(kind, region, language, lexer, reason))

    def _follows_code(self, region: Region) -> bool:
        before = self.previous
        return (
            before is not None
            and before.region is not None
            and before.kind in ("executed", "skipped", "conditional", "not-run")
            and not self.text[before.region.end : region.start].replace(">", "").strip()
        )

    @staticmethod
    def _make(kind: str, region: Region, language: str, lexer: str, reason: str = "") -> Block:
        return Block(kind, language, lexer, region.start, region.end, region, reason)

    def _block(self, block: Block) -> None:
        """Apply the pending directive, or the open skip range, to ``block`` and keep it."""
        if block.kind == "output":
            self.page.blocks.append(block)
            return
        if self.pending is not None:
            directive, said = self.pending
            self.pending = None
            self._apply(directive, said, block)
        elif self.range is not None and block.kind in RUN_KINDS:
            _skipped(block, self.range[1])
        if self.browser is not None:
            self._not_in_browser(*self.browser, block)
            self.browser = None
        self.page.blocks.append(block)
        self.previous = block

    def _apply(self, directive: Directive, said: Any, block: Block) -> None:
        here, there = self.where(directive.start), self.where(block.start)
        described = (
            f"a ```{block.language} block" if block.region is not None else f"a {block.kind} block"
        )
        if directive.name == "not-run":
            if block.region is None or (
                block.kind not in RUN_KINDS and block.reason != "drawn as Python"
            ):
                raise DirectiveError(
                    f"{here}: not-run applies to the next fenced block, which must be one the"
                    f" harness would run, not {described} at {there} (a block that is only"
                    " shown needs no directive)"
                )
            block.kind, block.reason = "not-run", said
        elif directive.name == "exercise" or directive.name in PARTS:
            self._exercise(directive, said, block, described)
        elif directive.name == "run-c":
            if (
                block.language != "c"
                or block.region is None
                or self.text[directive.end : block.start].strip()
            ):
                raise DirectiveError(
                    f"{here}: run-c must stand right above a ```c fence (only blank lines"
                    f" between them); the next block is {described} at {there}"
                )
            block.kind, block.reason = "executed", ""
            block.directive = directive
        elif block.kind in RUN_KINDS:
            _skipped(block, said)
        else:
            raise DirectiveError(
                f"{here}: skip: next applies to the next block, {described} at {there},"
                " which the harness does not run; move the directive or remove it"
            )

    def _exercise(self, directive: Directive, said: Any, block: Block, described: str) -> None:
        """``block`` is the starting code of the exercise ``said`` (``exercise``), or the
        part of it that ``said`` names (``(exercise, part)``)."""
        exercise, part = (said, "start") if isinstance(said, Exercise) else said
        python = block.kind == "executed" and block.directive is None
        output = block.region is not None and is_output_fence(block.region)
        wanted = exercise.take(part, block.region, python, output)
        if wanted:
            raise DirectiveError(
                f"{self.where(directive.start)}: {directive.name} applies to the next block,"
                f" which must be {wanted}, not {described} at {self.where(block.start)}"
            )
        block.kind, block.reason = "exercise" if part == "start" else f"exercise-{part}", ""
        block.exercise = exercise

    def _not_in_browser(self, directive: Directive, reason: str, block: Block) -> None:
        """``block`` (a skip already applied) runs under pytest but not in a browser."""
        python = ("executed", "doctest", "invisible", "skipped", "conditional", "exercise")
        if block.kind not in python or block.language == "c":
            raise DirectiveError(
                f"{self.where(directive.start)}: not-in-browser applies to the next Python block"
                f" that runs, not to the {block.kind} block at {self.where(block.start)}"
            )
        block.browser = reason

    def finish(self) -> None:
        for block in self.page.blocks:
            if (
                block.directive is not None
                and block.directive.name == "run-c"
                and block.output is None
            ):
                self.page.errors.append(
                    DirectiveError(
                        f"{self.where(block.directive.start)}: the C program it runs needs an output"
                        ' block right after it (```text title="Output"), which holds what the program printed'
                    )
                )
        for waiting in (self.pending, self.browser):
            if waiting is None:
                continue
            directive = waiting[0]
            self.page.errors.append(
                DirectiveError(
                    f"{self.where(directive.start)}: {directive.name} has no block after it"
                )
            )
        for exercise in self.page.exercises:
            lacks = exercise.missing()
            if lacks:
                self.page.errors.append(
                    DirectiveError(
                        f"{exercise.places['exercise']}: this {exercise.kind} exercise needs "
                        + "; ".join(lacks)
                    )
                )
        if self.range is not None:
            self.page.errors.append(
                DirectiveError(
                    f"{self.where(self.range[0].start)}: skip: start never ends; add <!-- skip: end -->"
                )
            )


def _skipped(block: Block, skip: Skip) -> None:
    block.kind = "conditional" if skip.condition else "skipped"
    block.reason = skip.reason
    block.skip = skip


def is_output_fence(region: Region) -> bool:
    """An output block: a text (or console, or bare) fence titled "Output", or of class output."""
    fence = region.lexemes["fence"]
    marked = fence.attributes.get("title", "").lower() == "output" or "output" in fence.classes
    return bool(region.lexemes["language"] in OUTPUT_LANGUAGES and marked)


def starts_as_doctest(source: str) -> bool:
    """True when the first line that is neither blank nor a ``#`` comment starts with ``>>>``."""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped.startswith(">>>")
    return False


def looks_like_python(source: str) -> bool:
    """True for text that parses as Python and has a statement a reader would recognise."""
    if not _PYTHON_HINTS.search(source):
        return False
    try:
        ast.parse(source.replace(">>> ", "").replace("... ", ""))
    except SyntaxError:
        return False
    return True


def column(text: str, block: Block) -> int:
    """The 1-based column where ``block`` starts (its fence, or its directive's ``<!--``)."""
    if block.region is not None:
        return int(block.region.lexemes["column"])
    assert block.directive is not None
    return column_of(text, block.directive.start + len(block.directive.prefix))
