"""The docs harness: runs the Python examples of the guide's Markdown pages under pytest.

Built on Sybil's lexers, parsers and evaluators. Nothing here is imported by the simulation
itself; these modules import sybil, pytest and mkdocs, which come with the ``test`` and
``docs`` extras.

Modules, from the bottom up:

- [`text`][forkdocs.doctools.text]: lines and columns of positions in a text.
- [`snippets`][forkdocs.doctools.snippets]: ``--8<--`` expansion, as pymdownx.snippets does it.
- [`document`][forkdocs.doctools.document]: a page with its snippets expanded and lines traced.
- [`fences`][forkdocs.doctools.fences]: the fence grammar Material for MkDocs accepts.
- [`update`][forkdocs.doctools.update]: update mode's edits, written atomically.
- [`evaluators`][forkdocs.doctools.evaluators]: running code blocks, output blocks and doctests.
- [`cevaluator`][forkdocs.doctools.cevaluator]: building and running a page's C programs, on this kernel or a no-MMU one.
- [`parsers`][forkdocs.doctools.parsers]: Sybil parsers for Python, pycon, invisible blocks, skips.
- [`inventory`][forkdocs.doctools.inventory]: every block of a page accounted for; strict mode.
- [`items`][forkdocs.doctools.items]: the pytest items, replay and failure reports.
- [`collect`][forkdocs.doctools.collect]: the Sybil and collector for the guide's pages.
- [`plugin`][forkdocs.doctools.plugin]: options, counts, the inventory file, update mode.
- [`pagerun`][forkdocs.doctools.pagerun]: a page's examples run outside pytest, the same under
  CPython and in the reader's browser (Pyodide); standard library only.
- [`inpage`][forkdocs.doctools.inpage]: the steps the browser runs, from the parsers, attached
  to the built HTML.
- [`browserfiles`][forkdocs.doctools.browserfiles]: the pinned Pyodide and the project's wheel
  the built site serves.
- [`mkdocs_hooks`][forkdocs.doctools.mkdocs_hooks]: page:line on MkDocs' link warnings, figures,
  Run buttons, the in-page runner's files.
"""
