"""The build's side of the in-page runner, on scratch sites: which sites get Run buttons, and
the errors that stop a build (page:line, or what to run)."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..helpers import SITE_EXTENSIONS, build_site

ROOT = Path(__file__).resolve().parents[2]


def scratch(folder: Path, page: str, pinned: bool) -> Path:
    """A site using the project's extensions (no hook), with one page, and the project's
    pin if ``pinned``."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text(page)
    (folder / "mkdocs.yml").write_text(
        f"site_name: scratch\n{SITE_EXTENSIONS}  - pymdownx.highlight\n  - pymdownx.superfences\n"
    )
    if pinned:
        shutil.copy(ROOT / "pyodide.lock.json", folder)
    return folder / "mkdocs.yml"


PAGE = "# Page\n\n```python\nx = 1\n```\n"


def test_a_site_without_a_pyodide_pin_gets_no_run_buttons(tmp_path: Path) -> None:
    config = scratch(tmp_path / "project", PAGE, pinned=False)
    done = build_site(config, tmp_path / "site", cwd=config.parent)
    assert 0 == done.returncode, done.stderr[-3000:]
    assert "fd-steps" not in (tmp_path / "site" / "index.html").read_text()
    assert not (tmp_path / "site" / "assets" / "pyodide").exists()


def test_a_pinned_site_whose_pyodide_is_not_fetched_says_to_run_make_pyodide(
    tmp_path: Path,
) -> None:
    config = scratch(tmp_path / "project", PAGE, pinned=True)
    empty = tmp_path / "empty-cache"
    done = build_site(
        config, tmp_path / "site", cwd=config.parent, env={"FORKDOCS_PYODIDE_CACHE": str(empty)}
    )
    assert done.returncode != 0
    assert "is not in the cache" in done.stderr and "run `make pyodide` once" in done.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    assert 'data-fd-step="0"' in html and 'class="fd-steps"' in html


def test_a_directive_that_cannot_apply_stops_the_build_with_its_line(tmp_path: Path) -> None:
    page = "# Page\n\n<!-- not-in-browser -->\n```python\nx = 1\n```\n"
    config = scratch(tmp_path / "project", page, pinned=True)
    done = build_site(config, tmp_path / "site", cwd=config.parent)
    assert done.returncode != 0
    assert "docs/index.md:3: not-in-browser needs a reason" in done.stderr, done.stderr[-2000:]
