"""The site built by each builder of its ``mkdocs.yml``: MkDocs (the default), ProperDocs (a
MkDocs 1.x fork) and Zensical (the Material team's successor), each in the virtualenv
``make builders`` makes (``.venv-properdocs``, ``.venv-zensical``; the versions are pinned in
the Makefile). After the post-build step, a reader of the ProperDocs or Zensical site must
miss nothing of MkDocs': on every page the same figures and tables, Run buttons on the same
steps, the glossary's tooltips; the interpreter and the wheel; the whole guide; a search
index of every page.

What Zensical cannot do yet is marked where it is checked (``xfail``, strict: a fix upstream
turns the mark red, to be removed), each with its reason. Without a builder's virtualenv its
tests skip, unless ``FORKDOCS_BUILDERS=required`` (CI)."""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..helpers import book_problems, build_site

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("FORKDOCS_BUILDERS") == "required"
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_FIGURE = re.compile(r"<figure.*?</figure>", re.S)
#: Zensical ignores the plugins it has no implementation of, without a word:
#: https://zensical.org/compatibility/plugins/ ("Validation and ignored settings")
NO_GIT_DATES = (
    "Zensical 0.0.73 does not run mkdocs-git-revision-date-localized (no native"
    " implementation; unknown plugins are skipped silently): no 'Last update' on the pages"
)
NO_ABSOLUTE_LINKS = (
    "Zensical 0.0.73 does not check links to absolute paths (validation.absolute_links is"
    " not among its checks: https://zensical.org/docs/setup/validation/)"
)
TRACEBACK = "Zensical 0.0.73 ends a --strict failure with a Python traceback (RuntimeError)"


@dataclass(frozen=True)
class Builder:
    """One builder: its ``name``, its executable (None for MkDocs, which runs in the
    project's own virtualenv), and whether it writes into the project (Zensical writes
    ``site_dir`` inside the folder of ``mkdocs.yml`` only, and no ``-d``)."""

    name: str
    executable: Path | None
    in_project: bool = False

    def command(self, config: Path, destination: Path) -> list[str] | None:
        """The strict build of ``config`` into ``destination`` (None: MkDocs', the default of
        ``build_site``)."""
        if self.executable is None:
            return None
        if self.in_project:
            assert destination == config.parent / "site"
            return [str(self.executable), "build", "--strict", "--clean", "-f", str(config)]
        return [
            str(self.executable),
            "build",
            "--strict",
            "-f",
            str(config),
            "-d",
            str(destination),
        ]

    def build(self, config: Path, destination: Path) -> tuple[int, str]:
        """Build ``config`` (and give it the post-build step): exit status and output."""
        if self.executable is not None and not self.executable.exists():
            message = f"{self.executable} is missing: run `make builders`"
            if REQUIRED:
                pytest.fail(message)
            pytest.skip(message)
        done = build_site(
            config, destination, cwd=config.parent, build=self.command(config, destination)
        )
        return done.returncode, done.stdout + done.stderr


MKDOCS = Builder("mkdocs", None)
OTHERS = [
    Builder("properdocs", ROOT / ".venv-properdocs" / "bin" / "properdocs"),
    Builder("zensical", ROOT / ".venv-zensical" / "bin" / "zensical", in_project=True),
]


def copy_project(destination: Path) -> Path:
    """The project's sources (no virtualenvs, no built site, no history) in ``destination``;
    its ``mkdocs.yml``."""
    shutil.copytree(
        ROOT,
        destination,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "site", "build", ".cache", "*_cache", "__pycache__", "*.egg-info"
        ),
    )
    return destination / "mkdocs.yml"


def reader_view(site: Path) -> dict[str, dict[str, int]]:
    """What a reader sees of each built page: its figures and the drawings in them, its
    tables, its Run steps, its glossary tooltips and its 'Last update' line."""
    pages = {}
    for page in sorted(site.rglob("*.html")):
        if "assets" in page.parts:
            continue
        html = page.read_text(encoding="utf-8")
        found = _ARTICLE.search(html)
        article = found.group(1) if found else ""
        figures = _FIGURE.findall(article)
        pages[page.relative_to(site).as_posix()] = {
            "figures": len(figures),
            "drawings": sum(figure.count("<svg") for figure in figures),
            "tables": article.count("<table"),
            "run steps": article.count("data-fd-step="),
            "step lists": html.count('<template class="fd-steps">'),
            "tooltips": article.count("<abbr"),
            "last update": article.count('title="Last update"'),
        }
    return pages


def searchable(site: Path) -> set[str]:
    """The pages the site's search index holds (MkDocs' ``search/search_index.json``,
    Zensical's ``search.json``), as paths of their files."""
    for name, key in (("search/search_index.json", "docs"), ("search.json", "items")):
        if (site / name).is_file():
            entries = json.loads((site / name).read_text(encoding="utf-8"))[key]
            paths = {entry["location"].split("#")[0] for entry in entries}
            return {
                f"{path}index.html" if not path or path.endswith("/") else path for path in paths
            }
    return set()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """MkDocs' build of the project, by name (the others are built by their tests)."""
    folder = tmp_path_factory.mktemp("builders")
    status, output = MKDOCS.build(ROOT / "mkdocs.yml", folder / "mkdocs")
    assert status == 0, output[-3000:]
    return {"mkdocs": folder / "mkdocs", "folder": folder}


