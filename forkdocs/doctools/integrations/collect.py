"""One MkDocs project as the harness sees it: its configuration, its pages, and the Sybil
that parses them.

A [`GuideProject`][forkdocs.doctools.integrations.collect.GuideProject] is made from a ``mkdocs.yml`` (read without MkDocs, see
[`siteconfig`][forkdocs.doctools.grammar.siteconfig]). Its pages are the Markdown files under the site's
``docs_dir`` and the ``README.md`` beside ``mkdocs.yml``; snippets are expanded with the
site's settings; each page is rendered with the site's Markdown configuration for the
cross-check.
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path
from typing import Any

from sybil import Sybil

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
        self.snippets = Snippets.from_site(self.site)
        self.renderer = Renderer(self.site)
        self.sybil = Sybil(
            parsers=[PageParser(DOCTEST_FLAGS, _extra_lexers(self.site), str(self.root))],
            path=str(self.root),
            document_types={".md": PageLoader(self.snippets, self.run)},  # type: ignore[dict-item]
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


def _extra_lexers(site: SiteConfig) -> dict[str, str]:
    """pymdownx.highlight's ``extend_pygments_lang``: extra fence names for Pygments lexers."""
    options = site.options.get("pymdownx.highlight", {})
    return {
        str(entry["name"]).lower(): str(entry["lang"])
        for entry in options.get("extend_pygments_lang", [])
        if isinstance(entry, dict) and "name" in entry and "lang" in entry
    }
