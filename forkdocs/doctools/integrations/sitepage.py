"""Which page of which site a Python-Markdown instance is converting, for the site's own
Markdown extensions ([`inline`][forkdocs.doctools.integrations.inline] and
[`inpage`][forkdocs.doctools.integrations.inpage]).

Python-Markdown hands an extension the page's text but not its file, and no builder
(MkDocs, ProperDocs, Zensical) says which file it is converting. So the page is found by its
text: the file under the site's ``docs_dir`` whose text is the converted text, or ends with
it after a metadata head (YAML front matter or MultiMarkdown ``key: value`` lines, which the
builders cut off before converting). A text that is no page's (a docstring mkdocstrings
renders, a page a plugin made) is no page: the extensions leave it alone.

The harness's view of the site ([`GuideProject`][forkdocs.doctools.integrations.collect.GuideProject])
is made once per configuration file and made anew when that file changes, as ``mkdocs
serve`` rebuilds it.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from forkdocs.doctools.errors import PageError
from forkdocs.doctools.integrations.collect import GuideProject

#: YAML front matter, as MkDocs reads it (``---`` to ``---`` or ``...``).
_YAML_HEAD = re.compile(r"\A-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n\s*", re.S)
#: MultiMarkdown metadata: ``key: value`` lines (and their indented continuations).
_META_HEAD = re.compile(r"\A(?:[A-Za-z0-9_-]+:.*\n(?:[ \t]{4,}.*\n)*)+\s*")
#: The option every site extension takes: the site's configuration file.
CONFIG_OPTION = {"config_file": ["mkdocs.yml", "the site's mkdocs.yml (relative: to the cwd)"]}

_PROJECTS: dict[Path, tuple[int, GuideProject]] = {}
#: By configuration file: the digest of each page's text (metadata head cut) -> its file.
_BODIES: dict[Path, dict[str, Path]] = {}


@dataclass(frozen=True)
class SitePage:
    """One page being converted: its ``project``, its file ``path``, the ``shown`` name
    errors and tracebacks use (``docs/page.md``), and the metadata ``head`` its builder cut
    off (the page's lines start ``head.count("\\n")`` lines down its file)."""

    project: GuideProject
    path: Path
    shown: str
    head: str


class NoSiteConfig(PageError, FileNotFoundError):
    """A site extension's ``config_file`` that is not there."""


def project_of(config_file: str | Path) -> GuideProject:
    """The harness's view of the site ``config_file`` configures (made again when it
    changed); [`NoSiteConfig`][forkdocs.doctools.integrations.sitepage.NoSiteConfig] when there is no such file."""
    path = Path(config_file).resolve()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise NoSiteConfig(
            f"the site's own Markdown extensions find no site configuration at {path}: build"
            " from the folder of mkdocs.yml, or give the extensions its path as config_file"
        ) from None
    known = _PROJECTS.get(path)
    if known is None or known[0] != stamp:
        _PROJECTS[path] = (stamp, GuideProject(path))
        _BODIES.pop(path, None)
    return _PROJECTS[path][1]


def head_of(text: str) -> str:
    """The metadata head a builder cuts off the start of ``text`` ("" for none)."""
    found = _YAML_HEAD.match(text) or _META_HEAD.match(text)
    return found.group(0) if found else ""


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()


def _scan(project: GuideProject) -> dict[str, Path]:
    bodies: dict[str, Path] = {}
    for path in sorted(project.site.docs_dir.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError):
            continue
        bodies.setdefault(_digest(text), path)
        head = head_of(text)
        if head:
            bodies.setdefault(_digest(text[len(head) :]), path)
    return bodies


def find_page(config_file: str | Path, lines: list[str]) -> SitePage | None:
    """The page of the site ``config_file`` configures whose text is ``lines`` (as a
    Markdown preprocessor gets them), or None when no page has that text."""
    try:
        project = project_of(config_file)
    except NoSiteConfig as error:
        raise build_error(error) from None
    key = project.site.path
    digest = _digest("\n".join(lines).replace("\r\n", "\n"))
    path = _BODIES.get(key, {}).get(digest)
    if path is None or not path.is_file():
        _BODIES[key] = _scan(project)  # a page added or edited since (mkdocs serve)
        path = _BODIES[key].get(digest)
        if path is None:
            return None
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    head = "" if _digest(text) == digest else head_of(text)
    shown = f"{project.site.docs_dir.name}/{path.relative_to(project.site.docs_dir).as_posix()}"
    return SitePage(project, path, shown, head)


def build_error(error: Exception) -> Exception:
    """What a site extension raises for ``error``: MkDocs' (or ProperDocs') ``PluginError``
    where that builder is running, so it ends the build with the message alone; else the
    error itself."""
    for builder in ("mkdocs", "properdocs"):
        exceptions = sys.modules.get(f"{builder}.exceptions")
        if exceptions is not None:
            plugin_error: type[Exception] = exceptions.PluginError
            return plugin_error(str(error))
    return error
