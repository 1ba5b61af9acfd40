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
            "pytest_plugins = ['forkdocs.doctools.integrations.plugin']\n"
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


NO_SIMULATION = '''
import importlib, importlib.abc, pkgutil, sys


class NoSimulation(importlib.abc.MetaPathFinder):
    """Every forkdocs module outside the harness is absent."""

    def find_spec(self, name, path, target=None):
        if name.startswith("forkdocs.") and not name.startswith("forkdocs.doctools"):
            raise ImportError(f"{name}: the simulation is absent")
        return None


sys.meta_path.insert(0, NoSimulation())
import forkdocs.doctools

for info in pkgutil.walk_packages(forkdocs.doctools.__path__, "forkdocs.doctools."):
    if not info.name.endswith("__main__"):
        importlib.import_module(info.name)
pytest_plugins = ["forkdocs.doctools.integrations.plugin"]
'''


def test_the_harness_imports_and_runs_with_the_simulation_absent(
    pytester: pytest.Pytester,
) -> None:
    """Every harness module imports, and a page's examples run, when no module of the
    simulation can be imported: the harness is a tool of its own."""
    pytester.makefile(".yml", mkdocs="site_name: alone\nmarkdown_extensions:\n  - admonition\n")
    pytester.makepyfile(conftest=NO_SIMULATION)
    (pytester.path / "docs").mkdir()
    (pytester.path / "docs" / "index.md").write_text(
        "# Alone\n\n```python\nprint(6 * 7)\n```\n\n```\n42\n```\n\n"
        "```pycon\n>>> import forkdocs.machine\nTraceback (most recent call last):\n"
        "ImportError: forkdocs.machine: the simulation is absent\n```\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--docs-strict")
    result.assert_outcomes(passed=3)  # the page's check, the code block, the doctest


def test_a_snippet_base_below_the_config_folder_is_followed(pytester: pytest.Pytester) -> None:
    """``!relative $config_dir/parts``, which MkDocs 1.6 accepts, was an INTERNALERROR."""
    pytester.makefile(
        ".yml",
        mkdocs=(
            "site_name: parts\nmarkdown_extensions:\n  - pymdownx.superfences\n"
            "  - pymdownx.snippets:\n      base_path: [!relative $config_dir/parts]\n"
            "      check_paths: true\n"
        ),
    )
    pytester.makepyfile(conftest="pytest_plugins = ['forkdocs.doctools.integrations.plugin']\n")
    (pytester.path / "parts").mkdir()
    (pytester.path / "parts" / "two.py").write_text("two = 2\n")
    (pytester.path / "docs").mkdir()
    (pytester.path / "docs" / "index.md").write_text(
        '# Parts\n\n```python\n--8<-- "two.py"\nassert two == 2\n```\n'
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)
