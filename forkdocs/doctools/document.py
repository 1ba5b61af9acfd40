"""A Markdown page as the harness sees it: snippets expanded, every line's origin known."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from sybil import Document, Example
from sybil.typing import Parser

from forkdocs.doctools.snippets import Expanded, Origin, Snippets
from forkdocs.doctools.text import line_of


def display_path(path: str) -> str:
    """``path`` relative to the current directory when it is below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


class PageDocument(Document):
    """A :class:`sybil.Document` whose text has its ``--8<--`` includes expanded.

    ``expanded.origin(line)`` gives the file and line a line of :attr:`text` came from; for
    a page without includes that is the page itself, line for line. ``source`` is the page's
    text as read from disk (what update mode edits).
    """

    #: The snippets settings of the project being tested (set by the harness at start-up).
    snippets: ClassVar[Snippets | None] = None

    def __init__(
        self, text: str, path: str, source: str | None = None, expanded: Expanded | None = None
    ) -> None:
        super().__init__(text, path)
        self.source = text if source is None else source
        self.expanded = expanded or Expanded.identity(text, path)
        self.namespace["__file__"] = path  # a page may refer to where it is
        #: every example of the page, and the index of the next one to run (for replay)
        self.all_examples: list[Example] = []
        self.next_index = 0
        #: where the first example that failed in this run is, if one did
        self.failed_at: str | None = None

    @classmethod
    def parse(cls, path: str, *parsers: Parser, encoding: str = "utf-8") -> PageDocument:
        source = Path(path).read_text(encoding=encoding)
        expanded = cls.snippets.expand(source, path) if cls.snippets else None
        document = cls(expanded.text if expanded else source, path, source, expanded)
        for parser in parsers:
            for region in parser(document):
                document.add(region)
        return document

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
        """The 1-based line of :attr:`text` holding character ``position``."""
        return line_of(self.text, position)

    def origin_of(self, position: int) -> Origin:
        """Where the line holding ``position`` came from (file, line)."""
        return self.expanded.origin(self.line_of(position))
