"""The guide as a path: every guide page says what it assumes and how long it takes (a
number computed from the page itself, so it cannot drift), holds its exercises (at least
two, graded, of more than one kind over the guide), and ends with a three-line recap and a
link to the next page in reading order; the home page shows the route; and the summary page
links every cell of its table to the section that shows it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

from forkdocs.doctools.integrations.collect import GuideProject

from .test_page_layout import NAV

ROOT = Path(__file__).resolve().parents[2]
#: Words of prose a reader reads in a minute; minutes for an example they run, and for an
#: exercise they do (read, predict or edit, check, open the solution).
WORDS_A_MINUTE, EXAMPLE_MINUTES, EXERCISE_MINUTES = 200, 1, 4
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.S | re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: A table cell's border (a pipe that is not escaped).
_CELL = re.compile(r"(?<!\\)\|")
_BEFORE = re.compile(
    r'^!!! abstract "Before you start"\n\n    You should know: (?P<assumes>.+)\n\n'
    r"    About (?P<minutes>\d+) minutes, with (?P<exercises>\d+) exercises\.$",
    re.M,
)
_RECAP = re.compile(
    r"^## Recap\n\n(?P<lines>(?:- .+\n){3})\nNext: \[(?P<title>[^\]]+)\]\((?P<link>[^)]+)\)$",
    re.M,
)


#: The folders of the guide's pages (the home page, the reference and contributing are not).
GUIDE = ("tutorial/", "explanation/", "vfork/", "busybox/")


def guide_pages() -> list[str]:
    """The guide's pages in reading order (the nav's)."""
    return [page for _, page in NAV if page.startswith(GUIDE)]


def reading_minutes(page: Path, project: GuideProject) -> tuple[int, int]:
    """The minutes a page takes (its prose at WORDS_A_MINUTE, its examples and exercises at
    their minutes, rounded) and its number of exercises."""
    text = page.read_text(encoding="utf-8")
    prose = _COMMENT.sub(" ", _FENCE.sub(" ", text))
    prose = _BEFORE.sub(" ", prose)  # the line that states the result does not count
    kinds = Counter(block.kind for block in project.parse(page).blocks.blocks)
    examples = kinds["executed"] + kinds["doctest"]
    minutes = len(prose.split()) / WORDS_A_MINUTE + examples * EXAMPLE_MINUTES
    minutes += kinds["exercise"] * EXERCISE_MINUTES
    return max(1, round(minutes)), kinds["exercise"]


@pytest.fixture(scope="module")
def project() -> GuideProject:
    return GuideProject(ROOT / "mkdocs.yml")


PAGES = guide_pages()


def test_the_guide_has_its_pages() -> None:
    assert len(PAGES) >= 20, PAGES


@pytest.mark.parametrize("page", PAGES)
def test_a_guide_page_says_what_it_assumes_and_how_long_it_takes(
    page: str, project: GuideProject
) -> None:
    path = ROOT / "docs" / page
    text = path.read_text(encoding="utf-8")
    stated = _BEFORE.search(text)
    assert stated, f"docs/{page}: no 'Before you start' box under its title"
    title_end = text.index("\n", text.index("# "))
    assert not text[title_end : stated.start()].strip(), f"docs/{page}: the box follows the title"
    minutes, exercises = reading_minutes(path, project)
    assert (int(stated["minutes"]), int(stated["exercises"])) == (minutes, exercises), (
        f"docs/{page}: the page takes about {minutes} minutes and holds {exercises} exercises"
    )
    assert exercises >= 2, f"docs/{page}: a guide page holds at least two exercises"


@pytest.mark.parametrize("page", PAGES)
def test_a_guide_page_ends_with_a_recap_and_the_next_page(page: str) -> None:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    recap = _RECAP.search(text)
    assert recap, f"docs/{page}: no '## Recap' of three lines and a Next link"
    after = text[recap.end() :].strip()
    assert not after or after.startswith("## Sources"), (
        f"docs/{page}: the recap ends the page (only its sources may follow)"
    )
    assert text.index("## Exercises") < recap.start(), f"docs/{page}: exercises come first"
    index = PAGES.index(page)
    target = PAGES[index + 1] if index + 1 < len(PAGES) else "reference/summary.md"
    linked = (ROOT / "docs" / page).parent / recap["link"]
    assert linked.resolve() == (ROOT / "docs" / target).resolve(), (
        f"docs/{page}: Next links {recap['link']}, the reading order says {target}"
    )
    heading = (ROOT / "docs" / target).read_text(encoding="utf-8").split("\n", 1)[0]
    assert heading == f"# {recap['title']}", f"docs/{page}: Next is named by {target}'s title"


def test_the_exercises_are_graded_and_of_every_kind(project: GuideProject) -> None:
    kinds: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    for page in PAGES:
        for exercise in project.parse(ROOT / "docs" / page).blocks.exercises:
            kinds[exercise.kind] += 1
            levels[exercise.level] += 1
    assert sum(kinds.values()) >= 40, kinds
    assert min(kinds[kind] for kind in ("predict", "change", "explain")) >= 5, kinds
    assert min(levels[level] for level in ("easy", "medium", "hard")) >= 5, levels


def test_the_home_page_shows_the_route_in_reading_order() -> None:
    text = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    route = text[text.index("## The route") :]
    listed = re.findall(
        r"^\d+\. \[[^\]]+\]\(([^)]+)\): about (\d+) minutes, (\d+) exercises$", route, re.M
    )
    assert [page for page, *_ in listed] == PAGES, "the route is the guide in reading order"
    for page, minutes, exercises in listed:
        stated = _BEFORE.search((ROOT / "docs" / page).read_text(encoding="utf-8"))
        assert stated, page
        assert (minutes, exercises) == (stated["minutes"], stated["exercises"]), (
            f"the route says {minutes} minutes and {exercises} exercises for {page}, the page"
            f" {stated['minutes']} and {stated['exercises']}"
        )


def test_every_cell_of_the_summary_links_to_the_guide() -> None:
    text = (ROOT / "docs" / "reference" / "summary.md").read_text(encoding="utf-8")
    rows = [line for line in text.split("\n") if line.startswith("| ") and "---" not in line]
    split = [[cell.strip() for cell in _CELL.split(row.strip()[1:-1])] for row in rows]
    header, body = split[0], split[1:]
    assert len(body) >= 4 and len(header) >= 5, header
    for row in body:
        cells = row[1:]  # the first names the question
        assert len(cells) == len(header) - 1, row
        for cell in cells:
            links = re.findall(r"\]\(([^)#]+)(#[^)]+)?\)", cell)
            assert links, f"a cell of the summary with no link to the guide: {cell!r}"
            for target, anchor in links:
                page = (ROOT / "docs" / "reference" / target).resolve()
                assert page.is_file(), target
                if anchor:
                    assert anchor[1:] in anchors(page), f"{target}{anchor}: no such section"


def anchors(page: Path) -> set[str]:
    """The ids of a page's headings, as the toc extension makes them (or as written with
    attr_list's ``{#id}``)."""
    found = set()
    for title in re.findall(r"^#{1,6} (.+)$", page.read_text(encoding="utf-8"), re.M):
        given = re.search(r"\{#([\w-]+)\}\s*$", title)
        found.add(given.group(1) if given else slugify(title, "-"))
    return found
