"""The numbers the pages state in words about measured kernel times agree with the data file
they describe (snippets/data/fork_times.json, written by ``make bench-kernel``): a new
measurement that moves a figure fails here, naming the sentence to rewrite."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = json.loads((ROOT / "snippets" / "data" / "fork_times.json").read_text())
TIMES = {(r["pages"], r["size_mib"], r["call"]): r["return_us_min"] for r in DATA["rows"]}
FORK_1G = TIMES["4k", 1024, "fork"]


def figures() -> dict[str, float]:
    """What the data gives for each figure the pages state (the fastest run of each call)."""
    per_page_us = (FORK_1G - TIMES["4k", 64, "fork"]) / ((1024 - 64) * 256)
    return {
        "ns per page": per_page_us * 1000,
        "ms for 1 GiB": FORK_1G / 1000,
        "fork over vfork": FORK_1G / TIMES["4k", 1024, "vfork"],
        "4 KiB over huge pages": FORK_1G / TIMES["thp", 1024, "fork"],
    }


#: (page, the words with the number in a group, the figure, how close "about" must be)
STATED = [
    ("docs/explanation/fork-cost.md", r"about (\d+) ns each here", "ns per page", 0.05),
    ("docs/explanation/fork-cost.md", r"1 GiB costs about (\d+) ms", "ms for 1 GiB", 0.05),
    ("docs/explanation/fork-cost.md", r"some (\d+) times vfork's", "fork over vfork", 0.1),
    ("docs/explanation/fork-cost.md", r"only about (\d+)-fold here", "4 KiB over huge pages", 0.1),
    (
        "docs/busybox/bb-fork-exec.md",
        r"parent about (\d+) times above vfork",
        "fork over vfork",
        0.1,
    ),
]


@pytest.mark.parametrize(("page", "words", "figure", "within"), STATED)
def test_a_number_in_words_is_the_data_files(
    page: str, words: str, figure: str, within: float
) -> None:
    text = " ".join((ROOT / page).read_text().split())  # sentences wrap across lines
    found = re.search(words, text)
    assert found, f"{page}: the sentence {words!r} is gone; update STATED with the new words"
    stated, measured = int(found.group(1)), figures()[figure]
    assert abs(stated - measured) <= within * measured, (
        f"{page}: says {found.group(0)!r}, but {DATA['command']} measured {measured:.1f}"
        f" ({figure}, {DATA['date']}): rewrite the sentence"
    )
