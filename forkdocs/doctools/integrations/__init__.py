"""The harness's last stage: where it plugs into pytest, MkDocs and the reader's browser.

- [`plugin`][forkdocs.doctools.integrations.plugin]: the pytest plugin (options, counts, update mode);
- [`collect`][forkdocs.doctools.integrations.collect]: one MkDocs project as the harness sees it;
- [`items`][forkdocs.doctools.integrations.items]: the pytest items, replay and failure reports;
- [`inline`][forkdocs.doctools.integrations.inline]: a Markdown extension: figures and tables
  computed at build time;
- [`inpage`][forkdocs.doctools.integrations.inpage]: a Markdown extension: the steps the browser
  runs, attached to the HTML;
- [`sitepage`][forkdocs.doctools.integrations.sitepage]: which page a Markdown instance converts;
- [`postbuild`][forkdocs.doctools.integrations.postbuild]: the step any builder's output is given;
- [`browserfiles`][forkdocs.doctools.integrations.browserfiles]: the pinned Pyodide and the wheel;
- [`sitenav`][forkdocs.doctools.integrations.sitenav]: the pages in reading order;
- [`printbook`][forkdocs.doctools.integrations.printbook]: the whole guide on one page, for printing;
- [`llmstxt`][forkdocs.doctools.integrations.llmstxt]: ``llms.txt`` and ``llms-full.txt``;
- [`mkdocs_hooks`][forkdocs.doctools.integrations.mkdocs_hooks]: MkDocs conveniences;
- [`stacked_tables`][forkdocs.doctools.integrations.stacked_tables]: a Markdown extension that lets wide
  tables stack on a phone;
- [`path_breaks`][forkdocs.doctools.integrations.path_breaks]: a Markdown extension that lets a path in
  inline code break after its slashes only.
"""
