"""Figures and tables computed at build time: the ``figure`` and ``table`` directives of a
page replaced by what their scripts print.

``<!-- figure: snippets/figures/cow_shared.py "caption" -->`` makes that script's figure
([`make`][forkdocs.doctools.run.scripts.make]: ``draw(page)`` of the page's own scene, or what
the script prints as a program) and puts the SVG, inline, in a ``<figure>`` with the caption;
``<!-- table: snippets/tables/x.py "caption" -->`` puts the Markdown table it printed. For a
figure of the page's scene, the page's examples before the directive run first, in order, in
one namespace ([`PageScene`][forkdocs.doctools.integrations.inline.PageScene]), as pytest runs
them. The directives are found by the harness's own classifier (so a directive shown
inside a fence is left alone) and the output is checked as the harness checks it; a script
that fails, or prints something else, is a [`FigureError`][forkdocs.doctools.integrations.inline.FigureError] naming page:line. The harness runs the
same scripts as examples.

It is a Python-Markdown extension, so every builder that runs ``markdown_extensions`` runs
it (MkDocs, ProperDocs, Zensical): list ``forkdocs.doctools.integrations.inline`` there, with
``config_file`` set to the site's ``mkdocs.yml`` where the build runs from another folder.
Its preprocessor runs before ``pymdownx.snippets`` (as the harness reads a page: directives
first), on pages it finds by their text ([`sitepage`][forkdocs.doctools.integrations.sitepage]).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from sybil import Document

from forkdocs.doctools.errors import ExampleFailed
from forkdocs.doctools.grammar.blocks import classify
from forkdocs.doctools.grammar.directives import DirectiveError, parse_script
from forkdocs.doctools.grammar.text import line_of
from forkdocs.doctools.integrations.inpage import steps_of
from forkdocs.doctools.integrations.sitepage import CONFIG_OPTION, build_error, find_page
from forkdocs.doctools.run.pagerun import FAILED, PageRun, Step
from forkdocs.doctools.run.scripts import draws_the_page, make, output_problem

#: The page's namespace as its examples leave it just before a page line.
Scene = Callable[[int], Mapping[str, Any]]


class FigureError(ExampleFailed):
    """A figure or table script that failed or printed the wrong thing."""


class PageScene:
    """The page's examples (its [`Step`][forkdocs.doctools.run.pagerun.Step]s, as pytest runs
    them), run once, in order, as far as each figure asks: [`at(line)`][forkdocs.doctools.integrations.inline.PageScene.at]
    is the namespace after every step above ``line``. Here is CPython at build time, so the
    steps a browser cannot run are run too; what a block prints is not compared (pytest
    does that)."""

    def __init__(self, page: str, steps: list[Step]) -> None:
        self.steps = [replace(step, browser="") for step in steps]
        self.runner = PageRun(page, self.steps)
        self.runner.namespace = self.runner.fresh()
        self.done = 0

    def at(self, line: int) -> Mapping[str, Any]:
        """The namespace just before page line ``line`` (lines must not go back)."""
        while self.done < len(self.steps) and self.steps[self.done].line < line:
            step = self.steps[self.done]
            outcome = self.runner.run(step, compare=False)
            if outcome.status == FAILED:
                page = self.runner.page
                raise FigureError(
                    f"{page}:{line}: the figure draws the page's own scene, but the example at"
                    f" {page}:{step.line} failed: {outcome.summary or outcome.error}"
                )
            self.done += 1
        return self.runner.namespace


def run_script(script: Path, form: str, where: str, namespace: Mapping[str, Any]) -> str:
    """The ``form`` ``script`` makes (for a figure of the page, from ``namespace``), checked."""
    try:
        printed = make(script, namespace)
    except Exception as error:  # ScriptFailed included: sys.exit(1) fails the build
        raise FigureError(
            f"{where}: {form} script {script.name} failed: {type(error).__name__}: {error}"
        ) from error
    problem = output_problem(form, printed)
    if problem:
        raise FigureError(f"{where}: {script.name}: {problem}")
    return printed.strip()


def inline(markdown: str, page: str, root: Path, scene: Scene | None = None) -> str:
    """``markdown`` (the text of ``page``) with each figure and table directive replaced by
    its script's output; scripts are named relative to ``root``; ``scene(line)`` is the
    page's namespace before a line (None: an empty one, the page's examples not run)."""
    document = Document(markdown, page)
    found = classify(document, lambda position: f"{page}:{line_of(markdown, position)}")
    pieces, position = [], 0
    for block in found.blocks:
        directive = block.directive
        if directive is None or directive.name not in ("figure", "table"):
            continue
        line = line_of(markdown, directive.start)
        where = f"{page}:{line}"
        script, caption = parse_script(directive, where)
        path = root / script
        drawn = path.is_file() and draws_the_page(path)
        namespace = scene(line) if scene is not None and drawn else {}
        output = run_script(path, directive.name, where, namespace)
        if directive.name == "figure":
            # the drawing scrolls inside its own box, so the caption (and, on a screen
            # narrower than the figure, the cue to scroll) stays in view
            body = [
                '<figure class="fd-figure-block" markdown="0">',
                '<div class="fd-figure-scroll">',
                *output.split("\n"),
                "</div>",
            ]
            if caption:
                body.append(f"<figcaption>{escape(caption)}</figcaption>")
            body.append("</figure>")
        else:
            body = output.split("\n") + (
                ["", f'<p class="fd-caption">{escape(caption)}</p>'] if caption else []
            )
        text = "\n".join(directive.prefix + line if line else "" for line in body)
        pieces += [markdown[position : directive.start], text]
        position = directive.end
    return "".join(pieces) + markdown[position:]


class _Figures(Preprocessor):  # type: ignore[misc]  # Markdown ships no type hints
    def __init__(self, md: Markdown, config_file: str) -> None:
        super().__init__(md)
        self.config_file = config_file

    def run(self, lines: list[str]) -> list[str]:
        if not any("<!--" in line for line in lines):
            return lines
        page = find_page(self.config_file, lines)
        if page is None:
            return lines  # no page's text (a docstring, a generated page)
        text = page.head + "\n".join(lines)
        scenes: list[PageScene] = []

        def scene(line: int) -> Mapping[str, Any]:
            if not scenes:
                scenes.append(PageScene(page.shown, steps_of(page.project.parse(page.path))))
            return scenes[0].at(line)

        try:
            done = inline(text, page.shown, page.project.root, scene)
        except (FigureError, DirectiveError) as error:
            raise build_error(error) from None
        return done[len(page.head) :].split("\n")


class Figures(Extension):  # type: ignore[misc]  # Markdown ships no type hints
    """Puts the figures and tables a page's directives compute into the page."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = dict(CONFIG_OPTION)
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # before pymdownx.snippets (32) and the HTML block stash (20)
        md.preprocessors.register(_Figures(md, self.getConfig("config_file")), "fd-figures", 35)


def makeExtension(**kwargs: Any) -> Figures:
    """The entry point Python-Markdown looks for."""
    return Figures(**kwargs)
