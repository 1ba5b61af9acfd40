"""What keeps the harness's start-up short gives what the slow way gives.

The site's configuration is read once for each content of what it was made from: a kept
reading is used while its files and the variables ``!ENV`` consulted are unchanged, and never
from a cache folder someone else could have written. The project's Sybil, made without
Sybil's look-up of its caller's source, is what Sybil's constructor makes. A block with nothing
included in it is compiled in one piece, exactly when its lines follow on in one file. A page's
inventory, kept, is the one taken again, and is taken again when anything it is made from
changed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from forkdocs.doctools.check.inventorycache import kept_inventory
from forkdocs.doctools.grammar import siteconfig
from forkdocs.doctools.grammar.siteconfig import ConfigError, SiteConfig
from forkdocs.doctools.grammar.snippets import Expanded
from forkdocs.doctools.integrations.collect import GuideProject
from forkdocs.doctools.integrations.items import inventory_of
from forkdocs.doctools.run import cache
from forkdocs.doctools.run.configcache import load_site

from .inprocess import Page


@pytest.fixture
def entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty config cache folder for the test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("FORKDOCS_CONFIG_CACHE", str(folder))
    return folder


def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the YAML reader parses from now on (a cached load parses none)."""
    parsed: list[Path] = []
    real = siteconfig._settings

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        parsed.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(siteconfig, "_settings", counting)
    return parsed


def test_a_second_load_of_the_same_file_is_the_kept_reading(
    tmp_path: Path, entries: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\ndocs_dir: guide\nmarkdown_extensions:\n  - pymdownx.snippets:\n"
        "      base_path: [!relative $config_dir/parts]\n  - pymdownx.superfences:\n"
        "      custom_fences:\n        - name: m\n          class: m\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
    )
    parsed = reads(monkeypatch)
    first = load_site(config)
    second = load_site(config)
    assert [config] == parsed  # read once; the second came from the cache
    assert 1 == len(list(entries.iterdir()))
    assert first == second == SiteConfig.load(config)
    fence = second.options["pymdownx.superfences"]["custom_fences"][0]
    assert "fence_code_format" == fence["format"].__name__


def test_a_changed_file_inherited_file_or_variable_is_read_again(
    tmp_path: Path, entries: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "base.yml").write_text("docs_dir: one\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\nsite_name: !ENV [FLAVOUR, plain]\n")
    monkeypatch.delenv("FLAVOUR", raising=False)
    assert tmp_path / "one" == load_site(config).docs_dir
    assert "plain" == load_site(config).settings["site_name"]
    (tmp_path / "base.yml").write_text("docs_dir: two\n")
    assert tmp_path / "two" == load_site(config).docs_dir
    monkeypatch.setenv("FLAVOUR", "tilde")
    assert "tilde" == load_site(config).settings["site_name"]
    config.write_text("INHERIT: base.yml\nsite_name: fixed\n")
    assert "fixed" == load_site(config).settings["site_name"]


