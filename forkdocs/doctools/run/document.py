"""A Markdown page as the harness sees it: snippets expanded, every line's origin known."""

from __future__ import annotations

import bisect
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sybil import Document, Example
from sybil.typing import Parser

from forkdocs.doctools.grammar.snippets import Expanded, Origin, Snippets
from forkdocs.doctools.run.codecache import CodeBundle

if TYPE_CHECKING:
    from forkdocs.doctools.run.session import HarnessRun


class PageDocument(Document):
    """A `Document` whose text has its ``--8<--`` includes expanded.

    ``expanded.origin(line)`` gives the file and line a line of `text` came from; for
    a page without includes that is the page itself, line for line. ``source`` is the page's
    text as read (universal newlines, no byte-order mark, as MkDocs reads it) and ``raw`` its
    bytes (what update mode edits); ``run`` is the harness run it belongs to (None outside
    one). The namespace starts as a script's does: ``__name__`` is ``"__main__"`` and
    ``__file__`` the page; it is the dictionary of ``main``, a module that stands in for
    ``sys.modules["__main__"]`` while an example runs (so pickle finds the classes a page
    defines, as it would a script's).
    """

    def __init__(
        self,
        text: str,
        path: str,
        source: str | None = None,
        expanded: Expanded | None = None,
        raw: bytes | None = None,
        run: HarnessRun | None = None,
    ) -> None:
        super().__init__(text, path)
        self.source = text if source is None else source
        self.raw = self.source.encode() if raw is None else raw
        self.expanded = expanded or Expanded.identity(text, path)
        self.run = run
        #: the compiled code of its blocks (saved by the harness at the page's end)
        self.codes = CodeBundle(path)
        self.main = types.ModuleType("__main__")
        self.namespace = self.main.__dict__
        self.namespace.update(self.fresh_namespace())
        #: every example of the page, and the index of the next one to run (for replay)
        self.all_examples: list[Example] = []
        self.next_index = 0
        #: where the first example that failed in this run is, if one did
        self.failed_at: str | None = None
        self._line_ends: list[int] | None = None

    def fresh_namespace(self) -> dict[str, Any]:
        """What the namespace holds before the first example (and after clear-namespace)."""
        return {"__name__": "__main__", "__file__": self.path}

    @classmethod
    def read(
        cls, path: str, snippets: Snippets | None = None, run: HarnessRun | None = None
    ) -> PageDocument:
        """The page at ``path``, its includes expanded with ``snippets`` (None: as it is)."""
        raw = Path(path).read_bytes()
        source = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        expanded = snippets.expand(source, path) if snippets else None
        return cls(expanded.text if expanded else source, path, source, expanded, raw, run)

    @classmethod
    def parse(cls, path: str, *parsers: Parser, encoding: str = "utf-8") -> PageDocument:
        """Sybil's entry point: the page with no snippets settings, parsed by ``parsers``."""
        return PageLoader(None, None).parse(path, *parsers, encoding=encoding)

    def examples(self) -> Iterator[Example]:
        """Sybil's examples, numbered by the lines of the page (not of the expanded text), at
        the column of their fence, so node ids and messages match what an editor shows."""
        for example in super().examples():
            example.line = self.page_line_of(example.region.start)
            example.column = example.region.lexemes.get("column", example.column)
            yield example

    def page_line_of(self, position: int) -> int:
        """The page line that character ``position`` of the expanded text stands for."""
        return self.expanded.page_line(self.line_of(position), self.path)

    def line_of(self, position: int) -> int:
        """The 1-based line of `text` holding character ``position`` (as
        [`line_of`][forkdocs.doctools.grammar.text.line_of] counts it, by a search in the
        text's line ends, found once)."""
        if self._line_ends is None:
            self._line_ends = [match.start() for match in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._line_ends, position) + 1

    def origin_of(self, position: int) -> Origin:
        """Where the line holding ``position`` came from (file, line)."""
        return self.expanded.origin(self.line_of(position))


class PageLoader:
    """What Sybil's ``document_types`` maps ``.md`` to: reads pages with one project's
    snippets settings, for one harness run (no state in class attributes)."""

    def __init__(self, snippets: Snippets | None, run: HarnessRun | None) -> None:
        self.snippets = snippets
        self.run = run

    def parse(self, path: str, *parsers: Parser, encoding: str = "utf-8") -> PageDocument:
        document = PageDocument.read(path, self.snippets, self.run)
        for parser in parsers:
            for region in parser(document):
                document.add(region)
        return document
