"""Every fenced block of every page, accounted for.

Each block is one of: ``executed`` (a Python block that runs), ``doctest``, ``invisible`` (a
hidden set-up block), ``output`` (the expected output of the block before it), ``skipped``
(with its reason), ``shown`` (another language, shown only), ``source`` (a fence shown as
Markdown source: nested in another fence or in a comment) or ``unknown`` (no language, or one
that Pygments does not know).

:func:`problems` lists what strict mode refuses: a Python-looking block that is neither run
nor skipped with a reason, a skip without a reason, and a page with nothing executed that is
not marked ``<!-- prose-only: reason -->``.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from sybil import Document, Region
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

from forkdocs.doctools.fences import WHOLE_INFO_LINE, comment_spans, inside, parse_info
from forkdocs.doctools.parsers import is_output_fence, starts_as_doctest

_SKIP = re.compile(r"<!--\s*skip:\s*(?P<action>next|start|end)\b(?P<reason>.*?)-->", re.DOTALL)
_INVISIBLE = re.compile(
    r"<!--\s*(?:invisible-)?code(?:-block)?:\s*(?:python|py|python3)\s*\n", re.DOTALL
)
_PROSE_ONLY = re.compile(r"<!--\s*prose-only:?(?P<reason>.*?)-->", re.DOTALL)
_PYTHON_HINTS = re.compile(
    r"^\s*(import |from \w|def |class |assert |print\(|>>> |\w+\s*=[^=])", re.MULTILINE
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
            if block.kind == "unknown" and block.reason == "python-looking":
                found.append(
                    f"{where}: this block looks like Python but is not run: mark it ```python to run it,"
                    " or ```text to show it"
                )
        ran = sum(self.counts()[kind] for kind in ("executed", "doctest", "invisible"))
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


def take(document: Document, display_path: str) -> PageInventory:
    """The inventory of one parsed page."""
    text = document.text
    inventory = PageInventory(display_path)
    prose = _PROSE_ONLY.search(text)
    if prose:
        inventory.prose_only = prose.group("reason").strip().strip("\"'") or "(no reason)"
    all_fences = sorted(
        RawFencedCodeBlockLexer(info_pattern=WHOLE_INFO_LINE)(document),
        key=lambda r: (r.start, -r.end),
    )
    hidden = comment_spans(text)
    fenced = [(region.start, region.end) for region in all_fences]
    events: list[tuple[int, str, Any]] = [
        (m.start(), "skip", (m.group("action"), _reason(m.group("reason"))))
        for m in _SKIP.finditer(text)
        if not inside(m.start(), fenced)
    ]
    events += [
        (m.start(), "invisible", None)
        for m in _INVISIBLE.finditer(text)
        if not inside(m.start(), fenced)
    ]
    outer_end = -1
    previous: Region | None = None
    for region in all_fences:
        nested = region.start < outer_end
        if not nested:
            outer_end = region.end
        commented = any(start <= region.start < end for start, end in hidden)
        events.append((region.start, "fence", (region, nested or commented)))
    events.sort(key=lambda event: event[0])
    pending_skip: tuple[str, str] | None = None
    for position, kind, payload in events:
        line, column = _line_column(text, position)
        if kind == "skip":
            action, reason = payload
            pending_skip = None if action == "end" else (action, reason)
            continue
        if kind == "invisible":
            skipped = pending_skip is not None
            reason = pending_skip[1] if pending_skip else ""
            if pending_skip is not None and pending_skip[0] == "next":
                pending_skip = None
            inventory.blocks.append(
                Block(line, column, "python", "skipped" if skipped else "invisible", reason)
            )
            continue
        region, as_source = payload
        info = parse_info(region.lexemes["info"])
        column = _fence_column(text, position)
        if as_source:
            inventory.blocks.append(Block(line, column, info.language, "source"))
            continue
        fence_kind, reason = _classify(region, info.language, previous, text)
        if fence_kind in ("executed", "doctest") and pending_skip is not None:
            fence_kind, reason = "skipped", pending_skip[1]
            if pending_skip[0] == "next":
                pending_skip = None
        inventory.blocks.append(Block(line, column, info.language, fence_kind, reason))
        previous = region
    return inventory


def _classify(region: Region, language: str, previous: Region | None, text: str) -> tuple[str, str]:
    source = str(region.lexemes["source"])
    if language in ("python", "pycon"):
        return ("doctest" if language == "pycon" or starts_as_doctest(source) else "executed"), ""
    region.lexemes.setdefault("fence", parse_info(region.lexemes["info"]))
    region.lexemes.setdefault("language", language)
    if (
        previous is not None
        and not text[previous.end : region.start].strip()
        and is_output_fence(region)
    ):
        return "output", ""
    if language and _known_language(language):
        return "shown", ""
    return "unknown", "python-looking" if looks_like_python(source) else ""


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


def _line_column(text: str, position: int) -> tuple[int, int]:
    return text.count("\n", 0, position) + 1, position - text.rfind("\n", 0, position)


def _fence_column(text: str, position: int) -> int:
    line_end = text.find("\n", position)
    line = text[position : line_end if line_end >= 0 else len(text)]
    offset = min((line.find(mark) for mark in ("```", "~~~") if line.find(mark) >= 0), default=0)
    return position - text.rfind("\n", 0, position) + offset
