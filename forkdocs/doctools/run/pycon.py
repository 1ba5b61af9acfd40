"""The evaluator of ``>>>`` examples: Sybil's doctest runner, its tracebacks on the page's
lines, and in update mode a wrong output rewritten."""

from __future__ import annotations

import doctest
import re
import textwrap
import traceback
from typing import Any

from sybil import Example
from sybil.evaluators.doctest import DocTest, DocTestRunner

from forkdocs.doctools.grammar.text import display_path, line_of
from forkdocs.doctools.run.document import PageDocument
from forkdocs.doctools.run.output import portable, record_block, record_edit


class _Runner(DocTestRunner):
    """Sybil's doctest runner, remembering what a failing example printed, and reporting an
    exception with the page's file and lines instead of doctest's frames and pseudo-files.
    ``place`` is the (file, line) of the statement being run."""

    got: str | None = None
    #: the page's shown path, and its lines (to quote in a traceback)
    place: tuple[str, list[str]] = ("", [])

    def report_failure(self, out: Any, test: Any, example: Any, got: str) -> None:
        got = self._tidied(got)
        self.got = _without_stack(got)
        super().report_failure(out, test, example, got)

    def _tidied(self, got: str) -> str:
        """``got`` with a traceback in it told as the page's: doctest's own frames left out,
        a statement's made-up file name replaced by the page and its line."""
        start = got.find(TRACEBACK)
        if start < 0:
            return got
        path = self.place[0]
        kept, keep = [], True
        rest = got[start + len(TRACEBACK) :].split("\n")
        for index, line in enumerate(rest):
            frame = _FRAME.match(line)
            if frame:
                keep = frame.group("file") != doctest.__file__
                found = _PSEUDO_FILE.match(frame.group("file"))
                if keep and found:
                    number = int(found.group("line")) + int(frame.group("line")) - 1
                    line = f'  File "{path}", line {number}{frame.group("rest")}'
            elif not line.startswith("    "):  # the exception itself, to the end
                kept.extend(rest[index:])
                break
            if keep:
                kept.append(line)
        return got[:start] + TRACEBACK + "\n".join(kept)

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
TRACEBACK = "Traceback (most recent call last):\n"
_FRAME = re.compile(r'^  File "(?P<file>[^"]*)", line (?P<line>\d+)(?P<rest>.*)$')


def _without_stack(got: str) -> str:
    """``got`` as a page writes an expected exception: the traceback's header and the
    exception, without the stack (doctest compares only those two)."""
    start = got.find(TRACEBACK)
    if start < 0:
        return got
    lines = got[start + len(TRACEBACK) :].split("\n")
    first = next((i for i, line in enumerate(lines) if not line.startswith(" ")), len(lines))
    return got[:start] + TRACEBACK + "\n".join(lines[first:])


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
