"""Evaluators: run a Python block (with pytest's assertion rewriting, snippets compiled under
their own file names, printed output checked), run a doctest (recording the new output in
update mode)."""

from __future__ import annotations

import ast
import contextlib
import doctest
import hashlib
import io
import marshal
import os
import re
import sys
import textwrap
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _pytest.assertion.rewrite import rewrite_asserts
from pytest import __version__ as pytest_version
from sybil import Example
from sybil.evaluators.doctest import DocTest, DocTestRunner

from forkdocs.doctools.cache import cache_dir, write_quietly
from forkdocs.doctools.document import PageDocument
from forkdocs.doctools.pagerun import normalise, output_diff
from forkdocs.doctools.text import display_path, line_of
from forkdocs.doctools.update import Edit, Unwritable, block_lines


class OutputMismatch(AssertionError):
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


class CodeEvaluator:
    """Runs a Python block in the page's namespace, in segments by origin: lines that came
    from a snippet file are compiled under that file's name and line numbers, so tracebacks
    point there. Asserts are rewritten as pytest rewrites them, so a failure shows values.
    With an ``output`` block, stdout is captured and compared."""

    def __call__(self, example: Example) -> None:
        __tracebackhide__ = True
        document = example.document
        source = example.parsed
        # the source starts on the line below the fence line (or below the comment's first line)
        first = line_of(document.text, example.region.start) + source.line_offset + 1
        output: OutputBlock | None = example.region.lexemes.get("output")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed) if output else contextlib.nullcontext():
            for code in compiled(document, str(source), first):
                exec(code, example.namespace)
        example.namespace.pop("__builtins__", None)
        if output is not None:
            check_output(example, output, printed.getvalue())


def compiled(document: Any, source: str, first: int) -> list[Any]:
    """Code objects for ``source``, whose first line is line ``first`` of the document."""
    lines = source.split("\n")
    if not isinstance(document, PageDocument):
        return [_compile(source, document.path, first)]
    origins = [document.expanded.origin(first + i) for i in range(len(lines))]
    segments: list[tuple[str, int, list[str]]] = []
    for line, (path, number) in zip(lines, origins, strict=True):
        if (
            segments
            and segments[-1][0] == path
            and segments[-1][1] + len(segments[-1][2]) == number
        ):
            segments[-1][2].append(line)
        else:
            segments.append((path, number, [line]))
    if len(segments) == 1:
        path, number, body = segments[0]
        return [_compile("\n".join(body), path, number)]
    try:
        return [_compile("\n".join(body), path, number) for path, number, body in segments]
    except SyntaxError:  # a statement may span an include: compile it whole, under the page
        try:
            return [_compile(source, document.path, first)]
        except SyntaxError as error:
            raise _at_origin(error, document) from None


def _at_origin(error: SyntaxError, document: PageDocument) -> SyntaxError:
    """``error`` (raised compiling the expanded text) placed where its line came from: the
    included file and its line, or the page's own line."""
    path, number = document.expanded.origin(error.lineno or 1)
    text = document.text.split("\n")[(error.lineno or 1) - 1] + "\n"
    end = None
    if error.end_lineno is not None and error.lineno is not None:
        end = number + error.end_lineno - error.lineno
    return SyntaxError(error.msg, (path, number, error.offset, text, end, error.end_offset))


def _compile(code: str, filename: str, first_line: int) -> Any:
    """``code`` compiled as lines ``first_line``... of ``filename``, its asserts rewritten as
    pytest rewrites them. Rewriting is the costly part, so code objects are cached by content
    (like pytest's own cache of rewritten test modules), in ``FORKDOCS_CODE_CACHE`` or a
    per-user temporary folder."""
    key = hashlib.sha256(
        "\0".join([sys.version, pytest_version, filename, str(first_line), code]).encode()
    ).hexdigest()[:32]
    cached = cache_dir("code", "FORKDOCS_CODE_CACHE") / f"{key}.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        return marshal.loads(cached.read_bytes())
    try:
        tree = ast.parse(code, filename)
    except SyntaxError as error:
        if error.lineno is not None:
            error.lineno += first_line - 1
            if error.end_lineno is not None:
                error.end_lineno += first_line - 1
        raise
    # moved to the block's lines first: the rewriter copies them onto what it adds
    ast.increment_lineno(tree, first_line - 1)
    if "assert" in code:
        rewrite_asserts(tree, code.encode(), None, None)
    compiled_code = compile(tree, filename, "exec", dont_inherit=True)
    write_quietly(cached, marshal.dumps(compiled_code))
    return compiled_code


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
    where = _where(document, output.first)
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
        run.update.refuse(f"{_where(document, first)}: not updated: {error}")
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


