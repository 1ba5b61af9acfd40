"""The docs harness: runs the examples of a MkDocs project's Markdown pages under pytest.

Built on Sybil's lexers, parsers and evaluators. It imports nothing of the simulation (a test
runs it with the simulation absent); its modules import sybil, pytest and mkdocs, which come
with the ``harness`` and ``docs`` extras. Its folders are its stages, each importing only from
those before it:

- [`grammar`][forkdocs.doctools.grammar]: what a page says: positions, fences, directives,
  the site's configuration, snippets, and the one classifier of its blocks;
- [`run`][forkdocs.doctools.run]: running it: the page document, parsers, one evaluator per
  kind of block, fail-closed running, page state, update mode, C programs and no-MMU Linux;
- [`check`][forkdocs.doctools.check]: checking the run against the site: the renderer, the
  cross-check and the inventory of every block;
- [`integrations`][forkdocs.doctools.integrations]: the pytest plugin, the MkDocs hooks,
  figures, the Run buttons and the files the browser needs.

[`errors`][forkdocs.doctools.errors] holds the root of every harness error and draws the tree.
"""
