"""The code blocks of a page as the site renders them: the harness's reference.

A page is converted by Python-Markdown with exactly the extensions and options of the
project's ``mkdocs.yml`` (plus the ones MkDocs always adds; see
[`siteconfig`][forkdocs.doctools.grammar.siteconfig]). While it converts, every call that
``pymdownx.highlight`` makes to choose a Pygments lexer for a block (fenced, in any
container, or indented) is observed: the lexer Pygments gave and the code it got. A drawing
counts only if the final HTML holds it: Markdown may draw a block and then throw the drawing
away (a fence indented into an indented code block is highlighted, then shown again as plain
text, backticks and all), so each drawing is looked for in the converted page, by its HTML
and then by its text, and one that is not there, or is inside an HTML comment, is not seen.
A block is Python when its lexer is one of the Python family (the Python and Python console
lexers, Python 2's, and any lexer derived from them, such as NumPy's). Inline code is left
out. Without ``pymdownx.highlight`` the blocks are read
from the HTML (``<pre><code class="language-X">``) and X is looked up in Pygments, as a
highlighter in the browser would.

Results are cached on disk by the content of everything that affects them: the rendering
settings, the harness's code and the packages it renders with (`reference_stamp`), the
page, and every file the page includes (``FORKDOCS_RENDER_CACHE``, or a
per-user folder under the system's temporary directory).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from forkdocs.doctools.grammar.fences import lexer_class, python_family
from forkdocs.doctools.grammar.siteconfig import SiteConfig
from forkdocs.doctools.run.cache import (
    cache_dir,
    code_stamp,
    kept_json,
    package_stamp,
)

# Material 9 prints an end-of-life banner when its extensions load unless this is set; set
# once when the harness loads, not while a page runs (a page's run must not change the
# environment: forkdocs.doctools.run.pagestate).
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

_PLAIN_CODE = re.compile(
    r'<pre[^>]*><code(?: class="(?P<classes>[^"]*)")?>(?P<code>.*?)</code></pre>', re.S
)
#: A code block's ``<pre>`` as pymdownx.highlight (or Markdown) writes it, in any container.
PRE = re.compile(r"<pre\b(?P<attributes>[^>]*)>(?P<body>.*?)</pre>", re.S)
_LINE_NUMBERS = re.compile(
    r'<td class="linenos">.*?</td>|<span class="linenos"[^>]*>.*?</span>', re.S
)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class RenderedBlock:
    """One code block of the rendered page: its ``code`` (as highlighted), the ``language``
    its fence asked for, and the class name of the Pygments ``lexer`` that drew it."""

    code: str
    language: str
    lexer: str
    #: drawn by a lexer of the Python family (see the module's docstring)
    is_python: bool = False


class Renderer:
    """Renders pages with one site's configuration (one Markdown instance, reused)."""

    def __init__(self, site: SiteConfig) -> None:
        self.site = site
        self._markdown: Any = None
        self._fingerprint = site.fingerprint()

    def blocks(self, source: str, included: list[str]) -> list[RenderedBlock]:
        """The code blocks of a page whose text is ``source`` and which includes the files
        ``included`` (their contents are part of the cache key)."""
        digest = hashlib.sha256(self._fingerprint.encode() + reference_stamp())
        digest.update(source.encode())
        for path in sorted(set(included)):
            digest.update(b"\0" + path.encode() + b"\0")
            with contextlib.suppress(OSError):
                digest.update(Path(path).read_bytes())
        cached = cache_dir("render", "FORKDOCS_RENDER_CACHE") / f"{digest.hexdigest()[:32]}.json"
        return kept_json(
            cached,
            lambda: [asdict(block) for block in self.render(source)],
            lambda items: [RenderedBlock(**item) for item in items],
        )

    def render(self, source: str) -> list[RenderedBlock]:
        """Convert ``source`` and return the code blocks a reader sees (no cache): a block
        the highlighter drew that lands inside an HTML comment of the page is not seen."""
        markdown = self._instance()
        markdown.reset()
        seen: list[tuple[RenderedBlock, str]] = []
        with _observing(seen):
            converted = markdown.convert(source)
        if not seen:
            return _from_html(converted)
        hidden = _comment_spans(converted)
        visible = [
            (found.start(), _text_of(found.group("body")))
            for found in PRE.finditer(converted)
            if not any(start <= found.start() < end for start, end in hidden)
        ]
        claimed: set[int] = set()
        places: list[int | None] = []
        for _, drawn in seen:  # first each drawing found as it was drawn
            position = _claim(converted, drawn, claimed)
            inside = any(start <= position < end for start, end in hidden)
            places.append(None if position < 0 or inside else position)
        for index, (_, drawn) in enumerate(seen):  # then by its text, if a later step changed it
            if places[index] is None and drawn not in converted:
                text = _text_of(drawn)
                spot = next((p for p, t in visible if t == text and p not in claimed), None)
                if spot is not None:
                    claimed.add(spot)
                    places[index] = spot
        return [block for (block, _), place in zip(seen, places, strict=True) if place is not None]

    def _instance(self) -> Any:
        if self._markdown is None:
            from markdown import Markdown

            self._markdown = Markdown(
                extensions=list(self.site.extensions),
                extension_configs={n: o for n, o in self.site.options.items() if o},
            )
        return self._markdown


