"""What the reader's browser runs on a page: the harness's own parse of the page, turned into
[`Step`][forkdocs.doctools.run.pagerun.Step]s and attached to the built HTML.

[`steps_of()`][forkdocs.doctools.integrations.inpage.steps_of] walks the examples the harness's parsers
found (the same Sybil regions pytest runs, in the same order) and keeps those that run
Python in the page's namespace: code blocks (shown and hidden), doctest blocks (one step per
block, not per statement) and ``clear-namespace``; and the page's exercises, each a step
that runs on its own. Figure and table scripts run in a
namespace of their own at build time, and C programs on this machine's kernel; neither is a
step.

[`attach()`][forkdocs.doctools.integrations.inpage.attach] finds each shown step's code block in the page's
HTML (by its code, as the harness's cross-check matches blocks: in page order, a block
highlighted as Python first), marks its ``<pre>`` with ``data-fd-step`` and appends the
steps as JSON, for ``docs/javascripts/run-examples.js``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

from forkdocs.doctools.check.crosscheck import normalised
from forkdocs.doctools.check.rendered import PRE, shown_text
from forkdocs.doctools.errors import PageError
from forkdocs.doctools.grammar.fences import python_role
from forkdocs.doctools.grammar.text import line_of
from forkdocs.doctools.run.exercise import ExerciseEvaluator
from forkdocs.doctools.run.pagerun import Step
from forkdocs.doctools.run.pycon import DocTestEvaluator
from forkdocs.doctools.run.python import ClearNamespace, CodeEvaluator


class InPageError(PageError, ValueError):
    """A step the site shows whose code block is not in the built HTML (page:line)."""


_LANGUAGE = re.compile(r'class="language-([^\s"]+)')


def _python_highlighted(page_html: str, position: int) -> bool:
    """True when the code block whose ``<pre>`` starts at ``position`` is highlighted as
    Python (its wrapper's ``language-X`` class names a Python lexer)."""
    found = list(_LANGUAGE.finditer(page_html, max(0, position - 400), position))
    return bool(found) and python_role(found[-1].group(1)) in ("python", "pycon")


def steps_of(document: Any) -> list[Step]:
    """The steps of a parsed page (a [`PageDocument`][forkdocs.doctools.run.document.PageDocument]
    its project's Sybil parsed), in the order pytest runs them."""
    blocks = {block.start: block for block in document.blocks.blocks}
    steps: list[Step] = []
    done: set[int] = set()
    for example in document.examples():
        region = example.region
        if isinstance(region.evaluator, ClearNamespace):
            steps.append(Step("clear", example.line))
            continue
        block = blocks.get(region.lexemes.get("block", -1))
        if isinstance(region.evaluator, ExerciseEvaluator):
            steps.append(region.parsed)  # the step pytest tries three ways
            continue
        doctest = isinstance(region.evaluator, DocTestEvaluator)
        if block is None or not (doctest or isinstance(region.evaluator, CodeEvaluator)):
            continue  # a figure or table script, or a C program
        if block.start in done:
            continue  # a later statement of a doctest block already taken whole
        done.add(block.start)
        skip = block.skip
        if doctest or block.region is not None:
            assert block.region is not None
            code = block.region.lexemes["source"]  # it starts below the fence line
            first = line_of(document.text, block.region.start) + code.line_offset + 1
        else:  # hidden code: its lines start below the directive's first line
            code = region.parsed
            first = line_of(document.text, block.start) + 1
        steps.append(
            Step(
                "doctest" if doctest else "code",
                document.page_line_of(block.start),
                document.expanded.page_line(first, document.path),
                str(code),
                None if "output" not in region.lexemes else region.lexemes["output"].text,
                None if skip is None else skip.reason or "skipped (no reason given)",
                None if skip is None or not skip.condition else skip.condition,
                block.browser,
                block.directive is None,
            )
        )
    return steps


def attach(page_html: str, page: str, steps: list[Step], flags: int) -> str:
    """``page_html`` with every shown step's ``<pre>`` marked ``data-fd-step="INDEX"`` and the
    steps appended as JSON in ``<template class="fd-steps">`` (not a ``<script>``: Material's
    instant navigation re-creates each script of a page it swaps in, without its type or
    class, and would run the JSON as code); ``page`` is the
    page's path as tracebacks name it."""
    if not any(step.kind != "clear" for step in steps):
        return page_html
    found = [
        (
            match,
            normalised(shown_text(match.group("body"))),
            _python_highlighted(page_html, match.start()),
        )
        for match in PRE.finditer(page_html)
    ]
    after = 0  # blocks are in page order: each step's is after the previous step's
    marks: dict[int, int] = {}  # offset of a <pre>'s attributes -> step index
    for index, step in enumerate(steps):
        if not step.shown or step.kind == "clear":
            continue
        code = normalised(step.source)
        same = [i for i in range(after, len(found)) if found[i][1] == code]
        position = next((i for i in same if found[i][2]), same[0] if same else None)
        if position is None:
            raise InPageError(
                f"{page}:{step.line}: the site does not show this example as a code block,"
                " so it cannot get a Run button"
            )
        after = position + 1
        marks[found[position][0].start("attributes")] = index
    pieces, last = [], 0
    for offset in sorted(marks):
        pieces += [page_html[last:offset], f' data-fd-step="{marks[offset]}"']
        last = offset
    pieces.append(page_html[last:])
    manifest = {"page": page, "flags": flags, "steps": [asdict(step) for step in steps]}
    # no <, > or & in the element's text: the browser reads it as markup, so "</template>"
    # would end it, a tag would become an element and an entity a character
    data = json.dumps(manifest, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return "".join(pieces) + f'\n<template class="fd-steps">{data}</template>\n'
