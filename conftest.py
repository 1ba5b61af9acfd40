"""The guide's pages (docs/**/*.md) and README.md are collected as tests by the harness's
pytest plugin, configured by mkdocs.yml (and pyproject.toml's [tool.pytest.ini_options]).

The harness lives in forkdocs/doctools/; docs/contributing/executable-examples.md explains it.
"""

pytest_plugins = ["forkdocs.doctools.integrations.plugin", "pytester"]
