"""A Python-Markdown extension that lets a path in inline code break after its slashes.

A browser finds no place to break ``tests/reality/test_copy_on_write.py`` but anywhere at
all: Material's inline code may break inside a word, and a table squeezes its columns to
that, so a path in a narrow column reads ``tests/reali`` / ``ty/test_co`` ... This puts a
``<wbr>`` (a break opportunity, copied as nothing) after each slash of the text of every
inline ``code`` element (its text, or the HTML that ``pymdownx.inlinehilite`` keeps aside
for it), and the site's stylesheet (``docs/stylesheets/forkdocs.css``) keeps
code in tables from breaking anywhere else. Code blocks (``pre``) are left alone. List it
under ``markdown_extensions`` as ``forkdocs.doctools.integrations.path_breaks``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString


def _pieces(text: str) -> list[str]:
    """``text`` cut after each slash that has more of the name after it ([] for none)."""
    pieces = text.split("/")
    if len(pieces) < 2 or not pieces[-1]:
        return []  # no slash, or a folder's trailing slash only
    return [piece + "/" for piece in pieces[:-1]] + [pieces[-1]]


class _Breaks(Treeprocessor):  # type: ignore[misc]  # Markdown ships no type hints
    def run(self, root: ElementTree.Element) -> None:
        blocks = {id(code) for pre in root.iter("pre") for code in pre.iter("code")}
        for code in root.iter("code"):
            if id(code) not in blocks and not len(code):  # markup inside: as it is
                self._mark(code)

    def _mark(self, code: ElementTree.Element) -> None:
        text = code.text or ""
        stashed = HTML_PLACEHOLDER_RE.fullmatch(text)
        if stashed:  # inlinehilite keeps the code's (escaped) text aside as HTML
            index = int(stashed.group(1))
            html = self.md.htmlStash.rawHtmlBlocks[index]
            if isinstance(html, str) and "<" not in html:
                self.md.htmlStash.rawHtmlBlocks[index] = "<wbr>".join(_pieces(html)) or html
            return
        pieces = _pieces(text)
        if pieces:
            code.text = AtomicString(pieces[0])
            for piece in pieces[1:]:
                ElementTree.SubElement(code, "wbr").tail = AtomicString(piece)


class PathBreaks(Extension):  # type: ignore[misc]  # Markdown ships no type hints
    """Marks where a path in inline code may break: after each slash."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_Breaks(md), "forkdocs-path-breaks", 5)


def makeExtension(**kwargs: Any) -> PathBreaks:
    """The entry point Python-Markdown looks for."""
    return PathBreaks(**kwargs)
