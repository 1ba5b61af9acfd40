"""Collects the guide's Markdown pages (docs/**/*.md) and README.md as tests.

The harness lives in forkdocs/doctools/; docs/contributing/executable-examples.md explains it.
"""

from pathlib import Path

from forkdocs.doctools.collect import make_collector

pytest_plugins = ["forkdocs.doctools.plugin", "pytester"]

pytest_collect_file = make_collector(Path(__file__).parent)
