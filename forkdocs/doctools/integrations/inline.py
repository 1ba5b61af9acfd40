"""Figures and tables computed at build time: the ``figure`` and ``table`` directives of a
page replaced by what their scripts print.

``<!-- figure: snippets/figures/cow_shared.py "caption" -->`` runs that script as ``python``
would (``__name__ == "__main__"``) and puts the SVG it printed, inline, in a ``<figure>``
with the caption; ``<!-- table: snippets/tables/x.py "caption" -->`` puts the Markdown table
it printed. The directives are found by the harness's own classifier (so a directive shown
inside a fence is left alone) and the output is checked as the harness checks it; a script
that fails, or prints something else, is a [`FigureError`][forkdocs.doctools.integrations.inline.FigureError] naming page:line. The MkDocs
hook ([`mkdocs_hooks`][forkdocs.doctools.integrations.mkdocs_hooks]) calls [`inline()`][forkdocs.doctools.integrations.inline.inline]; the harness runs the same
scripts as examples.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from sybil import Document

from forkdocs.doctools.errors import ExampleFailed
from forkdocs.doctools.grammar.blocks import classify
from forkdocs.doctools.grammar.directives import parse_script
from forkdocs.doctools.grammar.text import line_of
from forkdocs.doctools.run.scripts import output_problem, run_program


class FigureError(ExampleFailed):
    """A figure or table script that failed or printed the wrong thing."""


def run_script(script: Path, form: str, where: str) -> str:
    """What ``script`` prints when run as a program, checked to be a ``form``."""
    try:
        printed = run_program(script)
    except Exception as error:  # ScriptFailed included: sys.exit(1) fails the build
        raise FigureError(
            f"{where}: {form} script {script.name} failed: {type(error).__name__}: {error}"
        ) from error
    problem = output_problem(form, printed)
    if problem:
        raise FigureError(f"{where}: {script.name}: {problem}")
    return printed.strip()


def inline(markdown: str, page: str, root: Path) -> str:
    """``markdown`` (the text of ``page``) with each figure and table directive replaced by
    its script's output; scripts are named relative to ``root``."""
    document = Document(markdown, page)
    found = classify(document, lambda position: f"{page}:{line_of(markdown, position)}")
    pieces, position = [], 0
    for block in found.blocks:
        directive = block.directive
        if directive is None or directive.name not in ("figure", "table"):
            continue
        where = f"{page}:{line_of(markdown, directive.start)}"
        script, caption = parse_script(directive, where)
        output = run_script(root / script, directive.name, where)
        if directive.name == "figure":
            body = ['<figure class="fd-figure-block" markdown="0">', *output.split("\n")]
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
