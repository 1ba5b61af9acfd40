"""The pages of a site in reading order, as its configuration's ``nav`` lists them.

[`reading_order()`][forkdocs.doctools.integrations.sitenav.reading_order] reads ``nav`` as MkDocs
does (a page is ``Title: file.md`` or a bare ``file.md``, a section is ``Title: [entries]``;
addresses of other sites are not pages) and gives each page its section (the top-level entry
it is under, "" for a page at the top) and the address the builders give it (with
``use_directory_urls``, the default: ``a/b.md`` is ``a/b/``, ``a/index.md`` is ``a/``). A site
without ``nav`` reads its Markdown files as MkDocs' default navigation does: a folder's own
files (its index first, then by name) before its folders'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forkdocs.doctools.grammar.siteconfig import SiteConfig


@dataclass(frozen=True)
class NavPage:
    """One page: its ``section``, its ``title`` (None where the nav gives none), its source
    file ``src`` relative to ``docs_dir`` and its ``url`` relative to the site's root."""

    section: str
    title: str | None
    src: str
    url: str


def url_of(src: str, directory_urls: bool = True) -> str:
    """The address of page ``src`` (relative to ``docs_dir``) relative to the site's root."""
    stem = src[: -len(".md")] if src.endswith(".md") else src
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


def reading_order(site: SiteConfig) -> list[NavPage]:
    """The site's pages in the order its navigation lists them."""
    directory_urls = bool(site.settings.get("use_directory_urls", True))
    nav = site.settings.get("nav")
    if nav is None:
        files = sorted(p.relative_to(site.docs_dir).as_posix() for p in site.docs_dir.rglob("*.md"))
        files.sort(key=_walk_order)
        return [NavPage("", None, src, url_of(src, directory_urls)) for src in files]
    pages: list[NavPage] = []
    _walk(nav, "", True, pages, directory_urls)
    return pages


def _walk_order(src: str) -> tuple[tuple[int, bool, str], ...]:
    """The order MkDocs finds ``src`` in (``os.walk``): a folder's files before its
    folders, its index first, then by name."""
    *folders, name = src.split("/")
    return (*((1, False, f) for f in folders), (0, name != "index.md", name))


def _walk(entries: Any, section: str, top: bool, pages: list[NavPage], urls: bool) -> None:
    for entry in entries if isinstance(entries, list) else [entries]:
        title, value = (None, entry) if not isinstance(entry, dict) else next(iter(entry.items()))
        if isinstance(value, list):
            _walk(value, str(title) if top else section, False, pages, urls)
        elif isinstance(value, str) and value.endswith(".md") and "://" not in value:
            pages.append(
                NavPage(section, None if title is None else str(title), value, url_of(value, urls))
            )
