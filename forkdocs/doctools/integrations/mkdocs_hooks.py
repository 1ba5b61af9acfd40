"""MkDocs hooks of the harness (listed under ``hooks:`` in mkdocs.yml): conveniences only.

The site's own features do not depend on them: figures and tables
([`inline`][forkdocs.doctools.integrations.inline]) and Run buttons
([`inpage`][forkdocs.doctools.integrations.inpage]) are Markdown extensions, which every builder
runs, and Pyodide, the wheel, the printable guide and ``llms.txt`` are put in after the build
([`postbuild`][forkdocs.doctools.integrations.postbuild], which ``make site`` runs). A builder
without these hooks (Zensical) misses only what they add:

- MkDocs names the page of a broken link or anchor but not the line. A logging filter on
  every handler finds the link in the page's Markdown source and appends
  ``(docs/page.md:LINE)`` to the warning, so an editor can jump to it.
- Relative ``pymdownx.snippets`` base paths, and the site extensions' ``config_file``, are
  resolved against the folder of ``mkdocs.yml``, so a build from another working directory
  finds them (without the hook, they are taken from the working directory).
- ``mkdocs serve`` builds into a folder of its own, which no later step sees: there
  ``on_post_build`` runs the post-build step itself.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

_LINK_WARNING = re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)'")

#: The site's own extensions, whose ``config_file`` the hook sets.
_SITE_EXTENSIONS = (
    "forkdocs.doctools.integrations.inline",
    "forkdocs.doctools.integrations.inpage",
)
#: The MkDocs command running (``on_startup``), "" before it says.
_COMMAND = [""]


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
    for name in _SITE_EXTENSIONS:
        if name in config["markdown_extensions"]:
            options = config["mdx_configs"].setdefault(name, {})
            options["config_file"] = str(root / options.get("config_file", "mkdocs.yml"))
    return config


def on_startup(command: str, dirty: bool) -> None:
    """Note which MkDocs command runs (``on_post_build`` acts for ``serve`` only)."""
    _COMMAND[0] = command


def on_post_build(config: Any) -> None:
    """Under ``mkdocs serve``: the post-build step, into the folder it serves."""
    if _COMMAND[0] != "serve":
        return
    from mkdocs.exceptions import PluginError

    from forkdocs.doctools.errors import HarnessError
    from forkdocs.doctools.integrations.postbuild import finish

    try:
        finish(Path(config["config_file_path"]), Path(config["site_dir"]))
    except (HarnessError, OSError) as error:
        raise PluginError(str(error)) from None
