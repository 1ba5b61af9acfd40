"""The whole guide on one page, for printing (to paper or, from the browser, to PDF).

A site asks for it with a page whose Markdown holds the mark
``<div class="fd-whole-guide"></div>`` (``MARK``). After any builder has built the site,
[`bind()`][forkdocs.doctools.integrations.printbook.bind] puts into that page, in place of the
mark, the article of every page that comes *before it* in the navigation, in reading order,
as the builder drew them (figures, tables, tabs): one ``<section class="fd-book-page">`` a
page, which the print stylesheet starts on a new sheet.

So that the pages sit together in one document:

- each page's ids (headings, footnotes, tabs, a figure's markers) get the page's prefix, and
  what refers to them (``href="#..."``, ``for``, ``url(#...)``, ``aria-*by``, a tab group's
  ``name``) follows;
- a link to another page of the book becomes a link inside the book, to that section;
- other relative addresses (images, pages left out) are made relative to the book's page;
- what only works on a screen goes: Run marks and the steps' data, edit buttons, the page's
  source-file footer.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from forkdocs.doctools.errors import PageError
from forkdocs.doctools.integrations.sitenav import NavPage

#: The mark a page holds where the book goes.
MARK = '<div class="fd-whole-guide"></div>'
_ARTICLE = re.compile(r'(<article class="md-content__inner[^"]*">)(.*?)(</article>)', re.S)
_SCREEN_ONLY = [
    re.compile(r'<template class="fd-steps">.*?</template>', re.S),
    re.compile(r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', re.S),
    re.compile(r'<aside class="md-source-file">.*?</aside>', re.S),
    re.compile(r' data-fd-step="\d+"'),
]
_IDS = re.compile(r'\b(id|for|name)="([^"]+)"')
_REFS = re.compile(r'\b(href|src)="([^"]*)"')
_FRAGMENT_URL = re.compile(r"url\(#([^)]+)\)")
_LABELLED = re.compile(r'\b(aria-(?:labelledby|describedby|controls))="([^"]+)"')


class BookError(PageError, ValueError):
    """The book cannot be bound: a page of it was not built, or has no article."""


def _slug(page: NavPage) -> str:
    return "p-" + (re.sub(r"[^A-Za-z0-9]+", "-", page.url).strip("-") or "home")


def _file_of(site_dir: Path, page: NavPage) -> Path:
    return (
        site_dir / page.url / "index.html"
        if page.url.endswith("/") or not page.url
        else site_dir / page.url
    )


def _article(site_dir: Path, page: NavPage) -> str:
    path = _file_of(site_dir, page)
    try:
        html = path.read_text(encoding="utf-8")
    except OSError:
        raise BookError(f"{page.src}: the built page {path} is missing") from None
    found = _ARTICLE.search(html)
    if found is None:
        raise BookError(f'{path}: no <article class="md-content__inner"> in it')
    return found.group(2)


def _retarget(html: str, page: NavPage, book: NavPage, slugs: dict[str, str]) -> str:
    """``html`` of ``page`` with its ids prefixed and its addresses made right for ``book``."""
    prefix = _slug(page)

    def own(name: str) -> str:
        return f"{prefix}--{name}"

    def address(found: re.Match[str]) -> str:
        attribute, value = found.groups()
        parts = urlsplit(value)
        if value.startswith("#"):
            return f'{attribute}="#{own(value[1:])}"'
        if parts.scheme or value.startswith(("/", "data:")) or not value:
            return found.group(0)
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname("/" + page.url + "x"), parts.path)
        ).lstrip("/")
        # the site's root is "" (the home page's url); a folder keeps its slash
        folder = parts.path.endswith("/") or parts.path in (".", "..") or not target
        target += "/" if folder and target else ""
        if target in slugs and attribute == "href":
            inside = f"{slugs[target]}--{parts.fragment}" if parts.fragment else slugs[target]
            return f'{attribute}="#{inside}"'
        base = posixpath.dirname("/" + book.url + "x")
        moved = posixpath.relpath("/" + target, base) + ("/" if folder else "")
        return f'{attribute}="{moved}{"#" + parts.fragment if parts.fragment else ""}"'

    html = _IDS.sub(lambda m: f'{m.group(1)}="{own(m.group(2))}"', html)
    html = _REFS.sub(address, html)
    html = _FRAGMENT_URL.sub(lambda m: f"url(#{own(m.group(1))})", html)

    def labelled(found: re.Match[str]) -> str:
        return f'{found.group(1)}="{" ".join(own(n) for n in found.group(2).split())}"'

    return _LABELLED.sub(labelled, html)


def _holds_mark(site_dir: Path, page: NavPage) -> bool:
    try:
        return MARK in _file_of(site_dir, page).read_text(encoding="utf-8")
    except OSError:
        return False


def bind(site_dir: Path, pages: list[NavPage]) -> NavPage | None:
    """Put the book into the page of ``pages`` (the site's reading order) that holds the
    ``MARK``; that page, or None when none
    does. The file is replaced whole (a reader never sees half a book)."""
    book = next((page for page in pages if _holds_mark(site_dir, page)), None)
    if book is None:
        return None
    before = pages[: pages.index(book)]
    slugs = {p.url: _slug(p) for p in before}
    sections = []
    for page in before:
        article = _article(site_dir, page)
        for screen_only in _SCREEN_ONLY:
            article = screen_only.sub("", article)
        sections.append(
            f'<section class="fd-book-page" id="{_slug(page)}">\n'
            f"{_retarget(article, page, book, slugs)}\n</section>"
        )
    path = _file_of(site_dir, book)
    html = path.read_text(encoding="utf-8").replace(MARK, "\n".join(sections), 1)
    partial = path.with_suffix(".html.partial")
    partial.write_text(html, encoding="utf-8")
    partial.replace(path)
    return book
