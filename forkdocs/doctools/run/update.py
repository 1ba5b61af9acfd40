"""Update mode: rewrite expected outputs in place, atomically, with a diff, never breaking a page.

Evaluators that find an output differing from what the page says record [`Edit`][forkdocs.doctools.run.update.Edit] s
(replace these lines of this page by those) instead of failing; [`block_lines()`][forkdocs.doctools.run.update.block_lines] turns
printed text into the lines of an output block and says when the fence around it must grow.
At the end of the run [`apply()`][forkdocs.doctools.run.update.Updates.apply]:

- checks that each page is still the bytes that were read, and again just before the
  rename, so a page edited meanwhile is refused, not overwritten;
- changes only the edited lines: every other line keeps its bytes, line ending included (a
  page with mixed endings stays mixed; new lines take the ending of the line they replace);
- writes the new page to a temporary file *outside* the docs tree (the system's temporary
  folder when it is on the same file system, else the project's root) and renames it over
  the page, so a killed update leaves the page whole and nothing in the docs.

``dry_run`` only builds the diffs.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from forkdocs.doctools.errors import PageError
from forkdocs.doctools.grammar.text import display_path

_ENDING = re.compile(r"\r\n|\r|\n")
_SNIPPET_LINE = re.compile(r"^\s*;?-+8<-+")  # an include, or its ; escape


class Unwritable(PageError, ValueError):
    """Output that a page cannot hold as it was printed."""


@dataclass(frozen=True)
class Edit:
    """Replace lines ``first`` .. ``last - 1`` (1-based) of ``path`` by ``lines``."""

    path: str
    first: int
    last: int
    lines: tuple[str, ...]


def block_lines(printed: str, prefix: str, fence: str) -> tuple[list[str], str]:
    """The lines of an output block holding ``printed``, each with the block's ``prefix``
    (blank lines keep a blockquote's ``>``), and the fence the block needs: ``fence``, or a
    longer run of its character when a printed line could close it.

    Raises [`Unwritable`][forkdocs.doctools.run.update.Unwritable] for a carriage return that is not part of a line ending (a
    page would show it as a line break) and for a line pymdownx.snippets would take for an
    include.
    """
    if "\r" in printed:
        raise Unwritable(
            "the output has a carriage return (\\r) that a page would show as a line break"
        )
    lines = printed.split("\n")
    for line in lines:
        if _SNIPPET_LINE.match(line):
            raise Unwritable(
                f"the output line {line.strip()!r} would be read as a snippet include (or its"
                " ; escape, shown without the ;)"
            )
    blank = prefix.rstrip()
    written = [prefix + line if line.strip() else blank for line in lines]
    char = fence[0] if fence else "`"
    runs = [
        len(m.group(1)) for line in lines if (m := re.match(rf"\s*({re.escape(char)}{{3,}})", line))
    ]
    needed = max(len(fence), max(runs, default=0) + 1) if runs else len(fence)
    return written, char * needed


@dataclass
class Updates:
    """The edits of one run, the refusals found while running, and the bytes of each page
    the edits were computed against."""

    dry_run: bool = False
    root: Path | None = None
    edits: list[Edit] = field(default_factory=list)
    read: dict[str, bytes] = field(default_factory=dict)
    refusals: list[str] = field(default_factory=list)

    def record(self, edit: Edit, raw: bytes) -> None:
        """Remember ``edit``; ``raw`` is the page's bytes it was computed against."""
        self.read.setdefault(edit.path, raw)
        self.edits.append(edit)

    def refuse(self, message: str) -> None:
        """Remember an output that cannot be written (``message`` names page:line)."""
        self.refusals.append(message)

    def apply(self) -> tuple[list[str], list[str]]:
        """Write every page that has edits (unless dry run). Returns the unified diffs and the
        refusals (outputs that cannot be written, pages changed since they were read)."""
        diffs: list[str] = []
        refused: list[str] = list(self.refusals)
        for path in sorted({edit.path for edit in self.edits}):
            shown = display_path(path)
            raw = self.read[path]
            if _digest(Path(path).read_bytes()) != _digest(raw):
                refused.append(f"{shown}: changed since it was read; not updated (run again)")
                continue
            before = raw.decode("utf-8")
            after = rewrite(before, [e for e in self.edits if e.path == path])
            if after == before:
                continue
            diffs.append(diff(shown, before, after))
            if not self.dry_run:
                try:
                    write_atomically(
                        Path(path), after.encode("utf-8"), expect=raw, scratch=self.root
                    )
                except PageChanged:
                    refused.append(
                        f"{shown}: changed while it was being updated; not updated (run again)"
                    )
        return diffs, refused


def split_lines(text: str) -> list[tuple[str, str]]:
    """``text`` as (line, ending) pairs, split where Python's universal newlines split it."""
    pairs, position = [], 0
    for match in _ENDING.finditer(text):
        pairs.append((text[position : match.start()], match.group()))
        position = match.end()
    pairs.append((text[position:], ""))
    return pairs


def rewrite(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` applied (later lines first, so earlier line numbers hold).
    Untouched lines keep their endings; new lines take the ending of the first line they
    replace (or of the line before, for an insertion)."""
    lines = split_lines(text)
    for edit in sorted(set(edits), key=lambda e: e.first, reverse=True):
        first, last = edit.first - 1, edit.last - 1
        neighbour = lines[first] if first < len(lines) else lines[first - 1]
        ending = neighbour[1] or _common_ending(lines)
        lines[first:last] = [(line, ending) for line in edit.lines]
    return "".join(line + ending for line, ending in lines)


def _common_ending(lines: list[tuple[str, str]]) -> str:
    endings = [ending for _, ending in lines if ending]
    return max(set(endings), key=endings.count) if endings else "\n"


def diff(path: str, before: str, after: str) -> str:
    """A unified diff of one page."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"a/{path}",
            f"b/{path}",
        )
    )


class PageChanged(PageError, RuntimeError):
    """The page changed between reading it and replacing it."""


def write_atomically(
    path: Path, data: bytes, *, expect: bytes | None = None, scratch: Path | None = None
) -> None:
    """Replace (or create) ``path`` by ``data`` in one rename, keeping its permissions.

    The temporary file is made in the system's temporary folder when that is on the same file
    system as ``path``, else in ``scratch`` (the project's root); never beside the page. With
    ``expect``, the page is read again just before the rename and [`PageChanged`][forkdocs.doctools.run.update.PageChanged] is
    raised (nothing written) if its bytes are no longer ``expect``.
    """
    mode = path.stat().st_mode if path.exists() else 0o644
    folder = _scratch_folder(path, scratch)
    handle, temporary = tempfile.mkstemp(
        dir=folder, prefix=f".forkdocs-{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode & 0o7777)
        if expect is not None and path.read_bytes() != expect:
            raise PageChanged(str(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _scratch_folder(path: Path, scratch: Path | None) -> Path:
    device = os.stat(path.parent).st_dev
    for folder in (Path(tempfile.gettempdir()), scratch):
        if folder is not None and os.stat(folder).st_dev == device:
            return folder
    return scratch or path.parent


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
