"""The harness checked against the renderer: the blocks it runs are the Python blocks the site
shows, no more and no fewer.

[`disagreements()`][forkdocs.doctools.check.crosscheck.disagreements] matches the fenced blocks the harness classified with the code blocks
the site renders ([`rendered`][forkdocs.doctools.check.rendered]), by their code (trailing spaces and
blank lines at either end do not count; order breaks ties). Then:

- a block the site renders with a Python lexer must be one the harness runs (or skips, or
  was told not to run with ``not-run``);
- a block the harness runs must be rendered, and with the lexer the harness assumed (Python
  for Python, C for a ``run-c`` program).

Each disagreement is a ``page:line: message`` line.
"""

from __future__ import annotations

from collections.abc import Callable

from forkdocs.doctools.check.rendered import RenderedBlock
from forkdocs.doctools.grammar.blocks import Block
from forkdocs.doctools.grammar.fences import PYTHON_LEXERS

#: Kinds of fenced block the site may render as Python.
ACCOUNTED = frozenset(
    {"executed", "doctest", "skipped", "conditional", "not-run", "exercise"}
    | {"exercise-check", "exercise-solution"}
)


#: Python-Markdown expands tabs to this many columns before it reads a page.
TAB_LENGTH = 4


def normalised(code: str) -> str:
    """Code as compared: tabs expanded as Markdown expands them, lines without trailing
    spaces, no blank lines at either end."""
    lines = code.expandtabs(TAB_LENGTH).strip("\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def disagreements(
    blocks: list[Block],
    rendered: list[RenderedBlock],
    where: Callable[[int], str],
    locate: Callable[[str, int], int],
) -> list[str]:
    """Where the harness and the renderer disagree. ``where`` names the page:line of an
    offset of the expanded text; ``locate(code, after)`` finds the offset, after ``after``,
    of a rendered block's first line (for a block the harness did not see)."""
    by_code: dict[str, list[int]] = {}
    for position, drawn in enumerate(rendered):
        by_code.setdefault(normalised(drawn.code), []).append(position)
    used: set[int] = set()
    matched: dict[int, RenderedBlock] = {}
    fenced = [(i, b) for i, b in enumerate(blocks) if b.region is not None and b.kind != "source"]
    for index, block in fenced:
        assert block.region is not None
        candidates = [
            r
            for r in by_code.get(normalised(str(block.region.lexemes["source"])), [])
            if r not in used
        ]
        if not candidates:
            continue
        same_language = [r for r in candidates if rendered[r].language.lower() == block.language]
        chosen = (same_language or candidates)[0]
        used.add(chosen)
        matched[index] = rendered[chosen]
    problems = []
    for index, block in fenced:
        shown = matched.get(index)
        runs = block.kind in ACCOUNTED and block.kind != "not-run"
        if shown is None:
            if runs:
                problems.append(
                    f"{where(block.start)}: the harness runs this ```{block.language} block, but the site"
                    " does not render it as a code block (check the fence line: an attribute"
                    " value without quotes, a fence inside an indented code block...)"
                )
            continue
        if shown.is_python and block.kind not in ACCOUNTED:
            problems.append(
                f"{where(block.start)}: the site renders this ```{block.language} block as Python"
                f" ({shown.lexer}), but the harness does not run it; run it as ```python, or"
                ' mark it <!-- not-run: "why" -->'
            )
        elif (
            runs
            and shown.lexer != block.lexer
            and not (shown.is_python and block.lexer in PYTHON_LEXERS)
        ):
            problems.append(
                f"{where(block.start)}: the harness runs this ```{block.language} block as {block.lexer},"
                f" but the site renders it with {shown.lexer or 'no lexer'}"
            )
    after = 0
    for position in (p for p in range(len(rendered)) if p not in used):
        unseen = rendered[position]
        if unseen.is_python:
            offset = locate(unseen.code, after)
            after = offset
            problems.append(
                f"{where(offset)}: the site renders a Python block here ({unseen.lexer}) that"
                " the harness does not see as a block; make it a fenced ```python block, or"
                ' mark it <!-- not-run: "why" -->'
            )
    return problems
