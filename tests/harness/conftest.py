"""A scratch project per test: pages, a mkdocs.yml with snippets, and the harness's conftest."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

#: Every page has one check item (its blocks against the rendered site) besides its examples.
PAGE_CHECK = 1

MKDOCS = """\
site_name: scratch
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.snippets:
      base_path: [!relative $config_dir]
      check_paths: true
"""

CONFTEST = """\
pytest_plugins = ["forkdocs.doctools.integrations.plugin"]
"""


class Project:
    """Writes files into a pytester directory and runs pytest there."""

    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.root = pytester.path
        self.write("mkdocs.yml", MKDOCS)
        self.write("conftest.py", CONFTEST)
        self.write(
            "pytest.ini",
            "[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest"
            " --docs-inventory=docs-inventory.json\n",
        )

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def run(self, *args: str) -> pytest.RunResult:
        """pytest on the scratch project, in this process (the harness keeps no state in
        globals, so runs do not leak into each other)."""
        return self.pytester.runpytest_inprocess("-p", "no:xdist", *args)

    def run_isolated(self, *args: str) -> pytest.RunResult:
        """pytest in a process of its own: for pages that end the process."""
        return self.pytester.runpytest_subprocess("-p", "no:xdist", *args)

    def run_parallel(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess(*args)


@pytest.fixture
def project(pytester: pytest.Pytester) -> Project:
    return Project(pytester)
