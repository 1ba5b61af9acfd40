"""The docs harness: runs the Python examples of the guide's Markdown pages under pytest.

Built on Sybil's lexers, parsers and evaluators. Nothing here is imported by the simulation
itself; these modules import sybil, pytest and mkdocs, which come with the ``test`` and
``docs`` extras.

Modules:

- :mod:`forkdocs.doctools.fences`: the fence grammar Material for MkDocs accepts.
- :mod:`forkdocs.doctools.parsers`: Sybil parsers for Python, pycon and invisible blocks.
- :mod:`forkdocs.doctools.collect`: the :class:`sybil.Sybil` that collects the pages.
- :mod:`forkdocs.doctools.plugin`: pytest hooks (the summary of doc examples run).
"""
