"""Every fenced block of every page, accounted for.

Each block is one of: ``executed`` (a Python block that runs, or a C block that a ``run-c``
directive builds and runs), ``doctest``, ``invisible`` (a hidden set-up block), ``output``
(the expected output of the block before it), ``skipped`` (with its reason),
``conditional`` (skipped or run depending on a ``skip: next if(...)``), ``shown`` (another
language, shown only), ``source`` (a fence shown as Markdown source: nested in another fence
or in a comment), ``unclosed`` (a fence never closed, which Markdown
shows as a paragraph) or ``unknown`` (no language, or one that Pygments does not know).

:func:`problems` lists what strict mode refuses: a Python-looking block that is neither run
nor skipped with a reason, a skip without a reason, an unclosed Python fence, and a page with
no visible example that runs (an invisible block is set-up, not an example) unless it is
marked ``<!-- prose-only: reason -->``.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from sybil import Region

from forkdocs.doctools.document import PageDocument
from forkdocs.doctools.fences import FenceLexer, comment_spans, inside
from forkdocs.doctools.parsers import RUN_C, adjacent, is_output_fence, starts_as_doctest
from forkdocs.doctools.text import column_of

# Directives as Sybil's lexer finds them: a comment at the start of a line.
_SKIP = re.compile(
    r"^[ \t]*<!--\s*skip:\s*(?P<action>next|start|end)\b(?P<reason>.*?)-->",
    re.DOTALL | re.MULTILINE,
)
_INVISIBLE = re.compile(
    r"^[ \t]*<!--\s*(?:invisible-)?code(?:-block)?:\s*(?:python3?|py)\b", re.MULTILINE
)
_PROSE_ONLY = re.compile(r"^[ \t]*<!--\s*prose-only:?(?P<reason>.*?)-->", re.DOTALL | re.MULTILINE)
_PYTHON_HINTS = re.compile(
    r"^\s*(import |from \w|def |class |assert |print\(|>>> |\w+\s*=[^=]|[\w.]+\(.*\)\s*$)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Block:
    """One fenced block (or invisible block) of a page."""

    line: int
    column: int
    language: str
    kind: str
    reason: str = ""


@dataclass
class PageInventory:
    """The blocks of one page, and whether it is marked prose-only."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    prose_only: str | None = None

    def counts(self) -> Counter[str]:
        return Counter(block.kind for block in self.blocks)

    def problems(self) -> list[str]:
        """What strict mode refuses, as ``path:line:column: message`` lines."""
        found = []
        for block in self.blocks:
            where = f"{self.path}:{block.line}:{block.column}"
            if block.kind == "skipped" and not block.reason:
                found.append(f'{where}: a skip without a reason; write <!-- skip: next "why" -->')
            if block.kind == "unclosed" and block.reason == "python-looking":
                found.append(
                    f"{where}: this fence is never closed, so Markdown shows it as text and it does not run"
                )
            if block.kind == "unknown" and block.reason == "python-looking":
                found.append(
                    f"{where}: this block looks like Python but is not run: mark it ```python to run it,"
                    " or ```text to show it"
                )
        ran = sum(self.counts()[kind] for kind in ("executed", "doctest", "conditional"))
        if not ran and self.prose_only is None:
            found.append(
                f"{self.path}:1:1: no example on this page runs; add one, or mark the page <!-- prose-only: why -->"
            )
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "blocks": [asdict(block) for block in self.blocks],
            "counts": dict(self.counts()),
            "prose_only": self.prose_only,
            "problems": self.problems(),
        }


def take(document: PageDocument, display_path: str) -> PageInventory:
    """The inventory of one parsed page (lines and columns are the page's own)."""
    text = document.text
    inventory = PageInventory(display_path)
    prose = _PROSE_ONLY.search(text)
    if prose:
        inventory.prose_only = prose.group("reason").strip().strip("\"'") or "(no reason)"
    fences = FenceLexer().classified(document)
    fenced = [(region.start, region.end) for region, _ in fences]
    hidden = comment_spans(text, fenced)
    events: list[tuple[int, str, Any]] = [
        (m.start(), "skip", (m.group("action"), _reason(m.group("reason"))))
        for m in _SKIP.finditer(text)
        if not inside(m.start(), fenced) and not inside(m.start(), hidden)
    ]
    events += [
        (m.start(), "invisible", None)
        for m in _INVISIBLE.finditer(text)
        if not inside(m.start(), fenced) and not inside(m.start(), hidden)
    ]
    events += [
        (m.start(), "run-c", None)
        for m in RUN_C.finditer(text)
        if not inside(m.start(), fenced) and not inside(m.start(), hidden)
    ]
    events += [(region.start, "fence", (region, as_source)) for region, as_source in fences]
    events.sort(key=lambda event: event[0])
    pending: tuple[str, str] | None = None
    run_c = False
    previous: Region | None = None
    for position, kind, payload in events:
        line = document.page_line_of(position)
        if kind == "skip":
            action, reason = payload
            pending = None if action == "end" else (action, reason)
            continue
        if kind == "run-c":
            run_c = True
            continue
        if kind == "invisible":
            block_kind, reason = "invisible", ""
            if pending is not None:
                block_kind, reason, pending = _skipped(pending)
            inventory.blocks.append(
                Block(line, column_of(text, position), "python", block_kind, reason)
            )
            continue
        region, as_source = payload
        language = region.lexemes["language"]
        column = region.lexemes["column"]
        if as_source:
            inventory.blocks.append(Block(line, column, language, "source"))
            continue
        block_kind, reason = _classify(document, region, language, previous)
        if run_c and language == "c":
            block_kind, run_c = "executed", False
        if block_kind in ("executed", "doctest") and pending is not None:
            block_kind, reason, pending = _skipped(pending)
        inventory.blocks.append(Block(line, column, language, block_kind, reason))
        previous = region
    return inventory


def _skipped(pending: tuple[str, str]) -> tuple[str, str, tuple[str, str] | None]:
    """How a pending skip classifies the block it reaches, and what stays pending after it."""
    action, reason = pending
    kind = "conditional" if reason.startswith("if") else "skipped"
    return kind, reason, (None if action == "next" else pending)


def _classify(
    document: PageDocument, region: Region, language: str, previous: Region | None
) -> tuple[str, str]:
    source = str(region.lexemes["source"])
    python_like = language in ("python", "pycon") or looks_like_python(source)
    if not region.lexemes["closed"]:
        return "unclosed", "python-looking" if python_like else ""
    if language in ("python", "pycon"):
        return ("doctest" if language == "pycon" or starts_as_doctest(source) else "executed"), ""
    if previous is not None and adjacent(document, previous, region) and is_output_fence(region):
        return "output", ""
    if language and _known_language(language):
        return "shown", ""
    return "unknown", "python-looking" if python_like else ""


def looks_like_python(source: str) -> bool:
    """True for text that parses as Python and has a statement a reader would recognise."""
    if not _PYTHON_HINTS.search(source):
        return False
    try:
        ast.parse(source.replace(">>> ", "").replace("... ", ""))
    except SyntaxError:
        return False
    return True


def _known_language(language: str) -> bool:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(language)
    except ClassNotFound:
        return language in ("mermaid", "plain")
    return True


def _reason(raw: str) -> str:
    return raw.strip().strip("\"'").strip()
