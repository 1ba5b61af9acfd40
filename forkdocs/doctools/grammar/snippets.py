"""``--8<--`` includes, expanded as pymdownx.snippets expands them, with each line's origin.

The site is built by pymdownx.snippets; the harness must run what the reader sees. So the
settings are read from mkdocs.yml (``base_path``, ``check_paths``, ``dedent_subsections``...),
the expansion follows the same rules (single-line and block includes, ``file:3:7`` line
ranges, ``file:name`` sections between ``--8<-- [start:name]`` and ``--8<-- [end:name]``,
``;`` escapes, nested includes, the include line's indentation), and every expansion is
checked line for line against pymdownx's own preprocessor: if they ever disagree, that is an
error, not a silent difference.

Unlike pymdownx, [`expand()`][forkdocs.doctools.grammar.snippets.Snippets.expand] remembers where every line came from (file and line), so a
failure inside an included file can name that file's line, and a missing snippet is always an
error naming the page and line of the include.
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field
from typing import Any

from forkdocs.doctools.errors import PageError
from forkdocs.doctools.grammar.siteconfig import SiteConfig

#: Where a line of the expanded page came from: (file path, 1-based line number).
Origin = tuple[str, int]


class SnippetError(PageError):
    """A snippet that cannot be included (missing file or section), with the include's place."""


@dataclass
class Expanded:
    """The expanded text of a page and, for each of its lines, where that line came from."""

    text: str
    origins: list[Origin] = field(default_factory=list)
    #: the lines that do not follow on from the line before (found at the first `run_of`)
    _breaks: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def identity(cls, text: str, path: str) -> Expanded:
        """A text with nothing included: every line is ``path``'s own."""
        return cls(text, [(path, n) for n in range(1, text.count("\n") + 2)])

    def origin(self, line: int) -> Origin:
        """The origin of 1-based ``line`` of `text`."""
        return self.origins[min(max(line, 1), len(self.origins)) - 1]

    def run_of(self, first: int, count: int) -> Origin | None:
        """The origin of line ``first`` when it and the ``count - 1`` lines after it are
        consecutive lines of one file (a block with no include in it), else None."""
        if first < 1 or first - 1 + count > len(self.origins):
            return None
        if self._breaks is None:  # the lines that do not follow on from the line before
            self._breaks = [
                index
                for index in range(1, len(self.origins))
                if self.origins[index]
                != (self.origins[index - 1][0], self.origins[index - 1][1] + 1)
            ]
        # a break at an index in (first - 1, first - 1 + count) falls inside the run
        at = bisect.bisect_right(self._breaks, first - 1)
        if at < len(self._breaks) and self._breaks[at] < first - 1 + count:
            return None
        return self.origins[first - 1]

    def page_line(self, line: int, page: str) -> int:
        """The line of ``page`` that 1-based ``line`` of `text` stands for: itself, or
        for an included line, the include (the line after the last line of the page itself)."""
        index = min(max(line, 1), len(self.origins)) - 1
        for back in range(index, -1, -1):
            path, number = self.origins[back]
            if path == page:
                return number if back == index else number + 1
        return 1


