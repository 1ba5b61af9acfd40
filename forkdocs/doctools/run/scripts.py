"""The evaluator of figure and table scripts, and the two ways a script makes its figure:

- a script that defines ``draw(page)`` at its top level draws *the page's own scene*: it is
  imported as a module of its own (its ``if __name__ == "__main__"`` part does not run) and
  ``draw`` is called with the names the page's examples defined before the directive (a
  read-only mapping); it returns the SVG. Nothing it draws can come from another scene;
- any other script runs as ``python SCRIPT`` runs it, and what it prints is the figure or
  the table (a chart of a data file, a table the script computes itself).

What comes out is checked to be one SVG document or one Markdown table."""

from __future__ import annotations

import ast
import contextlib
import io
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from sybil import Example

from forkdocs.doctools.errors import ExampleFailed
from forkdocs.doctools.grammar.text import display_path


class ScriptOutputError(ExampleFailed, AssertionError):
    """A figure or table script printed something that is not a figure or a table."""


class ScriptFailed(ExampleFailed):
    """A figure or table script ended with ``sys.exit`` of a failure, or was interrupted."""


class MissingName(ScriptFailed, KeyError):
    """``draw(page)`` asked for a name the page's examples had not defined before the figure."""

    def __str__(self) -> str:
        return str(self.args[0])


class PageNames(Mapping[str, Any]):
    """The page's namespace as ``draw(page)`` sees it: read-only, and a name the page has not
    defined is a [`MissingName`][forkdocs.doctools.run.scripts.MissingName] that says so."""

    def __init__(self, namespace: Mapping[str, Any]) -> None:
        self._namespace = namespace

    def __getitem__(self, name: str) -> Any:
        try:
            return self._namespace[name]
        except KeyError:
            defined = sorted(n for n in self._namespace if not n.startswith("__"))
            raise MissingName(
                f"draw(page) asks for {name!r}, which the page's examples have not defined"
                f" before the figure (they define: {', '.join(defined) or 'nothing'})"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._namespace)

    def __len__(self) -> int:
        return len(self._namespace)


def draws_the_page(script: Path) -> bool:
    """True when ``script`` defines ``draw`` at its top level (a figure of the page's scene)."""
    tree = ast.parse(script.read_text(encoding="utf-8"), str(script))
    return any(isinstance(node, ast.FunctionDef) and node.name == "draw" for node in tree.body)


@contextlib.contextmanager
def _as_python_would(script: Path) -> Iterator[None]:
    """The script's own folder first on ``sys.path`` (restored afterwards); ``sys.exit()``
    or ``sys.exit(0)`` a normal end; any other exit, and KeyboardInterrupt, ScriptFailed: a
    build must not end green without it."""
    saved = list(sys.path)
    sys.path.insert(0, str(script.parent))
    try:
        yield
    except SystemExit as done:
        if done.code not in (None, 0):
            raise ScriptFailed(f"it exited with sys.exit({done.code!r})") from None
    except KeyboardInterrupt:
        raise ScriptFailed("it was interrupted (KeyboardInterrupt)") from None
    finally:
        sys.path[:] = saved


def run_program(script: Path) -> str:
    """What ``script`` prints when run as ``python SCRIPT`` runs it (``__name__ ==
    "__main__"``, see ``_as_python_would``)."""
    import runpy

    printed = io.StringIO()
    with _as_python_would(script), contextlib.redirect_stdout(printed):
        runpy.run_path(str(script), run_name="__main__")
    return printed.getvalue()


def draw_the_page(script: Path, namespace: Mapping[str, Any]) -> str:
    """What ``draw(page)`` of ``script`` returns for the page's ``namespace``; the script is
    imported under a name of its own, as ``python`` would find its neighbours."""
    import runpy

    drawn: object = ""
    with _as_python_would(script):
        module = runpy.run_path(str(script), run_name=f"forkdocs_figure_{script.stem}")
        drawn = module["draw"](PageNames(namespace))
    if not isinstance(drawn, str):
        raise ScriptFailed(f"draw(page) must return the SVG as a str, not {type(drawn).__name__}")
    return drawn


def make(script: Path, namespace: Mapping[str, Any]) -> str:
    """The figure or table ``script`` makes: ``draw(page)`` of the page's ``namespace`` when
    it defines one, else what it prints as a program."""
    if draws_the_page(script):
        return draw_the_page(script, namespace)
    return run_program(script)


class ScriptEvaluator:
    """Makes the figure or table of a ``figure`` or ``table`` directive (``make``), in the
    page's namespace as the examples before it left it, and checks it: one SVG document for
    a figure, a Markdown table for a table."""

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
            printed = make(script, example.namespace)
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