@contextlib.contextmanager
def _observing(seen: list[tuple[RenderedBlock, str]]) -> Iterator[None]:
    """Record every block ``pymdownx.highlight`` draws while the body runs: the block, with
    the lexer Pygments chose, and the HTML drawn for it."""
    try:
        from pymdownx import highlight
    except ImportError:
        yield
        return
    original_lexer, original_highlight = (
        highlight.Highlight.get_lexer,
        highlight.Highlight.highlight,
    )
    chosen: list[str] = []

    def get_lexer(self: Any, src: str, language: str, inline: bool, stripnl: bool) -> Any:
        lexer, name = original_lexer(self, src, language, inline, stripnl)
        chosen.append(lexer)
        return lexer, name

    def draw(self: Any, src: str, language: str, *args: Any, **kwargs: Any) -> Any:
        chosen.clear()
        drawn = original_highlight(self, src, language, *args, **kwargs)
        if not kwargs.get("inline", False) and not (len(args) > 5 and args[5]):
            lexer = type(chosen[-1]) if chosen else _lexer_for(language)
            seen.append((_block(src, language or "", lexer), str(drawn)))
        return drawn

    highlight.Highlight.get_lexer = get_lexer
    highlight.Highlight.highlight = draw
    try:
        yield
    finally:
        highlight.Highlight.get_lexer = original_lexer
        highlight.Highlight.highlight = original_highlight


def _comment_spans(converted: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    while (start := converted.find("<!--", position)) >= 0:
        end = converted.find("-->", start + 4)
        end = len(converted) if end < 0 else end + 3
        spans.append((start, end))
        position = end
    return spans


def _claim(converted: str, drawn: str, claimed: set[int]) -> int:
    """The first place of ``drawn`` in ``converted`` not claimed yet (-1: not found)."""
    position = converted.find(drawn)
    while position >= 0 and position in claimed:
        position = converted.find(drawn, position + 1)
    if position >= 0:
        claimed.add(position)
    return position


#: The packages the rendered blocks depend on besides the harness: the renderer, its
#: extensions, the lexers, and Sybil (whose lexers find the blocks the drawings are matched to).
PACKAGES = ("markdown", "pymdownx", "pygments", "sybil")


def reference_stamp() -> bytes:
    """What the rendered reference depends on besides the page and the site's settings, part
    of every key of what is computed from it: the harness's code and Python
    ([`code_stamp`][forkdocs.doctools.run.cache.code_stamp]) and the `PACKAGES` installed. A
    kept result is what this code, with these packages, gives."""
    return code_stamp() + b"\0".join(package_stamp(name) for name in PACKAGES)


def shown_text(body: str) -> str:
    """The text a reader sees of a ``<pre>``'s ``body``: its tags dropped, entities read."""
    return html.unescape(_TAG.sub("", body))


def _text_of(drawn: str) -> str:
    """The text a reader sees in a drawn block: no line numbers, tags or entities."""
    parts = [found.group("body") for found in PRE.finditer(_LINE_NUMBERS.sub("", drawn))]
    return "\n".join(shown_text(part).strip("\n") for part in parts or [drawn])


def _lexer_for(language: str) -> type:
    """The Pygments lexer class a browser-side highlighter would use for ``language``."""
    from pygments.lexers import TextLexer

    return lexer_class(language) or TextLexer


def _block(code: str, language: str, lexer: type) -> RenderedBlock:
    return RenderedBlock(code, language, lexer.__name__, python_family(lexer))


def _from_html(converted: str) -> list[RenderedBlock]:
    hidden = _comment_spans(converted)
    found = []
    for match in _PLAIN_CODE.finditer(converted):
        if any(start <= match.start() < end for start, end in hidden):
            continue
        classes = (match.group("classes") or "").split()
        language = next((c[len("language-") :] for c in classes if c.startswith("language-")), "")
        found.append(_block(html.unescape(match.group("code")), language, _lexer_for(language)))
    return found