class Snippets:
    """The snippets settings of one mkdocs.yml, and the expansion they define."""

    def __init__(self, config: dict[str, Any], tab_length: int = 4) -> None:
        full = {
            "base_path": ["."],
            "restrict_base_path": True,
            "encoding": "utf-8",
            "check_paths": False,
            "auto_append": [],
            "url_download": False,
            "url_max_size": 32 * 1024 * 1024,
            "url_timeout": 10.0,
            "url_request_headers": {},
            "dedent_subsections": False,
            "max_retries": 3,
            "backoff_factor": 2,
        }
        full.update(config)
        full["base_path"] = [str(base) for base in _as_list(full["base_path"])]
        self.config = full
        self.tab_length = tab_length
        self._preprocessor: Any = None

    @property
    def _pymdownx(self) -> Any:
        """pymdownx.snippets' own preprocessor with these settings (made when first needed:
        a page without includes never imports Markdown)."""
        if self._preprocessor is None:
            from markdown import Markdown
            from pymdownx.snippets import SnippetPreprocessor

            self._preprocessor = SnippetPreprocessor(
                self.config, Markdown(tab_length=self.tab_length)
            )
        return self._preprocessor

    @classmethod
    def from_site(cls, site: SiteConfig) -> Snippets | None:
        """The ``pymdownx.snippets`` settings of a site (None if it does not enable it), with
        base paths already absolute, as in a build."""
        if "pymdownx.snippets" not in site.extensions:
            return None
        return cls(dict(site.options.get("pymdownx.snippets", {})))

    def expand(self, text: str, path: str) -> Expanded:
        """Expand every include in ``text`` (the content of page ``path``)."""
        if "8<" not in text:
            return Expanded.identity(text, path)
        lines = text.split("\n")
        pre = self._pymdownx
        pre.seen, pre.bases, pre.failed = set(), None, set()
        mine = self._parse([(line, (path, n)) for n, line in enumerate(lines, 1)], None, False)
        pre.seen, pre.bases, pre.failed = set(), None, set()
        from pymdownx.snippets import SnippetMissingError

        try:
            theirs = pre.parse_snippets(list(lines))
        except SnippetMissingError as error:
            raise SnippetError(f"{path}: {error}") from None
        if [line for line, _ in mine] != theirs:
            raise SnippetError(
                f"{path}: the harness expanded the snippets differently from pymdownx.snippets;"
                " please report this with the page"
            )
        return Expanded("\n".join(line for line, _ in mine), [origin for _, origin in mine])

    # The walk below follows pymdownx.snippets' parse_snippets, carrying origins along.
    def _parse(
        self, lines: list[tuple[str, Origin]], file_name: str | None, is_section: bool
    ) -> list[tuple[str, Origin]]:
        pre = self._pymdownx
        if file_name:
            pre.seen.add(file_name)
        out: list[tuple[str, Origin]] = []
        block = False
        for line, origin in lines:
            inline = False
            m = pre.RE_ALL_SNIPPETS.match(line)
            if m:
                if m.group("escape"):
                    out.append((line.replace(";", "", 1), origin))
                    continue
                if block and m.group("inline_marker"):
                    continue
                if m.group("inline_marker"):
                    inline = True
                else:
                    block = not block
                    continue
            elif not block:
                if not is_section:
                    section = pre.match_section(line)
                    if section and section.group("escape"):
                        line = (
                            section.group("pre")
                            + section.group("escape").replace(";", "", 1)
                            + section.group("inline_marker")
                            + section.group("section")
                            + section.group("post")
                        )
                        section = None
                    if section is not None:
                        continue
                out.append((line, origin))
                continue
            if block and not inline:
                m = pre.RE_SNIPPET.match(line)
            if not m:
                continue
            space = m.group("space").expandtabs(pre.tab_length)
            spec = m.group("snippet")[1:-1].strip() if inline else m.group("snippet").strip()
            if not inline and not spec:
                out.append(("", origin))
                continue
            if spec.startswith(";"):
                continue
            target = pre.parse_snippet_target(spec)
            where = f"{origin[0]}:{origin[1]}"
            if target is None:
                if pre.check_paths:
                    raise SnippetError(f"{where}: an include names no file")
                continue
            snippet = pre.get_snippet_path(target["path"])
            if not snippet:
                bases = ", ".join(pre.base_path)
                raise SnippetError(f"{where}: snippet {target['path']!r} not found under {bases}")
            if snippet in pre.seen:
                continue
            numbered = [(text, (snippet, n)) for n, text in enumerate(pre.read_lines(snippet), 1)]
            selected = self._select(numbered, target, where)
            try:
                expanded = self._parse(selected, snippet, target["section"] is not None)
            except SnippetError as error:  # in a nested include: say where this one is too
                raise SnippetError(f"{error}\n  included from {where}") from None
            out.extend((space + text, child_origin) for text, child_origin in expanded)
        if file_name:
            pre.seen.remove(file_name)
        return out

    def _select(
        self, numbered: list[tuple[str, Origin]], target: dict[str, Any], where: str
    ) -> list[tuple[str, Origin]]:
        """The lines of a line-range or section include, as pymdownx selects them."""
        pre = self._pymdownx
        texts = [text for text, _ in numbered]
        if not texts or (not (target["start"] and target["end"]) and not target["section"]):
            return numbered
        if target["section"]:
            indexes = self._section_indexes(texts, target["section"], where)
            chosen = pre.extract_section(target["section"], texts)
        else:
            marks = [f"\x00{i}" for i in range(len(texts))]
            indexes = [
                int(mark[1:]) for mark in pre.extract_lines(target["start"], target["end"], marks)
            ]
            chosen = pre.extract_lines(target["start"], target["end"], texts)
        return [(text, numbered[i][1]) for text, i in zip(chosen, indexes, strict=True)]

    def _section_indexes(self, texts: list[str], name: str, where: str) -> list[int]:
        pre = self._pymdownx
        indexes: list[int] = []
        inside = found = False
        for i, text in enumerate(texts):
            m = pre.match_section(text)
            if m and not m.group("escape") and m.group("name") == name:
                if m.group("type") == "start":
                    inside = found = True
                    continue
                break
            if m and not m.group("escape") and inside:
                continue
            if inside:
                indexes.append(i)
        if not found:
            raise SnippetError(f"{where}: snippet section {name!r} not found")
        return indexes


def _as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, str | os.PathLike) else list(value)
