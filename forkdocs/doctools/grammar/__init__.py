"""The harness's first stage: what a page says, read without running anything.

- [`text`][forkdocs.doctools.grammar.text]: lines and columns of positions; paths as shown;
- [`fences`][forkdocs.doctools.grammar.fences]: the fence grammar Material for MkDocs accepts;
- [`directives`][forkdocs.doctools.grammar.directives]: the harness's HTML-comment directives;
- [`siteconfig`][forkdocs.doctools.grammar.siteconfig]: ``mkdocs.yml`` as MkDocs reads it;
- [`snippets`][forkdocs.doctools.grammar.snippets]: ``--8<--`` expansion, as pymdownx.snippets does it;
- [`exercises`][forkdocs.doctools.grammar.exercises]: an exercise's parts, tied by its directives;
- [`blocks`][forkdocs.doctools.grammar.blocks]: the one classifier of a page's blocks.
"""
