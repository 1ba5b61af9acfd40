"""Collects the guide's Markdown pages (docs/**/*.md) and README.md as tests, with Sybil.

The harness lives in forkdocs/doctools/; see docs/contributing/executable-examples.md.
"""

from pathlib import Path

from forkdocs.doctools.collect import make_sybil

pytest_plugins = ["forkdocs.doctools.plugin"]

pytest_collect_file = make_sybil(Path(__file__).parent).pytest()
