"""``llms.txt`` and ``llms-full.txt``: the site for a language model to read, in reading order.

``llms.txt`` follows the proposal at https://llmstxt.org: the site's name as the title, its
description as a quote, then one list a section of the navigation, each page a link to its
address on the site (``site_url``) with the first sentence of its first paragraph.
``llms-full.txt`` holds the pages themselves, in the same order: each page's Markdown as
written, without its metadata head and with its includes expanded (``pymdownx.snippets``),
under a line naming its address.
"""

from __future__ import annotations

import re
from pathlib import Path

from forkdocs.doctools.grammar.snippets import Snippets
from forkdocs.doctools.integrations.collect import GuideProject
from forkdocs.doctools.integrations.sitenav import NavPage
from forkdocs.doctools.integrations.sitepage import head_of

_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_NOT_PROSE = (
    "#",
    ":::",
    "!!!",
    "???",
    "<",
    ">",
    "|",
    "```",
    "~~~",
    "-",
    "*",
    "+",
    "    ",
    "\t",
    "--8<--",
)
_SENTENCE = re.compile(r"(.+?[.!?])(?:\s|$)")


def first_sentence(markdown: str) -> str:
    """The first sentence of the first paragraph of ``markdown`` that is prose (not a
    heading, an admonition, a list, a table, a fence or HTML), its links reduced to their
    text; "" for a page with none."""
    paragraph: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or (not paragraph and (not line.strip() or line.startswith(_NOT_PROSE))):
            continue
        if not line.strip():
            break
        paragraph.append(line.strip())
    text = _LINK.sub(r"\1", " ".join(paragraph)).replace("**", "").replace("*", "")
    found = _SENTENCE.match(text)
    return (found.group(1) if found else text).strip()


def _title(page: NavPage, markdown: str) -> str:
    heading = re.search(r"^# (.+)$", markdown, re.M)
    return page.title or (heading.group(1).strip() if heading else page.src)


def write(project: GuideProject, pages: list[NavPage], site_dir: Path) -> tuple[Path, Path]:
    """Write both files into ``site_dir``; their paths."""
    settings = project.site.settings
    base = str(settings.get("site_url") or "").rstrip("/") + "/"
    snippets = Snippets.from_site(project.site)
    summary = [f"# {settings.get('site_name', 'Documentation')}", ""]
    if settings.get("site_description"):
        summary += [f"> {settings['site_description']}", ""]
    full: list[str] = []
    section: str | None = None
    for page in pages:
        source = project.site.docs_dir / page.src
        text = source.read_text(encoding="utf-8")
        text = text[len(head_of(text)) :]
        if snippets is not None:
            text = snippets.expand(text, str(source)).text
        if page.section != section:
            section = page.section
            summary += ["", f"## {section or 'Start'}", ""]
        line = f"- [{_title(page, text)}]({base}{page.url})"
        sentence = first_sentence(text)
        summary.append(f"{line}: {sentence}" if sentence else line)
        full += [f"<!-- {base}{page.url} -->", "", text.rstrip(), "", ""]
    names = site_dir / "llms.txt", site_dir / "llms-full.txt"
    for path, lines in zip(names, (summary, full), strict=True):
        partial = path.with_name(path.name + ".partial")
        partial.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
        partial.replace(path)
    return names
