"""The C programs the pages run are shown in excerpts a reader can take in: a fence under
``run-c`` shows at most ``LONGEST`` lines, so a longer program shows a section of its file
(``--8<-- "snippets/c/x.c:name"``), its key lines highlighted, with the whole file folded
below the output; the harness still builds and runs the whole file
([`program_of`][forkdocs.doctools.run.cevaluator.program_of])."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LONGEST = 50
_RUN_C = re.compile(
    r"^(?P<indent>[ \t]*)<!-- run-c:.*\n(?P=indent)```c[^\n]*\n(?P<body>(?:.*\n)*?)(?P=indent)```$",
    re.M,
)
_INCLUDE = re.compile(r'^\s*--8<-- "(?P<file>[^":]+)(?::(?P<section>[\w-]+))?"\s*$')


def shown_lines(body: str) -> tuple[str, int]:
    """What a run-c fence's body shows: (its include, or "inline"), and how many lines."""
    lines = body.rstrip("\n").split("\n")
    match = _INCLUDE.match(lines[0]) if len(lines) == 1 else None
    if match is None:
        return "inline", len(lines)
    text = (ROOT / match["file"]).read_text(encoding="utf-8").splitlines()
    if match["section"] is None:
        return match["file"], len([line for line in text if "--8<-- [" not in line])
    start = next(i for i, line in enumerate(text) if f"[start:{match['section']}]" in line)
    end = next(i for i, line in enumerate(text) if f"[end:{match['section']}]" in line)
    return f"{match['file']}:{match['section']}", end - start - 1


FENCES = [
    (
        page.relative_to(ROOT).as_posix(),
        page.read_text(encoding="utf-8")[: m.start()].count("\n") + 1,
        m["body"],
    )
    for page in sorted((ROOT / "docs").rglob("*.md"))
    for m in _RUN_C.finditer(page.read_text(encoding="utf-8"))
]


def test_the_pages_run_many_c_programs() -> None:
    assert len(FENCES) >= 20, FENCES


@pytest.mark.parametrize(("page", "line", "body"), FENCES, ids=lambda v: str(v)[:40])
def test_a_c_fence_shows_at_most_fifty_lines(page: str, line: int, body: str) -> None:
    shown, count = shown_lines(body)
    assert count <= LONGEST, (
        f"{page}:{line}: shows {count} lines of {shown}; show a section of the file"
        f' (--8<-- "{shown}:name", between // --8<-- [start:name] and [end:name])'
        " and fold the whole file below the output"
    )


def test_every_excerpt_has_the_whole_program_one_click_away() -> None:
    for page, line, body in FENCES:
        shown, _ = shown_lines(body)
        if ":" in shown:
            file = shown.split(":")[0]
            text = (ROOT / page).read_text(encoding="utf-8")
            assert f'--8<-- "{file}"' in text, f"{page}:{line}: no folded copy of {file}"
