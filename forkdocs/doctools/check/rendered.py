"""The code blocks of a page as the site renders them: the harness's reference.

A page is converted by Python-Markdown with exactly the extensions and options of the
project's ``mkdocs.yml`` (plus the ones MkDocs always adds; see
[`siteconfig`][forkdocs.doctools.grammar.siteconfig]). While it converts, every call that
``pymdownx.highlight`` makes to choose a Pygments lexer for a block (fenced, in any
container, or indented) is observed: the lexer Pygments gave and the code it got are what
the reader sees. Inline code is left out. Without ``pymdownx.highlight`` the blocks are read
from the HTML (``<pre><code class="language-X">``) and X is looked up in Pygments, as a
highlighter in the browser would.

Results are cached on disk by the content of everything that affects them: the rendering
settings, the page, and every file the page includes (``FORKDOCS_RENDER_CACHE``, or a
per-user folder under the system's temporary directory).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from forkdocs.doctools.grammar.fences import PYTHON_LEXERS
from forkdocs.doctools.grammar.siteconfig import SiteConfig
from forkdocs.doctools.run.cache import cache_dir, write_quietly

# Material 9 prints an end-of-life banner when its extensions load unless this is set; set
# once when the harness loads, not while a page runs (a page's run must not change the
# environment: forkdocs.doctools.run.pagestate).
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

_PLAIN_CODE = re.compile(
    r'<pre[^>]*><code(?: class="(?P<classes>[^"]*)")?>(?P<code>.*?)</code></pre>', re.S
)


@dataclass(frozen=True)
class RenderedBlock:
    """One code block of the rendered page: its ``code`` (as highlighted), the ``language``
    its fence asked for, and the class name of the Pygments ``lexer`` that drew it."""

    code: str
    language: str
    lexer: str

    @property
    def is_python(self) -> bool:
        return self.lexer in PYTHON_LEXERS


class Renderer:
    """Renders pages with one site's configuration (one Markdown instance, reused)."""

    def __init__(self, site: SiteConfig) -> None:
        self.site = site
        self._markdown: Any = None
        self._fingerprint = site.fingerprint()

    def blocks(self, source: str, included: list[str]) -> list[RenderedBlock]:
        """The code blocks of a page whose text is ``source`` and which includes the files
        ``included`` (their contents are part of the cache key)."""
        digest = hashlib.sha256(self._fingerprint.encode())
        digest.update(source.encode())
        for path in sorted(set(included)):
            digest.update(b"\0" + path.encode() + b"\0")
            with contextlib.suppress(OSError):
                digest.update(Path(path).read_bytes())
        cached = cache_dir("render", "FORKDOCS_RENDER_CACHE") / f"{digest.hexdigest()[:32]}.json"
        try:
            return [RenderedBlock(**item) for item in json.loads(cached.read_text())]
        except (OSError, ValueError, TypeError):
            pass
        blocks = self.render(source)
        write_quietly(cached, json.dumps([asdict(block) for block in blocks]).encode())
        return blocks

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
        claimed: set[int] = set()
        shown = []
        for block, drawn in seen:
            position = _claim(converted, drawn, claimed)
            if position < 0 or not any(start <= position < end for start, end in hidden):
                shown.append(block)
        return shown

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
        chosen.append(type(lexer).__name__)
        return lexer, name

    def draw(self: Any, src: str, language: str, *args: Any, **kwargs: Any) -> Any:
        chosen.clear()
        drawn = original_highlight(self, src, language, *args, **kwargs)
        if not kwargs.get("inline", False) and not (len(args) > 5 and args[5]):
            lexer = chosen[-1] if chosen else _lexer_named(language)
            seen.append((RenderedBlock(src, language or "", lexer), str(drawn)))
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


def _lexer_named(language: str) -> str:
    """The Pygments lexer a browser-side highlighter would use for ``language``."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return type(get_lexer_by_name(language)).__name__ if language else "TextLexer"
    except ClassNotFound:
        return "TextLexer"


def _from_html(converted: str) -> list[RenderedBlock]:
    hidden = _comment_spans(converted)
    found = []
    for match in _PLAIN_CODE.finditer(converted):
        if any(start <= match.start() < end for start, end in hidden):
            continue
        classes = (match.group("classes") or "").split()
        language = next((c[len("language-") :] for c in classes if c.startswith("language-")), "")
        found.append(
            RenderedBlock(html.unescape(match.group("code")), language, _lexer_named(language))
        )
    return found
