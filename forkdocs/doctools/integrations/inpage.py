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

It is a Python-Markdown extension, so every builder that runs ``markdown_extensions`` runs
it: list ``forkdocs.doctools.integrations.inpage`` there (with ``config_file`` where the
build runs from another folder). Only a site with a Pyodide pin file
(``PIN_FILE``) beside its configuration gets Run
buttons; the interpreter itself is copied in after the build
([`postbuild`][forkdocs.doctools.integrations.postbuild]).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from forkdocs.doctools.check.crosscheck import normalised
from forkdocs.doctools.check.rendered import PRE, shown_text
from forkdocs.doctools.errors import PageError
from forkdocs.doctools.grammar.directives import DirectiveError
from forkdocs.doctools.grammar.fences import python_role
from forkdocs.doctools.grammar.text import line_of
from forkdocs.doctools.integrations.collect import DOCTEST_FLAGS
from forkdocs.doctools.integrations.sitepage import CONFIG_OPTION, SitePage, build_error, find_page
from forkdocs.doctools.run.exercise import ExerciseEvaluator
from forkdocs.doctools.run.pagerun import Step
from forkdocs.doctools.run.pycon import DocTestEvaluator
from forkdocs.doctools.run.python import ClearNamespace, CodeEvaluator

#: The pin of the Pyodide package, beside the site's configuration file.
PIN_FILE = "pyodide.lock.json"


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


class _Find(Preprocessor):  # type: ignore[misc]  # Markdown ships no type hints
    """Notes which page is being converted (its text is gone by the postprocessor)."""

    def __init__(self, md: Markdown, extension: RunButtons) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.page = find_page(self.extension.getConfig("config_file"), lines)
        return lines


class _TreeDone(Treeprocessor):  # type: ignore[misc]  # Markdown ships no type hints
    """Runs after every other treeprocessor: from here on, postprocessors get the page.
    (Before, ``toc`` runs them on each heading's text, to name its entry.)"""

    def __init__(self, md: Markdown, extension: RunButtons) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Any) -> None:
        self.extension.whole = True


class _Attach(Postprocessor):  # type: ignore[misc]  # Markdown ships no type hints
    def __init__(self, md: Markdown, extension: RunButtons) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        page = self.extension.page
        if not self.extension.whole or page is None:
            return text  # a heading's text, or no page's
        self.extension.whole = False
        if not (page.project.root / PIN_FILE).is_file():
            return text
        try:
            return attach(text, page.shown, steps_of(page.project.parse(page.path)), DOCTEST_FLAGS)
        except (DirectiveError, InPageError) as error:
            raise build_error(error) from None


class RunButtons(Extension):  # type: ignore[misc]  # Markdown ships no type hints
    """Marks a page's runnable examples for the in-page runner."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = dict(CONFIG_OPTION)
        super().__init__(**kwargs)
        self.page: SitePage | None = None
        #: set once the tree is done: the next postprocessor run is the page's own
        self.whole = False

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.register(_Find(md, self), "fd-find-page", 36)
        md.treeprocessors.register(_TreeDone(md, self), "fd-tree-done", -1000)
        md.postprocessors.register(_Attach(md, self), "fd-run-buttons", 1)

    def reset(self) -> None:
        """A builder that reuses its Markdown instance starts each page afresh."""
        self.page = None
        self.whole = False


def makeExtension(**kwargs: Any) -> RunButtons:
    """The entry point Python-Markdown looks for."""
    return RunButtons(**kwargs)
