"""The docs harness: runs the Python examples of the guide's Markdown pages under pytest.

Built on Sybil's lexers, parsers and evaluators. Nothing here is imported by the simulation
itself; these modules import sybil, pytest and mkdocs, which come with the ``test`` and
``docs`` extras.

Modules, from the bottom up:

- :mod:`~forkdocs.doctools.text`: lines and columns of positions in a text.
- :mod:`~forkdocs.doctools.snippets`: ``--8<--`` expansion, as pymdownx.snippets does it.
- :mod:`~forkdocs.doctools.document`: a page with its snippets expanded and lines traced.
- :mod:`~forkdocs.doctools.fences`: the fence grammar Material for MkDocs accepts.
- :mod:`~forkdocs.doctools.update`: update mode's edits, written atomically.
- :mod:`~forkdocs.doctools.evaluators`: running code blocks, output blocks and doctests.
- :mod:`~forkdocs.doctools.parsers`: Sybil parsers for Python, pycon, invisible blocks, skips.
- :mod:`~forkdocs.doctools.inventory`: every block of a page accounted for; strict mode.
- :mod:`~forkdocs.doctools.items`: the pytest items, replay and failure reports.
- :mod:`~forkdocs.doctools.collect`: the Sybil and collector for the guide's pages.
- :mod:`~forkdocs.doctools.plugin`: options, counts, the inventory file, update mode.
- :mod:`~forkdocs.doctools.mkdocs_hooks`: page:line on MkDocs' link warnings.
"""
