"""Another MkDocs project uses the harness through the installed package: its own
mkdocs.yml (docs_dir, snippet settings), no MkDocs installed, the inventory where it asks."""

from __future__ import annotations

import json

import pytest


def test_a_foreign_project_runs_its_pages_without_mkdocs(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yml",
        mkdocs=(
            "site_name: elsewhere\ndocs_dir: guide\nmarkdown_extensions:\n  - admonition\n"
            "  - pymdownx.superfences\n  - pymdownx.snippets:\n"
            "      base_path: [!relative $config_dir]\n      check_paths: true\n"
        ),
    )
    pytester.makepyfile(
        conftest=(
            "import sys\n"
            "sys.modules['mkdocs'] = None  # as if MkDocs were not installed: import fails\n"
            "pytest_plugins = ['forkdocs.doctools.plugin']\n"
        )
    )
    (pytester.path / "examples").mkdir()
    (pytester.path / "examples" / "greet.py").write_text(
        "def greet(name):\n    return f'hi {name}'\n"
    )
    (pytester.path / "guide").mkdir()
    (pytester.path / "guide" / "index.md").write_text(
        '# Elsewhere\n\n```python\n--8<-- "examples/greet.py"\n```\n\n'
        "!!! note\n\n    ```pycon\n    >>> greet('you')\n    'hi you'\n    ```\n"
    )
    (pytester.path / "docs").mkdir()
    (pytester.path / "docs" / "not-a-page.md").write_text("```python\nraise SystemExit\n```\n")
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--docs-strict", "--docs-inventory=out/blocks.json"
    )
    result.assert_outcomes(passed=3)  # the page's check, the code block, the doctest
    inventory = json.loads((pytester.path / "out" / "blocks.json").read_text())
    assert ["guide/index.md"] == list(inventory["pages"])
    assert {"executed": 1, "doctest": 1} == inventory["totals"]
