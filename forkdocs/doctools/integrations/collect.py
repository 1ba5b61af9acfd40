"""One MkDocs project as the harness sees it: its configuration, its pages, and the Sybil
that parses them.

A [`GuideProject`][forkdocs.doctools.integrations.collect.GuideProject] is made from a ``mkdocs.yml`` (read without MkDocs, see
[`siteconfig`][forkdocs.doctools.grammar.siteconfig]). Its pages are the Markdown files under the site's
``docs_dir`` and the ``README.md`` beside ``mkdocs.yml``; snippets are expanded with the
site's settings; each page is rendered with the site's Markdown configuration for the
cross-check.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path
from typing import Any

from sybil import Sybil
from sybil.sybil import DEFAULT_DOCUMENT_TYPES
from sybil.typing import Parser

from forkdocs.doctools.check.rendered import Renderer
from forkdocs.doctools.grammar.siteconfig import SiteConfig
from forkdocs.doctools.grammar.snippets import Snippets
from forkdocs.doctools.run.configcache import load_site
from forkdocs.doctools.run.document import PageLoader
from forkdocs.doctools.run.parsers import PageParser
from forkdocs.doctools.run.session import HarnessRun

#: Doctest flags every page gets: ``...`` matches anything, runs of whitespace compare equal.
DOCTEST_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE


class GuideProject:
    """The project whose site is configured by ``config_file``, for one harness ``run``."""

    def __init__(self, config_file: Path, run: HarnessRun | None = None) -> None:
        self.site = load_site(config_file)
        self.root = self.site.path.parent
        self.run = run if run is not None else HarnessRun(self.root)
        #: a digest of the site's whole configuration (part of the kept inventories' names)
        self.settings = self.site.digest()
        self.snippets = Snippets.from_site(self.site)
        self.renderer = Renderer(self.site)
        self.sybil = PageSybil(
            [PageParser(DOCTEST_FLAGS, _extra_lexers(self.site), str(self.root))],
            self.root,
            {".md": PageLoader(self.snippets, self.run)},
        )

    def is_page(self, path: Path) -> bool:
        """True for the pages the harness runs: Markdown under ``docs_dir``, and the
        ``README.md`` beside mkdocs.yml."""
        resolved = path.resolve()
        if resolved == self.root / "README.md":
            return True
        return resolved.suffix == ".md" and resolved.is_relative_to(self.site.docs_dir)

    def parse(self, path: Path) -> Any:
        """The parsed page at ``path`` (a [`PageDocument`][forkdocs.doctools.run.document.PageDocument])."""
        return self.sybil.parse(path)


class PageSybil(Sybil):
    """A Sybil that parses the pages of the project at ``root`` with ``parsers``, reading each
    kind of file with its ``document_types`` entry (its name ends with the key).

    Sybil's own constructor finds the folder its ``path`` is relative to from the source file
    of its caller, with ``inspect.getframeinfo``, whose first call maps every imported module
    to its file (about 6 ms a run here). The harness always knows the absolute folder, so this
    sets the attributes Sybil's constructor sets (a test compares them with a real
    ``Sybil``'s), with Sybil's defaults for the rest: no patterns (the plugin chooses the
    files), no setup, teardown or fixtures, UTF-8.
    """

    def __init__(
        self, parsers: Sequence[Parser], root: Path, document_types: Mapping[str, Any]
    ) -> None:
        self.parsers = parsers
        self.path = root
        self.patterns: list[str] = []
        self.excludes: list[str] = []
        self.filenames: Collection[str] = ()
        self.setup = None
        self.teardown = None
        self.fixtures: tuple[str, ...] = ()
        self.encoding = "utf-8"
        types: dict[str | None, Any] = dict(DEFAULT_DOCUMENT_TYPES)
        types.update(document_types)
        self.document_types = types
        self.default_document_type = self.document_types[None]
        self.name = ""


def _extra_lexers(site: SiteConfig) -> dict[str, str]:
    """pymdownx.highlight's ``extend_pygments_lang``: extra fence names for Pygments lexers."""
    options = site.options.get("pymdownx.highlight", {})
    return {
        str(entry["name"]).lower(): str(entry["lang"])
        for entry in options.get("extend_pygments_lang", [])
        if isinstance(entry, dict) and "name" in entry and "lang" in entry
    }
