"""MkDocs hooks of the harness (listed under ``hooks:`` in mkdocs.yml).

- MkDocs names the page of a broken link or anchor but not the line. A logging filter on
  every handler finds the link in the page's Markdown source and appends
  ``(docs/page.md:LINE)`` to the warning, so an editor can jump to it.
- Relative ``pymdownx.snippets`` base paths are resolved against the folder of
  ``mkdocs.yml``, as the harness resolves them.
- ``on_page_markdown`` puts the figures and tables the page's ``figure`` and ``table``
  directives compute into the page ([`inline`][forkdocs.doctools.integrations.inline]); a
  figure that draws the page's own scene gets the namespace of the page's examples, run
  (once, in order) as far as the figure; a script or an example that fails stops the build
  with page:line.
- ``on_page_content`` gives the page's Python examples their Run buttons: the harness's
  parsers say which blocks run and in what order ([`inpage`][forkdocs.doctools.integrations.inpage]).
  Only for a site with a Pyodide pin file (``pyodide.lock.json``) beside its mkdocs.yml.
- ``on_post_build`` copies the pinned Pyodide (checked against its hash) and the project's
  own wheel into ``assets/pyodide/`` ([`browserfiles`][forkdocs.doctools.integrations.browserfiles]).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

_LINK_WARNING = re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)'")

#: The pin of the Pyodide package, beside mkdocs.yml.
PIN_FILE = "pyodide.lock.json"
#: Where the built site keeps Pyodide and the wheel (docs/javascripts/run-worker.js loads them).
ASSETS = "assets/pyodide"
#: The harness's view of each site being built (by configuration file), made anew by every
#: build's on_config, so a rebuild of ``mkdocs serve`` sees a changed mkdocs.yml or pin.
_PROJECTS: dict[str, Any] = {}
#: The sites with a pin file: only they get Run buttons, Pyodide and the wheel.
_PINNED: set[str] = set()


def link_location(docs_dir: Path, page: str, link: str) -> str | None:
    """``docs/page.md:LINE`` of the first line of ``page`` that contains ``link``, or None."""
    path = docs_dir / page
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for number, line in enumerate(lines, start=1):
        if f"({link})" in line or f"({link} " in line or f"<{link}>" in line or f": {link}" in line:
            return f"{docs_dir.name}/{page}:{number}"
    return None


class LinkLineFilter(logging.Filter):
    """Appends the page:line of the offending link to MkDocs' link warnings."""

    def __init__(self, docs_dir: Path) -> None:
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record: logging.LogRecord) -> bool:
        match = _LINK_WARNING.search(record.getMessage())
        if match:
            where = link_location(self.docs_dir, match.group("page"), match.group("link"))
            if where:
                record.msg = f"{record.getMessage()} ({where})"
                record.args = ()
        return True


def on_config(config: Any) -> Any:
    """Install the link filter on every logging handler, whatever the builder names its
    loggers (``mkdocs serve`` rebuilds reuse it), and resolve relative snippet base paths
    against the folder of the configuration file, so a build from another working directory
    finds the snippets without a MkDocs-only ``!relative`` tag."""
    link_filter = LinkLineFilter(Path(config["docs_dir"]))
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, LinkLineFilter) for f in handler.filters):
                handler.addFilter(link_filter)
    from forkdocs.doctools.grammar.siteconfig import resolve_snippet_bases

    root = Path(config["config_file_path"]).parent
    resolve_snippet_bases(config["mdx_configs"], root)
    key = str(config["config_file_path"])
    _PROJECTS.pop(key, None)
    _PINNED.discard(key)
    if (root / PIN_FILE).is_file():
        _PINNED.add(key)
    return config


def _project(config: Any) -> Any:
    """The harness's view of the site being built (made on first use)."""
    key = str(config["config_file_path"])
    if key not in _PROJECTS:
        from forkdocs.doctools.integrations.collect import GuideProject

        _PROJECTS[key] = GuideProject(Path(key))
    return _PROJECTS[key]


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """The page's figure and table directives replaced by what their scripts print."""
    if "<!--" not in markdown:
        return markdown
    from mkdocs.exceptions import PluginError

    from forkdocs.doctools.grammar.directives import DirectiveError
    from forkdocs.doctools.integrations.inline import FigureError, PageScene, inline
    from forkdocs.doctools.integrations.inpage import steps_of

    root = Path(config["config_file_path"]).parent
    source = f"{Path(config['docs_dir']).name}/{page.file.src_uri}"
    scenes: list[PageScene] = []

    def scene(line: int) -> Any:
        if not scenes:
            steps = steps_of(_project(config).parse(Path(page.file.abs_src_path)))
            scenes.append(PageScene(source, steps))
        return scenes[0].at(line)

    try:
        return inline(markdown, source, root, scene if page.file.abs_src_path else None)
    except (FigureError, DirectiveError) as error:
        raise PluginError(str(error)) from None


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """The page's HTML with its examples marked for the in-page runner."""
    from mkdocs.exceptions import PluginError

    from forkdocs.doctools.grammar.directives import DirectiveError
    from forkdocs.doctools.integrations.collect import DOCTEST_FLAGS
    from forkdocs.doctools.integrations.inpage import InPageError, attach, steps_of

    if str(config["config_file_path"]) not in _PINNED or page.file.abs_src_path is None:
        return html  # no pin; a page a plugin made
    project = _project(config)
    path = Path(page.file.abs_src_path)
    shown = f"{Path(config['docs_dir']).name}/{page.file.src_uri}"
    try:
        steps = steps_of(project.parse(path))
        return attach(html, shown, steps, DOCTEST_FLAGS)
    except (DirectiveError, InPageError) as error:
        raise PluginError(str(error)) from None


def on_post_build(config: Any) -> None:
    """Pyodide and the project's wheel into the site, with ``forkdocs.json`` naming them."""
    import json

    from mkdocs.exceptions import PluginError

    from forkdocs.doctools.integrations.browserfiles import (
        BrowserFilesError,
        Pin,
        build_wheel,
        python_version,
        unpack,
    )

    if str(config["config_file_path"]) not in _PINNED:
        return
    root = Path(config["config_file_path"]).parent
    target = Path(config["site_dir"]) / ASSETS
    try:
        pin = Pin.load(root / PIN_FILE)
        unpack(pin, target)
        for old in target.glob("*.whl"):
            old.unlink()
        wheel = build_wheel(root, target)
        index = {"pyodide": pin.version, "python": python_version(target), "wheel": wheel.name}
    except BrowserFilesError as error:
        raise PluginError(str(error)) from None
    (target / "forkdocs.json").write_text(json.dumps(index))
