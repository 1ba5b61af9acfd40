"""The pytest items of a page: one per example, and (in strict mode) one inventory check.

[`DocItem`][forkdocs.doctools.integrations.items.DocItem] extends Sybil's item:

- directives (skip, clear-namespace) are not items of their own: they run, in order, just
  before the example that follows them;
- it *replays* the examples before it on the page that have not run in this session, so an
  example selected alone (by node id, ``-k``, an editor) runs on its own merits;
- once an example fails, the page's later examples are reported as skipped (they share its
  namespace, so their failures would only echo the first);
- it reports failures as ``page:line:column``, through snippet files too, with the failing
  block echoed with line numbers and a traceback free of Sybil and pytest internals.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from unittest import SkipTest

import pytest
from sybil import Example
from sybil.example import SybilFailure
from sybil.integration.pytest import SybilFile, SybilItem

from forkdocs.doctools.check.inventory import PageInventory, take
from forkdocs.doctools.check.inventorycache import kept_inventory
from forkdocs.doctools.errors import ExampleFailed, HarnessError, PageError
from forkdocs.doctools.grammar.blocks import PageBlocks
from forkdocs.doctools.grammar.text import display_path, line_of
from forkdocs.doctools.integrations.longlived import freeze_long_lived
from forkdocs.doctools.run.cprograms import CProgramError
from forkdocs.doctools.run.document import PageDocument
from forkdocs.doctools.run.failclosed import (
    ExampleExited,
    ExampleInterrupted,
    ExampleTimeout,
    evaluate,
)
from forkdocs.doctools.run.output import OutputMismatch
from forkdocs.doctools.run.pagestate import PageState
from forkdocs.doctools.run.scripts import ScriptOutputError

if TYPE_CHECKING:
    from forkdocs.doctools.integrations.collect import GuideProject

#: Frames from these packages (and the standard library's doctest and ast) are left out.
_INTERNAL = (
    *[
        os.path.dirname(__import__(name).__file__ or "") + os.sep
        for name in ("sybil", "_pytest", "pluggy")
    ],
    os.path.dirname(__file__) + os.sep,
    os.path.join(os.path.dirname(os.__file__), "doctest.py"),
    os.path.join(os.path.dirname(os.__file__), "ast.py"),
)


class ReplayError(ExampleFailed):
    """An earlier example that the selected one depends on failed while being replayed."""


class InventoryError(PageError):
    """The page has blocks that strict mode refuses."""


def is_example(example: Example) -> bool:
    """True for code, doctest, C and script examples; False for directives (clear-namespace)."""
    return bool(example.region.lexemes.get("role") == "example")


class DocFile(SybilFile):
    """A page: its inventory check first, then its examples in order. Running a page saves
    the process state its examples may change before its first item, and puts it back
    afterwards ([`PageState`][forkdocs.doctools.run.pagestate.PageState]); what the page should
    not have changed (an environment variable, a signal disposition, builtins, a thread
    left running...) fails the page's teardown, naming it."""

    def __init__(self, *, project: GuideProject, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.project = project
        self._saved: PageState | None = None

    def collect(self) -> Iterator[pytest.Item]:
        for sybil in self.sybils:
            try:
                document = sybil.parse(self.path)
            except HarnessError as error:
                raise self.CollectError(str(error)) from None
            self.documents.append(document)
            assert isinstance(document, PageDocument), document
            examples = document.all_examples = list(document.examples())
            freeze_long_lived()  # the page lives as long as the session
            yield InventoryItem.from_parent(self, name="inventory", document=document)
            for index, example in enumerate(examples):
                if is_example(example):
                    yield DocItem.from_parent(self, sybil=sybil, example=example, index=index)

    def setup(self) -> None:
        self._saved = PageState()

    def teardown(self) -> None:
        for document in self.documents:
            if isinstance(document, PageDocument):
                document.codes.save()
        if self._saved is None:
            return
        left, self._saved = self._saved.restore(), None
        if left:
            pytest.fail(
                f"{display_path(str(self.path))}: its examples changed the test process, which"
                f" would change later pages' results (put back now): {'; '.join(left)}",
                pytrace=False,
            )


class DocItem(SybilItem):
    """One example of a page."""

    def __init__(self, parent: Any, sybil: Any, example: Example, index: int) -> None:
        super().__init__(parent, sybil, example)
        self.index = index

    def runtest(self) -> None:
        document = self.example.document
        assert isinstance(document, PageDocument)
        if document.failed_at is not None:
            raise pytest.skip.Exception(
                f"not run: {document.failed_at} failed earlier on this page",
                _use_item_location=True,
            )
        timeout = document.run.timeout if document.run is not None else 0.0
        for earlier in document.all_examples[document.next_index : self.index]:
            try:
                evaluate(earlier, location, timeout)
            except SkipTest:
                pass
            except Exception as error:
                raise ReplayError(
                    f"replaying {location(earlier)}, an earlier example of this page that this"
                    f" one runs after, failed: {type(error).__name__}: {error}"
                ) from error
        document.next_index = self.index + 1
        try:
            evaluate(self.example, location, timeout)
        except SkipTest as skip:
            raise pytest.skip.Exception(str(skip), _use_item_location=True) from None
        except BaseException:
            document.failed_at = location(self.example)  # the page's later examples depend on it
            raise

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, self.example.line - 1, location(self.example)

    def _traceback_filter(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:
        """Only the page's frames, snippet files' and the project's: no Sybil, pytest,
        doctest or harness frames."""
        kept = excinfo.traceback.filter(lambda entry: not str(entry.path).startswith(_INTERNAL))
        return kept or excinfo.traceback

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        error = excinfo.value
        failing = _failing_line(excinfo, self.example)
        if isinstance(error, SyntaxError):
            lines = [
                f"{_syntax_location(error, self.example)}: SyntaxError: {error.msg}",
                _caret(error),
            ]
        elif isinstance(error, SybilFailure):
            raised = "Exception raised:" in error.result
            headline = "the doctest raised an exception" if raised else "the doctest output differs"
            lines = [f"{location(self.example)}: {headline}", error.result.rstrip()]
        elif isinstance(
            error,
            OutputMismatch
            | ReplayError
            | CProgramError
            | ScriptOutputError
            | ExampleExited
            | ExampleInterrupted
            | ExampleTimeout,
        ):
            lines = [f"{location(self.example)}: {type(error).__name__}", str(error).rstrip()]
        else:
            first = str(error).split("\n", 1)[0]
            headline = f"{type(error).__name__}: {first}" if first else type(error).__name__
            lines = [
                f"{location(self.example)}: {headline}",
                str(super(SybilItem, self).repr_failure(excinfo, style="short")),
            ]
        lines.append(echo(self.example, failing))
        return "\n".join(lines)


class InventoryItem(pytest.Item):
    """The check of one page's blocks, in every run: the blocks the harness runs are the
    Python blocks the site renders ([`crosscheck`][forkdocs.doctools.check.crosscheck]); in strict mode,
    also every block run, skipped with a reason, or shown. Its report carries the page's
    inventory (``user_properties``), which the plugin writes out. The result is kept for each
    content of the page and what it depends on ([`inventorycache`][forkdocs.doctools.check.inventorycache])."""

    def __init__(self, *, document: PageDocument, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.document = document

    def runtest(self) -> None:
        parent = self.parent
        assert isinstance(parent, DocFile)
        project = parent.project
        found = kept_inventory(
            self.document,
            project.settings,
            lambda: inventory_of(self.document, project).as_json(),
        )
        self.user_properties.append(("forkdocs-inventory", found))
        strict = self.document.run is not None and self.document.run.strict
        problems = found["disagreements"] + (found["problems"] if strict else [])
        if problems:
            raise InventoryError("\n".join(problems))

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, 0, f"{display_path(str(self.path))}: inventory"

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if not isinstance(excinfo.value, InventoryError):
            return str(super().repr_failure(excinfo, style="short"))
        return (
            "blocks the harness and the site disagree on, or that are neither run, skipped"
            f" with a reason, nor shown:\n{excinfo.value}"
        )


def inventory_of(document: PageDocument, project: GuideProject) -> PageInventory:
    """The inventory of a parsed page, with its disagreements with the rendered site."""
    from forkdocs.doctools.check.crosscheck import disagreements
    from forkdocs.doctools.run.parsers import where_in

    blocks: PageBlocks = document.blocks  # type: ignore[attr-defined]
    inventory = take(document, display_path(document.path), blocks)
    included = [path for path, _ in document.expanded.origins if path != document.path]
    rendered = project.renderer.blocks(document.source, included)

    def locate(code: str, after: int) -> int:
        first = next((line.strip() for line in code.split("\n") if line.strip()), "")
        found = document.text.find(first, after) if first else -1
        return max(found, 0)

    inventory.disagreements = disagreements(blocks.blocks, rendered, where_in(document), locate)
    return inventory


def location(example: Example) -> str:
    """``page:line:column`` of an example; for one that starts in an included file, that
    file's line too."""
    document = example.document
    place = f"{display_path(example.path)}:{example.line}:{example.column}"
    if isinstance(document, PageDocument):
        path, line = document.origin_of(example.region.start)
        if path != document.path:
            place += f" (in {display_path(path)}:{line})"
    return place


def _syntax_location(error: SyntaxError, example: Example) -> str:
    document = example.document
    indent = (
        len(example.region.lexemes.get("prefix", "")) if isinstance(document, PageDocument) else 0
    )
    filename = display_path(error.filename or example.path)
    return f"{filename}:{error.lineno}:{(error.offset or 1) + indent}"


def _caret(error: SyntaxError) -> str:
    text = (error.text or "").rstrip("\n")
    return f"    {text}\n    {' ' * max((error.offset or 1) - 1, 0)}^"


def _failing_line(
    excinfo: pytest.ExceptionInfo[BaseException], example: Example
) -> tuple[str, int] | None:
    """The (file, line) where the example failed: a SyntaxError's place, or the innermost
    frame in the page or an included file."""
    error = excinfo.value
    if isinstance(error, SyntaxError) and error.filename and error.lineno:
        return error.filename, error.lineno
    document = example.document
    files = {example.path}
    if isinstance(document, PageDocument):
        files.update(path for path, _ in document.expanded.origins)
    for entry in reversed(excinfo.traceback):
        if str(entry.path) in files:
            return str(entry.path), int(entry.lineno) + 1
    return None


def echo(example: Example, failing: tuple[str, int] | None) -> str:
    """The example's lines with their file's line numbers (and the file named when it is an
    included one), marked ``>`` at the failing line."""
    document = example.document
    text_lines = document.text.split("\n")
    start, end = line_of(document.text, example.region.start), line_of(document.text, example.end)
    out = []
    for line in range(start, min(end, len(text_lines)) + 1):
        if isinstance(document, PageDocument):
            path, number = document.expanded.origin(line)
        else:
            path, number = example.path, line
        marker = ">" if failing == (path, number) else " "
        where = "" if path == example.path else f" {display_path(path)}"
        out.append(f"{marker}{number:5d}{where} | {text_lines[line - 1]}")
    return "\n".join(out)
