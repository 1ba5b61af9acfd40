"""Update mode: rewrite expected outputs in place, atomically, with a diff.

Evaluators that find an output differing from what the page says record an :class:`Edit`
(replace these lines of this page by those) instead of failing. At the end of the run
:meth:`Updates.apply` checks that each page is still the text that was read (it refuses to
write over a page changed meanwhile), writes the new text to a temporary file beside it and
renames it over the page, so a page is never left half-written. ``dry_run`` only builds the
diffs.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from forkdocs.doctools.document import display_path


@dataclass(frozen=True)
class Edit:
    """Replace lines ``first`` .. ``last - 1`` (1-based) of ``path`` by ``lines``."""

    path: str
    first: int
    last: int
    lines: tuple[str, ...]


@dataclass
class Updates:
    """The edits of one run, and the page texts they were computed against."""

    dry_run: bool = False
    edits: list[Edit] = field(default_factory=list)
    read: dict[str, str] = field(default_factory=dict)

    def record(self, edit: Edit, source: str) -> None:
        """Remember ``edit``; ``source`` is the page text it was computed against."""
        self.read.setdefault(edit.path, source)
        self.edits.append(edit)

    def apply(self) -> tuple[list[str], list[str]]:
        """Write every page that has edits (unless dry run). Returns the unified diffs and the
        refusals (pages changed since they were read)."""
        diffs: list[str] = []
        refused: list[str] = []
        for path in sorted({edit.path for edit in self.edits}):
            shown = display_path(path)
            original = self.read[path]
            raw = Path(path).read_bytes()
            if _digest(raw.decode("utf-8").replace("\r\n", "\n")) != _digest(original):
                refused.append(f"{shown}: changed since it was read; not updated (run again)")
                continue
            updated = rewrite(original, [e for e in self.edits if e.path == path])
            if updated == original:
                continue
            diffs.append(diff(shown, original, updated))
            if not self.dry_run:
                write_atomically(Path(path), updated, newline="\r\n" if b"\r\n" in raw else "\n")
        return diffs, refused


def rewrite(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` applied (later lines first, so earlier line numbers hold)."""
    lines = text.split("\n")
    for edit in sorted(set(edits), key=lambda e: e.first, reverse=True):
        lines[edit.first - 1 : edit.last - 1] = list(edit.lines)
    return "\n".join(lines)


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


def write_atomically(path: Path, text: str, newline: str = "\n") -> None:
    """Replace (or create) ``path`` by ``text`` in one rename, keeping its permissions; lines
    end with ``newline`` (a page written with CRLF stays CRLF)."""
    mode = path.stat().st_mode if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as out:
            out.write(text)
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
