"""The fence grammar of Material for MkDocs, as a Sybil lexer.

Stock Sybil only takes a fence whose info string is exactly ``python``. Material (through
pymdownx.superfences and pymdownx.highlight) also accepts ``py``, ``python3``, attribute
lists such as ``python title="x.py" linenums="1"``, and the brace form
``{ .python .annotate }``. [`FenceLexer`][forkdocs.doctools.fences.FenceLexer] yields every fenced block, whatever its
language, with the language normalised so that parsers can route it.
"""

from __future__ import annotations

import re
import shlex
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sybil import Document, Region
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

from forkdocs.doctools.directives import find
from forkdocs.doctools.text import column_of

#: Info-string languages that Pygments (and so Material) treats as Python source.
PYTHON_ALIASES: Mapping[str, str] = {
    "python": "python",
    "py": "python",
    "python3": "python",
    "py3": "python",
    "pycon": "pycon",
}

WHOLE_INFO_LINE = re.compile(r"(?P<info>[^\n]*)$\n", re.MULTILINE)
_ATTRIBUTE = re.compile(r"""(?P<key>[\w-]+)=(?P<value>"[^"]*"|'[^']*'|\S+)""")


@dataclass(frozen=True)
class FenceInfo:
    """What a fence's info string says.

    ``language`` is lower-cased with Python aliases folded (``py`` -> ``python``); it is
    ``""`` for a fence with no language. ``attributes`` holds ``key=value`` pairs
    (``title``, ``linenums``, ``hl_lines``...), ``classes`` every ``.class`` after the first.
    """

    raw: str
    language: str
    classes: tuple[str, ...] = ()
    attributes: Mapping[str, str] = field(default_factory=dict)


def parse_info(info: str) -> FenceInfo:
    """Parse a fence info string the way superfences reads it.

    Accepts ``lang``, ``lang key="v" ...``, ``lang { .cls key=v }`` and ``{ .lang .cls key=v }``.
    """
    text = info.strip()
    language = ""
    classes: list[str] = []
    attributes: dict[str, str] = {}
    brace = text.find("{")
    head, braced = (text[:brace], text[brace + 1 :].rstrip("}")) if brace >= 0 else (text, "")
    words = head.split(None, 1)
    if words:
        language = words[0]
        rest = words[1] if len(words) > 1 else ""
    else:
        rest = ""
    for token in _split(braced):
        if token.startswith("."):
            if not language:
                language = token[1:]
            else:
                classes.append(token[1:])
    for match in _ATTRIBUTE.finditer(f"{rest} {braced}"):
        attributes[match.group("key")] = match.group("value").strip("\"'")
    folded = language.lower()
    return FenceInfo(
        raw=info,
        language=PYTHON_ALIASES.get(folded, folded),
        classes=tuple(classes),
        attributes=attributes,
    )


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: fall back to whitespace
        return text.split()


def comment_spans(
    text: str, fences: list[tuple[int, int]], directives: list[int]
) -> list[tuple[int, int]]:
    """The spans of the block-level HTML comments of ``text`` that are not directives
    (``directives``: where the ``<!--`` of each directive is). Only a ``<!--`` that starts a
    line (after indentation or blockquote markers) opens a block of raw HTML; one inside a
    paragraph or a code span hides nothing, and one inside a fence (``fences``) is shown text."""
    spans, position = [], 0
    starts = set(directives)
    while (start := text.find("<!--", position)) >= 0:
        line_start = text.rfind("\n", 0, start) + 1
        if inside(start, fences) or text[line_start:start].strip(" \t>"):
            position = start + 4
            continue
        end = text.find("-->", start + 4)
        end = len(text) if end < 0 else end + 3
        if start not in starts:
            spans.append((start, end))
        position = end
    return spans


def fence_spans(document: Document) -> list[tuple[int, int]]:
    """The spans of every fenced block, nested ones included."""
    return [(region.start, region.end) for region in FenceLexer().every(document)]


def inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """True when ``position`` falls in one of ``spans``."""
    return any(start <= position < end for start, end in spans)


#: The fences of each document, lexed once: every parser of a page asks for them.
_LEXED: weakref.WeakKeyDictionary[Document, list[Region]] = weakref.WeakKeyDictionary()


class FenceLexer(RawFencedCodeBlockLexer):
    """Yields a region for every fenced block a reader sees as a block (backticks or tildes, at
    any indentation, in lists, admonitions, tabs and blockquotes), with lexemes ``language``
    (normalised), ``fence`` (a [`FenceInfo`][forkdocs.doctools.fences.FenceInfo]) and ``source`` (prefix stripped).

    Fences shown as *source* are not yielded: one nested in another fence (a ````markdown
    example), or one inside an HTML comment that is not a directive.
    """

    def __init__(self) -> None:
        super().__init__(info_pattern=WHOLE_INFO_LINE)

    def every(self, document: Document) -> list[Region]:
        """Every fence, nested, commented and unclosed ones included, in document order
        (lexed once per document: the parsers of a page all ask)."""
        cached = _LEXED.get(document)
        if cached is None:
            cached = _LEXED[document] = sorted(
                super().__call__(document), key=lambda r: (r.start, -r.end)
            )
        return cached

    def classified(self, document: Document) -> list[tuple[Region, bool]]:
        """Every fence, with True when a reader sees it as Markdown *source*: nested in
        another fence, or inside an HTML comment that is not a directive."""
        regions = self.every(document)
        spans = [(r.start, r.end) for r in regions]
        directives = [d.start + len(d.prefix) for d in find(document.text)]
        hidden = comment_spans(document.text, spans, directives)
        found, outer_end = [], -1
        for region in regions:
            nested = region.start < outer_end
            if not nested:
                outer_end = region.end
            found.append((region, nested or inside(region.start, hidden)))
        return found

    def __call__(self, document: Document) -> Iterable[Region]:
        for region, as_source in self.classified(document):
            if region.lexemes["closed"] and not as_source:
                yield region  # an unclosed fence is a paragraph to Markdown, not code

    def make_region(
        self, opening: re.Match[str], document: Document, closing: re.Match[str] | None
    ) -> Region | None:
        region: Region | None = super().make_region(opening, document, closing)
        if region is None:
            return None
        lexemes: dict[str, Any] = dict(region.lexemes)
        fence = parse_info(lexemes.pop("info"))
        lexemes["fence"] = fence
        lexemes["language"] = fence.language
        lexemes["prefix"] = opening.group("prefix")
        lexemes["column"] = column_of(document.text, opening.start("fence"))
        lexemes["closed"] = closing is not None
        region.lexemes = lexemes
        return region