def test_an_error_is_never_kept(
    tmp_path: Path, entries: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nINHERIT: missing.yml\n")
    for _ in range(2):
        with pytest.raises(ConfigError, match=r"cannot read .*missing.yml"):
            load_site(config)
    with pytest.raises(ConfigError, match="cannot read"):
        load_site(tmp_path / "absent.yml")


def test_a_kept_reading_naming_a_module_now_gone_is_read_again(
    tmp_path: Path, entries: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "vanishing_fence.py"
    module.write_text("def fence(*args):\n    return ''\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nextra:\n  f: !!python/name:vanishing_fence.fence\n")
    assert "fence" == load_site(config).settings["extra"]["f"].__name__
    module.unlink()
    monkeypatch.delitem(sys.modules, "vanishing_fence")
    with pytest.raises(ConfigError, match=r"mkdocs.yml:3: !!python/name:vanishing_fence.fence"):
        load_site(config)


def test_a_cache_folder_someone_else_could_write_is_not_used(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    assert cache.is_private(mine)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert not cache.is_private(shared)
    link = tmp_path / "link"
    link.symlink_to(mine)
    assert not cache.is_private(link)


def test_the_default_folder_is_refused_when_it_is_not_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache.tempfile, "tempdir", str(tmp_path))
    planted = tmp_path / f"forkdocs-plant-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)  # as if another user had made it for us
    chosen = cache._folder("plant", "")
    assert chosen != planted
    assert cache.is_private(chosen)
    assert cache._folder("own", "") == tmp_path / f"forkdocs-own-{os.getuid()}"


def test_the_project_sybil_has_what_a_real_sybil_has(tmp_path: Path) -> None:
    """The harness makes its Sybil without Sybil's caller-source lookup; it must still be
    what ``Sybil(parsers, path=root, document_types=...)`` would be, for any Sybil 10."""
    from sybil import Sybil

    from forkdocs.doctools.integrations.collect import PageSybil

    parsers: list[object] = []
    types = {".md": object}
    real = Sybil(parsers=parsers, path=str(tmp_path), document_types=types)  # type: ignore[arg-type,dict-item]
    ours = PageSybil(parsers, tmp_path, types)  # type: ignore[arg-type]
    assert vars(real) == vars(ours)


@given(
    st.lists(
        st.one_of(
            st.just(("page", 1)),  # the page's next line
            st.tuples(st.sampled_from(["a.py", "b.py"]), st.integers(1, 4)),  # an included line
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(-1, 14),
    st.integers(1, 14),
)
def test_a_block_is_one_run_exactly_when_its_lines_follow_on(
    kinds: list[tuple[str, int]], first: int, count: int
) -> None:
    """``run_of`` (the compiler's shortcut for a block with nothing included) agrees with
    looking at every line's origin."""
    origins, number = [], 0
    for path, line in kinds:
        number += path == "page"
        origins.append(("page", number) if path == "page" else (path, line))
    expanded = Expanded("\n" * (len(origins) - 1), origins)
    lines = [expanded.origin(first + i) for i in range(count)] if first >= 1 else []
    follows = (
        first >= 1
        and first - 1 + count <= len(origins)
        and all(lines[i] == (lines[0][0], lines[0][1] + i) for i in range(count))
    )
    assert expanded.run_of(first, count) == (lines[0] if follows else None)


GUIDE = Path(__file__).parents[2]
PAGES = sorted((GUIDE / "docs").rglob("*.md"))


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty inventory cache folder for the test."""
    folder = tmp_path / "inventories"
    monkeypatch.setenv("FORKDOCS_INVENTORY_CACHE", str(folder))
    return folder


@pytest.fixture(scope="module")
def guide() -> GuideProject:
    return GuideProject(GUIDE / "mkdocs.yml")


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_a_kept_inventory_is_what_taking_it_again_gives(
    page: Path, kept: Path, guide: GuideProject
) -> None:
    """For every page of this guide: kept, then read back, the inventory is the one taken
    afresh (blocks, counts, problems and disagreements with the rendered site)."""
    document = guide.parse(page)
    fresh = inventory_of(document, guide).as_json()
    kept_inventory(document, guide.settings, lambda: fresh)
    assert fresh == kept_inventory(document, guide.settings, _not_called)


def test_a_page_included_file_setting_or_folder_that_changed_is_checked_again(
    tmp_path: Path, kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = Page(tmp_path, '--8<-- "part.txt"\n', files={"part.txt": "```python\nx = 1\n```\n"})

    def taken() -> dict[str, object]:
        document = page.document()
        return kept_inventory(
            document, page.project.settings, lambda: inventory_of(document, page.project).as_json()
        )

    assert {"executed": 1} == taken()["counts"]
    assert 1 == len(list(kept.iterdir()))
    assert {"executed": 1} == taken()["counts"]  # the same: found
    assert 1 == len(list(kept.iterdir()))
    (tmp_path / "part.txt").write_text("```python\nx = 1\n```\n\n```pycon\n>>> 1\n1\n```\n")
    assert {"executed": 1, "doctest": 1} == taken()["counts"]  # an included file changed
    (tmp_path / "part.txt").write_text("```py title=x\nx = 1\n```\n")  # the site shows text
    assert 1 == len(taken()["disagreements"])
    monkeypatch.chdir(tmp_path / "docs")
    assert taken()["disagreements"][0].startswith("p.md:1:")  # named from the new folder
    (tmp_path / "mkdocs.yml").write_text(
        (tmp_path / "mkdocs.yml").read_text() + "extra:\n  changed: 1\n"
    )
    page.project = GuideProject(tmp_path / "mkdocs.yml", page.run_state)
    before = len(list(kept.iterdir()))
    taken()
    assert before + 1 == len(list(kept.iterdir()))  # another configuration: taken again


def _not_called() -> dict[str, object]:
    raise AssertionError("the kept inventory was not found")
