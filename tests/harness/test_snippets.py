"""Every scenario under snippets/ also runs on its own, as a script."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

SNIPPETS = sorted((Path(__file__).parents[2] / "snippets").rglob("*.py"))


def test_there_are_snippets() -> None:
    assert SNIPPETS, "snippets/ holds the scenarios pages include"


@pytest.mark.parametrize("script", SNIPPETS, ids=lambda path: path.name)
def test_snippet_runs_alone(script: Path) -> None:
    runpy.run_path(str(script), run_name="__main__")
