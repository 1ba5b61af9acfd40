"""The evaluator of figure and table scripts: each run as ``python SCRIPT`` runs it, and what it
printed checked to be one SVG document or one Markdown table."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

from sybil import Example

from forkdocs.doctools.errors import ExampleFailed
from forkdocs.doctools.grammar.text import display_path


class ScriptOutputError(ExampleFailed, AssertionError):
    """A figure or table script printed something that is not a figure or a table."""


class ScriptFailed(ExampleFailed):
    """A figure or table script ended with ``sys.exit`` of a failure, or was interrupted."""


def run_program(script: Path) -> str:
    """What ``script`` prints when run as ``python SCRIPT`` runs it: ``__name__ ==
    "__main__"``, its own folder first on ``sys.path`` (so that it imports the modules beside
    it; restored afterwards), and ``sys.exit()`` or ``sys.exit(0)`` a normal end. Any other
    exit, and KeyboardInterrupt, is ScriptFailed: a build must not end green without it."""
    import runpy

    printed = io.StringIO()
    saved = list(sys.path)
    sys.path.insert(0, str(script.parent))
    try:
        with contextlib.redirect_stdout(printed):
            runpy.run_path(str(script), run_name="__main__")
    except SystemExit as done:
        if done.code not in (None, 0):
            raise ScriptFailed(f"it exited with sys.exit({done.code!r})") from None
    except KeyboardInterrupt:
        raise ScriptFailed("it was interrupted (KeyboardInterrupt)") from None
    finally:
        sys.path[:] = saved
    return printed.getvalue()


class ScriptEvaluator:
    """Runs the script of a ``figure`` or ``table`` directive as ``python SCRIPT`` would (its
    own namespace, ``__name__ == "__main__"``) and checks what it printed: one SVG document
    for a figure, a Markdown table for a table."""

    def __call__(self, example: Example) -> None:
        __tracebackhide__ = True
        lexemes = example.region.lexemes
        script = Path(lexemes["root"]) / lexemes["script"]
        where = f"{display_path(example.path)}:{example.line}"
        if not script.is_file():
            raise ScriptOutputError(
                f"{where}: {lexemes['form']} script {lexemes['script']!r} not found"
            )
        try:
            printed = run_program(script)
        except ScriptFailed as error:
            raise ScriptOutputError(f"{where}: {lexemes['script']}: {error}") from None
        problem = output_problem(lexemes["form"], printed)
        if problem:
            raise ScriptOutputError(f"{where}: {lexemes['script']}: {problem}")


def output_problem(form: str, printed: str) -> str:
    """Why ``printed`` is not a ``form`` ("figure": one SVG document; "table": a Markdown
    table), or "" when it is."""
    text = printed.strip()
    if form == "figure":
        import xml.etree.ElementTree as ElementTree

        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError as error:
            return f"a figure script must print one SVG document; this does not parse ({error})"
        if root.tag not in ("svg", "{http://www.w3.org/2000/svg}svg"):
            return f"a figure script must print an <svg> document, not <{root.tag}>"
        return ""
    lines = text.split("\n")
    if len(lines) < 2 or not all(line.startswith("|") for line in lines):
        return "a table script must print a Markdown table (every line starting with |)"
    if not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[1].replace(" ", "")):
        return "the second line of a Markdown table must separate the header (|---|---|)"
    return ""
