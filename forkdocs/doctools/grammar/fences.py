"""The fence grammar of Material for MkDocs, as a Sybil lexer.

Stock Sybil only takes a fence whose info string is exactly ``python``. Material (through
pymdownx.superfences and pymdownx.highlight) also accepts ``py``, ``python3``, attribute
lists such as ``python title="x.py" linenums="1"``, and the brace form
``{ .python .annotate }``. [`FenceLexer`][forkdocs.doctools.grammar.fences.FenceLexer] yields every fenced block, whatever its
language, with the language normalised so that parsers can route it.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sybil import Document, Region
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer
from sybil.region import Lexeme

from forkdocs.doctools.grammar.text import column_of

#: Pygments lexers whose blocks the harness must run (or be told not to).
PYTHON_LEXERS = frozenset({"PythonLexer", "PythonConsoleLexer"})


@functools.cache
def lexer_class(language: str) -> type | None:
    """The Pygments lexer class for a fence language, a name or an alias (None when
    Pygments has none). The class, not an instance: making one compiles all its patterns."""
    if not language:
        return None
    from pygments.lexers import find_lexer_class_by_name
    from pygments.util import ClassNotFound

    try:
        found: type = find_lexer_class_by_name(language)
    except ClassNotFound:
        return None
    return found


def python_family(lexer: type) -> bool:
    """Whether the Pygments lexer class ``lexer`` draws Python: the Python, Python console
    and Python 2 lexers, and any lexer class derived from one of them (NumPy's)."""
    from pygments.lexers.python import Python2Lexer, PythonConsoleLexer, PythonLexer

    return issubclass(lexer, PythonLexer | Python2Lexer | PythonConsoleLexer)


@functools.cache
def python_role(language: str) -> str:
    """What a block whose fence names ``language`` (a Pygments name or alias) is to the
    harness: ``"python"`` (Python 3 source, the Python lexer or one derived from it: run),
    ``"pycon"`` (a console session: run as a doctest), ``"python2"`` (drawn as Python but
    not Python 3: reported unless marked ``not-run``), or ``""`` (not Python)."""
    from pygments.lexers.python import PythonConsoleLexer, PythonLexer

    lexer = lexer_class(language)
    if lexer is None:
        return ""
    if issubclass(lexer, PythonConsoleLexer):
        return "pycon"
    if issubclass(lexer, PythonLexer):
        return "python"
    return "python2" if python_family(lexer) else ""


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


@functools.lru_cache(maxsize=1024)
def parse_info(info: str) -> FenceInfo:
    """Parse a fence info string the way superfences reads it (one `FenceInfo` for each
    distinct string: pages repeat a few, and it is frozen; its ``attributes`` are read-only).

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
        attributes=MappingProxyType(attributes),
    )


def _split(text: str) -> list[str]:
    """``text`` split as a shell splits words (quotes group; none: at whitespace)."""
    if not any(mark in text for mark in "\"'\\"):
        return text.split()  # what shlex gives for such a text, without its cost
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


def inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """True when ``position`` falls in one of ``spans``."""
    return any(start <= position < end for start, end in spans)


class FenceLexer(RawFencedCodeBlockLexer):
    """Finds every fenced block (backticks or tildes, at any indentation, in lists,
    admonitions, tabs and blockquotes), with lexemes ``language`` (normalised), ``fence``
    (a [`FenceInfo`][forkdocs.doctools.grammar.fences.FenceInfo]), ``source`` (prefix stripped),
    ``prefix``, ``column`` and ``closed``; and tells which of them a reader sees as Markdown
    *source* rather than as a block.
    """

    def __init__(self) -> None:
        super().__init__(info_pattern=WHOLE_INFO_LINE)

    def every(self, document: Document) -> list[Region]:
        """Every fence, nested, commented and unclosed ones included, in document order."""
        return sorted(super().__call__(document), key=lambda r: (r.start, -r.end))

    @staticmethod
    def classified(
        regions: list[Region], hidden: list[tuple[int, int]]
    ) -> list[tuple[Region, bool]]:
        """Each of ``regions`` (from :meth:`every`), with True when a reader sees it as
        Markdown *source*: nested in another fence, or inside one of the ``hidden`` spans
        (HTML comments that are not directives, see :func:`comment_spans`)."""
        found, outer_end = [], -1
        for region in regions:
            nested = region.start < outer_end
            if not nested:
                outer_end = region.end
            found.append((region, nested or inside(region.start, hidden)))
        return found

    def make_region(
        self, opening: re.Match[str], document: Document, closing: re.Match[str] | None
    ) -> Region | None:
        # Sybil's own make_region, but the code keeps its indentation: Sybil dedents it,
        # while Markdown strips only the fence's own, so a section of a C function,
        # indented as a whole, keeps its indentation on the page
        text = document.text
        content_end, region_end = (
            (len(text), len(text)) if closing is None else (closing.start(), closing.end())
        )
        content_start = opening.start("trailing")
        info = self.info_pattern.match(text, content_start, content_end)
        if info is None:
            return None
        prefix = opening.group("prefix")
        cut = len(prefix)
        raw = text[info.end() : content_end]
        kept = (
            "".join(line[cut:] or line[-1:] for line in raw.splitlines(keepends=True))
            if cut
            else raw
        )
        fence = parse_info(info.group("info"))
        lexemes: dict[str, Any] = {
            "source": Lexeme(kept, offset=info.end() - opening.start(), line_offset=0),
            "fence": fence,
            "language": fence.language,
            "prefix": prefix,
            "column": column_of(text, opening.start("fence")),
            "closed": closing is not None,
        }
        return Region(opening.start(), region_end, lexemes=lexemes)