def _where(document: Any, line: int) -> str:
    if isinstance(document, PageDocument):
        path, number = document.expanded.origin(line)
        return f"{display_path(path)}:{number}"
    return f"{display_path(document.path)}:{line}"


class _Runner(DocTestRunner):
    """Sybil's doctest runner, remembering what a failing example printed, and reporting an
    exception with the page's file and lines instead of doctest's frames and pseudo-files.
    ``place`` is the (file, line) of the statement being run."""

    got: str | None = None
    #: the page's shown path, and its lines (to quote in a traceback)
    place: tuple[str, list[str]] = ("", [])

    def report_failure(self, out: Any, test: Any, example: Any, got: str) -> None:
        self.got = got
        super().report_failure(out, test, example, got)

    def report_unexpected_exception(self, out: Any, test: Any, example: Any, exc_info: Any) -> None:
        kind, value, trace = exc_info
        path, lines = self.place
        frames = []
        for frame in traceback.extract_tb(trace):
            if frame.filename == doctest.__file__:
                continue
            found = _PSEUDO_FILE.match(frame.filename)
            if found:  # a statement of this page, compiled by doctest under a made-up name
                number = int(found.group("line")) + (frame.lineno or 1) - 1
                text = lines[number - 1] if 0 < number <= len(lines) else ""
                text = re.sub(r"^\s*(>>>|\.\.\.) ?", "", text)
                frame = traceback.FrameSummary(path, number, frame.name, line=text)
            frames.append(frame)
        text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
        text += "".join(traceback.format_exception_only(kind, value))
        out(
            self._failure_header(test, example)
            + "Exception raised:\n"
            + textwrap.indent(text, "    ")
        )


#: The file name doctest compiles a statement under: ``<doctest NAME@LINE[0]>``.
_PSEUDO_FILE = re.compile(r"<doctest .*@(?P<line>\d+)\[\d+\]>$")


class DocTestEvaluator:
    """Runs one ``>>>`` example as Sybil does; in update mode a wrong output is rewritten."""

    def __init__(self, optionflags: int) -> None:
        self.runner = _Runner(optionflags)

    def __call__(self, sybil_example: Example) -> str:
        __tracebackhide__ = True
        example: doctest.Example = sybil_example.parsed
        namespace = sybil_example.namespace
        report: list[str] = []
        self.runner.got = None
        document = sybil_example.document
        lines = document.source.split("\n") if isinstance(document, PageDocument) else []
        self.runner.place = (display_path(sybil_example.path), lines)
        name = f"{sybil_example.path}@{sybil_example.line}"
        test = DocTest([example], namespace, name, None, example.lineno, None)
        self.runner.run(test, clear_globs=False, out=report.append)
        got = self.runner.got
        run = getattr(document, "run", None)
        if got is not None and run is not None and run.update is not None:
            self._update(sybil_example, example, got)
            return ""
        return "".join(report)

    @staticmethod
    def _update(sybil_example: Example, example: doctest.Example, got: str) -> None:
        document = sybil_example.document
        assert isinstance(document, PageDocument)
        start = document.line_of(sybil_example.region.start)
        want_first = start + example.source.count("\n")
        want_last = want_first + example.want.count("\n")
        page_line = document.text.split("\n")[start - 1]
        prompt = page_line.index(">>>")
        prefix = page_line[:prompt]
        got = portable(document, got)
        if not got.strip():
            record_edit(document, want_first, want_last, [])
            return
        text = "\n".join(
            line if line.strip() else "<BLANKLINE>" for line in got.rstrip("\n").split("\n")
        )
        fence = sybil_example.region.lexemes["fence"]
        opening, closing = line_of(document.text, fence.start), line_of(document.text, fence.end)
        record_block(document, want_first, want_last, text, prefix, opening, closing)


class ClearNamespace:
    """``clear-namespace``: the page's later examples start from a fresh namespace (a
    script's ``__name__`` and ``__file__`` kept)."""

    def __call__(self, example: Example) -> None:
        namespace = example.namespace
        namespace.clear()
        document = example.document
        if isinstance(document, PageDocument):
            namespace.update(document.fresh_namespace())


class ScriptOutputError(AssertionError):
    """A figure or table script printed something that is not a figure or a table."""


class ScriptFailed(Exception):
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