def built_by(builder: Builder, sites: dict[str, Path]) -> Path:
    """The project built by ``builder`` (once a module), post-build step included."""
    if builder.name not in sites:
        config = copy_project(sites["folder"] / f"{builder.name}-project")
        destination = (
            config.parent / "site" if builder.in_project else sites["folder"] / builder.name
        )
        status, output = builder.build(config, destination)
        assert status == 0, output[-3000:]
        sites[builder.name] = destination
    return sites[builder.name]


def parameters(*marks_for_zensical: str) -> list[object]:
    """Each other builder, Zensical's with an expected failure for each reason given."""
    return [
        pytest.param(
            b,
            id=b.name,
            marks=[pytest.mark.xfail(reason=r, strict=True) for r in marks_for_zensical],
        )
        if b.name == "zensical"
        else pytest.param(b, id=b.name)
        for b in OTHERS
    ]


@pytest.mark.parametrize("builder", parameters())
def test_every_page_shows_what_mkdocs_shows(builder: Builder, sites: dict[str, Path]) -> None:
    mkdocs = reader_view(sites["mkdocs"])
    other = reader_view(built_by(builder, sites))
    assert sorted(other) == sorted(mkdocs)
    unlike = {
        page: {what: (n, other[page][what]) for what, n in seen.items() if other[page][what] != n}
        for page, seen in mkdocs.items()
        if page in other
    }
    unlike = {page: what for page, what in unlike.items() if set(what) - {"last update"}}
    assert unlike == {}
    totals = {
        what: sum(seen[what] for seen in mkdocs.values()) for what in ("drawings", "run steps")
    }
    assert totals["drawings"] >= 12 and totals["run steps"] >= 150


@pytest.mark.parametrize("builder", parameters(NO_GIT_DATES))
def test_every_page_says_when_it_was_last_updated(builder: Builder, sites: dict[str, Path]) -> None:
    dated = {page for page, seen in reader_view(sites["mkdocs"]).items() if seen["last update"]}
    assert len(dated) >= 50
    other = reader_view(built_by(builder, sites))
    assert {page for page in dated if not other[page]["last update"]} == set()


@pytest.mark.parametrize("builder", parameters())
def test_the_site_runs_offline_and_prints_whole(builder: Builder, sites: dict[str, Path]) -> None:
    site = built_by(builder, sites)
    assets = json.loads((site / "assets" / "pyodide" / "forkdocs.json").read_text())
    assert (site / "assets" / "pyodide" / assets["wheel"]).is_file()
    assert (site / "assets" / "pyodide" / "pyodide.asm.wasm").is_file()
    assert book_problems(site, "reference/whole-guide/") == []
    book = (site / "reference" / "whole-guide" / "index.html").read_text(encoding="utf-8")
    mkdocs_book = (sites["mkdocs"] / "reference" / "whole-guide" / "index.html").read_text()
    assert book.count('class="fd-book-page"') == mkdocs_book.count('class="fd-book-page"') >= 20
    assert (site / "llms.txt").read_bytes() == (sites["mkdocs"] / "llms.txt").read_bytes()


@pytest.mark.parametrize("builder", [pytest.param(MKDOCS, id="mkdocs"), *parameters()])
def test_search_holds_every_page(builder: Builder, sites: dict[str, Path]) -> None:
    site = sites["mkdocs"] if builder is MKDOCS else built_by(builder, sites)
    pages = {page for page in reader_view(site) if page != "404.html"}
    assert len(pages) >= 50
    assert pages - searchable(site) == set()


def scratch(folder: Path, page: str) -> Path:
    """A one-page site configured as the project's is for links (its validation, and the
    hook that names a broken link's line for MkDocs)."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text(page)
    validation = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nvalidation:\n")[1]
    rules = re.match(r"(?:  .*\n)+", validation)
    assert rules is not None
    hooks = ROOT / "forkdocs" / "doctools" / "integrations" / "mkdocs_hooks.py"
    (folder / "mkdocs.yml").write_text(
        f"site_name: scratch\ntheme: material\nhooks: [{hooks}]\nvalidation:\n{rules.group(0)}"
    )
    return folder / "mkdocs.yml"


def scratch_build(builder: Builder, folder: Path, page: str) -> tuple[int, str]:
    config = scratch(folder, page)
    destination = config.parent / "site" if builder.in_project else folder / "out"
    return builder.build(config, destination)


@pytest.mark.parametrize("builder", [pytest.param(MKDOCS, id="mkdocs"), *parameters()])
def test_a_broken_link_fails_the_build_at_its_page_and_line(
    builder: Builder, tmp_path: Path
) -> None:
    status, output = scratch_build(builder, tmp_path, "# Page\n\nText.\n\nSee [it](nowhere.md).\n")
    assert status != 0
    assert re.search(r"index\.md:5\b", output), output[-2000:]


@pytest.mark.parametrize("builder", [pytest.param(MKDOCS, id="mkdocs"), *parameters(TRACEBACK)])
def test_a_strict_failure_ends_without_a_traceback(builder: Builder, tmp_path: Path) -> None:
    status, output = scratch_build(builder, tmp_path, "# Page\n\nSee [it](nowhere.md).\n")
    assert status != 0 and "Traceback" not in output, output[-2000:]


@pytest.mark.parametrize(
    "builder", [pytest.param(MKDOCS, id="mkdocs"), *parameters(NO_ABSOLUTE_LINKS)]
)
def test_a_link_to_an_absolute_path_fails_the_build(builder: Builder, tmp_path: Path) -> None:
    status, output = scratch_build(builder, tmp_path, "# Page\n\nSee [it](/elsewhere/).\n")
    assert status != 0, output[-2000:]
