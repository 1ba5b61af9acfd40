"""A scratch project per test: pages, a mkdocs.yml with snippets, and the harness's conftest."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

MKDOCS = """\
site_name: scratch
markdown_extensions:
  - pymdownx.snippets:
      base_path: [!relative $config_dir]
      check_paths: true
"""

CONFTEST = """\
from pathlib import Path
from forkdocs.doctools.collect import make_collector
pytest_plugins = ["forkdocs.doctools.plugin"]
pytest_collect_file = make_collector(Path(__file__).parent)
"""


class Project:
    """Writes files into a pytester directory and runs pytest there."""

    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.root = pytester.path
        self.write("mkdocs.yml", MKDOCS)
        self.write("conftest.py", CONFTEST)
        self.write("pytest.ini", "[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def run(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess("-p", "no:xdist", *args)

    def run_parallel(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess(*args)


@pytest.fixture
def project(pytester: pytest.Pytester) -> Project:
    return Project(pytester)
