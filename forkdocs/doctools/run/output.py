"""Output blocks: what a block printed compared with the fence after it, and in update mode
the edit that rewrites that fence (widened when the new text could close it)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from sybil import Example

from forkdocs.doctools.errors import ExampleFailed
from forkdocs.doctools.grammar.text import display_path
from forkdocs.doctools.run.document import PageDocument
from forkdocs.doctools.run.pagerun import normalise, output_diff
from forkdocs.doctools.run.update import Edit, Unwritable, block_lines


class OutputMismatch(ExampleFailed, AssertionError):
    """A block printed something other than its output block shows."""


@dataclass(frozen=True)
class OutputBlock:
    """A fence that holds the expected output of the Python block before it.

    ``first``/``last`` are the 1-based lines of the document text holding its content
    (``last`` exclusive); ``prefix`` is the indentation its lines carry in the page.
    """

    first: int
    last: int
    prefix: str
    text: str
    fence: Any = None


def portable(document: Any, printed: str) -> str:
    """``printed`` with the project's folder left out of paths (``/home/me/proj/docs/x.md``
    -> ``docs/x.md``), so outputs that name files read the same on every machine."""
    run = getattr(document, "run", None)
    if run is None:
        return printed
    return printed.replace(f"{run.root}{os.sep}", "")


def check_output(example: Example, output: OutputBlock, printed: str) -> None:
    """Compare what the block printed with its output block; in update mode record the new
    text instead of failing."""
    __tracebackhide__ = True
    document = example.document
    printed = portable(document, printed)
    if normalise(printed) == normalise(output.text):
        return
    run = getattr(document, "run", None)
    if run is not None and run.update is not None and isinstance(document, PageDocument):
        record_block(document, output.first, output.last, normalise(printed), output.prefix)
        return
    where = where_in(document, output.first)
    delta = output_diff(output.text, printed, f"{where} (the output block)", "printed")
    raise OutputMismatch(
        f"what the block printed differs from its output block at {where}\n{delta}"
    )


_FENCE = re.compile(r"[ \t>]*(?P<fence>`{3,}|~{3,})")


def record_block(
    document: PageDocument,
    first: int,
    last: int,
    text: str,
    prefix: str,
    fence_first: int | None = None,
    fence_last: int | None = None,
) -> None:
    """Record replacing the content lines ``first``..``last - 1`` of a fenced block by
    ``text`` (each line with ``prefix``), widening the block's fence (lines ``fence_first``
    and ``fence_last``; by default ``first - 1`` and ``last``) when a line of ``text`` could
    close it; or record a refusal when the page cannot hold ``text``."""
    run = document.run
    assert run is not None and run.update is not None
    fence_first = first - 1 if fence_first is None else fence_first
    fence_last = last if fence_last is None else fence_last
    lines = document.text.split("\n")
    found = _FENCE.match(lines[fence_first - 1]) if fence_first >= 1 else None
    fence = found.group("fence") if found else "```"
    try:
        new, needed = block_lines(text, prefix, fence)
    except Unwritable as error:
        run.update.refuse(f"{where_in(document, first)}: not updated: {error}")
        return
    record_edit(document, first, last, new)
    if needed != fence and found is not None:
        for line in (fence_first, fence_last):
            record_edit(document, line, line + 1, [lines[line - 1].replace(fence, needed, 1)])


def record_edit(document: PageDocument, first: int, last: int, lines: list[str]) -> None:
    """Record replacing document lines ``first``..``last - 1`` (which must be the page's own)."""
    run = document.run
    assert run is not None and run.update is not None
    page_lines = []
    for line in range(first, max(last, first + 1)):
        path, number = document.expanded.origin(line)
        if path != document.path:
            raise AssertionError(
                f"the expected output at {path}:{number} comes from an included file; update it there"
            )
        page_lines.append(number)
    start = page_lines[0]
    end = page_lines[-1] + 1 if last > first else start
    run.update.record(Edit(document.path, start, end, tuple(lines)), document.raw)


def where_in(document: Any, line: int) -> str:
    if isinstance(document, PageDocument):
        path, number = document.expanded.origin(line)
        return f"{display_path(path)}:{number}"
    return f"{display_path(document.path)}:{line}"
