"""A copy of the project without git history (what `git archive` or a release tarball
gives) still builds strict, from another working directory: the pages' dates fall back to
the build date, and the snippets are found relative to mkdocs.yml."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from ..helpers import build_site

ROOT = Path(__file__).resolve().parents[2]


def test_a_copy_without_git_history_builds_strict_from_elsewhere(tmp_path: Path) -> None:
    archived = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "HEAD"],
        capture_output=True,
        check=False,
    )
    if archived.returncode != 0:
        pytest.skip("not a git checkout: nothing to archive")
    source = tmp_path / "source"
    with tarfile.open(fileobj=io.BytesIO(archived.stdout)) as tar:
        tar.extractall(source, filter="data")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = build_site(
        source / "mkdocs.yml", tmp_path / "site", cwd=elsewhere, env={"PYTHONPATH": str(source)}
    )
    assert 0 == done.returncode, done.stderr[-3000:]
    assert (tmp_path / "site" / "explanation" / "paging-cow" / "index.html").is_file()
    assert "<svg" in (tmp_path / "site" / "explanation" / "paging-cow" / "index.html").read_text()
    index = tmp_path / "site" / "assets" / "pyodide" / "forkdocs.json"
    assert index.is_file(), "the copy ships Pyodide and its own wheel for the Run buttons"
