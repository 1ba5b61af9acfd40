"""The pytest items of a page: one per example, and (in strict mode) one inventory check.

:class:`DocItem` extends Sybil's item:

- it *replays* the examples before it on the page that have not run in this session, so an
  example selected alone (by node id, ``-k``, an editor) runs on its own merits;
- it reports failures as ``page:line:column``, through snippet files too, with the failing
  block echoed with line numbers and a traceback free of Sybil and pytest internals.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import SkipTest

import pytest
from sybil import Example
from sybil.example import SybilFailure
from sybil.integration.pytest import SybilFile, SybilItem

from forkdocs.doctools.document import PageDocument
from forkdocs.doctools.evaluators import OutputMismatch
from forkdocs.doctools.inventory import take

#: Frames from these packages are left out of tracebacks.
_INTERNAL = (
    *[
        os.path.dirname(__import__(name).__file__ or "") + os.sep
        for name in ("sybil", "_pytest", "pluggy")
    ],
    os.path.dirname(__file__) + os.sep,
)


class ReplayError(Exception):
    """An earlier example that the selected one depends on failed while being replayed."""


class InventoryError(Exception):
    """The page has blocks that strict mode refuses."""


class DocFile(SybilFile):
    """A page: its examples, in order, and in strict mode an inventory check first."""

    strict = False

    def collect(self) -> Iterator[pytest.Item]:
        for sybil in self.sybils:
            document = sybil.parse(self.path)
            self.documents.append(document)
            assert isinstance(document, PageDocument), document
            examples = document.all_examples = list(document.examples())
            if self.strict:
                yield InventoryItem.from_parent(self, name="inventory", document=document)
            for index, example in enumerate(examples):
                yield DocItem.from_parent(self, sybil=sybil, example=example, index=index)


class DocItem(SybilItem):
    """One example of a page."""

    def __init__(self, parent: Any, sybil: Any, example: Example, index: int) -> None:
        super().__init__(parent, sybil, example)
        self.index = index

    def runtest(self) -> None:
        document = self.example.document
        assert isinstance(document, PageDocument)
        for earlier in document.all_examples[document.next_index : self.index]:
            try:
                earlier.evaluate()
            except SkipTest:
                pass
            except Exception as error:
                where = location(earlier)
                raise ReplayError(
                    f"replaying {where}, an earlier example of this page that this one runs after,"
                    f" failed: {type(error).__name__}: {error}"
                ) from error
        document.next_index = self.index + 1
        self.example.evaluate()

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, self.example.line - 1, location(self.example)

    def _traceback_filter(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:
        """Only the page's frames, snippet files' and the project's: no Sybil, pytest or harness."""
        kept = excinfo.traceback.filter(lambda entry: not str(entry.path).startswith(_INTERNAL))
        return kept or excinfo.traceback

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        error = excinfo.value
        lines = [f"{location(self.example)}: {_headline(error)}"]
        if not isinstance(error, SybilFailure | OutputMismatch | ReplayError):
            lines.append(str(super(SybilItem, self).repr_failure(excinfo, style="short")))
        else:
            lines.append(str(error) if not isinstance(error, SybilFailure) else error.result)
        lines.append(echo(self.example, _failing_line(excinfo, self.example)))
        return "\n".join(lines)


class InventoryItem(pytest.Item):
    """Strict mode's check of one page: every block run, skipped with a reason, or shown."""

    def __init__(self, *, document: PageDocument, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.document = document

    def runtest(self) -> None:
        problems = take(self.document, display_path(self.document.path)).problems()
        if problems:
            raise InventoryError("\n".join(problems))

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, 0, f"{display_path(str(self.path))}: inventory"

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return f"blocks that are neither run, skipped with a reason, nor shown:\n{excinfo.value}"


def display_path(path: str) -> str:
    """``path`` relative to the current directory when it is below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def location(example: Example) -> str:
    """``page:line:column`` of an example, through snippet includes to the included file."""
    document = example.document
    column = example.region.lexemes.get("column", example.column)
    if isinstance(document, PageDocument):
        path, line = document.expanded.origin(example.line)
        place = f"{display_path(path)}:{line}:{column}"
        if path != document.path:
            page_line = document.expanded.origin(example.line)[1]
            place += f" (included from {display_path(document.path)}:{page_line})"
        return place
    return f"{display_path(example.path)}:{example.line}:{column}"


def _headline(error: BaseException) -> str:
    if isinstance(error, SybilFailure):
        return "the doctest output differs"
    text = str(error).split("\n", 1)[0]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _failing_line(excinfo: pytest.ExceptionInfo[BaseException], example: Example) -> int | None:
    for entry in reversed(excinfo.traceback):
        if str(entry.path) == example.path:
            return int(entry.lineno) + 1
    return None


def echo(example: Example, failing: int | None) -> str:
    """The example's lines, numbered as in the page, with ``>`` at the failing line."""
    document = example.document
    text_lines = document.text.split("\n")
    start = example.line
    end = document.text.count("\n", 0, example.end) + 1
    out = []
    for line in range(start, min(end, len(text_lines)) + 1):
        number = document.expanded.origin(line)[1] if isinstance(document, PageDocument) else line
        marker = ">" if failing is not None and number == failing else " "
        out.append(f"{marker}{number:5d} | {text_lines[line - 1]}")
    return "\n".join(out)
