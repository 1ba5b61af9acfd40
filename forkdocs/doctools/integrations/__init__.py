"""The harness's last stage: where it plugs into pytest, MkDocs and the reader's browser.

- [`plugin`][forkdocs.doctools.integrations.plugin]: the pytest plugin (options, counts, update mode);
- [`collect`][forkdocs.doctools.integrations.collect]: one MkDocs project as the harness sees it;
- [`items`][forkdocs.doctools.integrations.items]: the pytest items, replay and failure reports;
- [`mkdocs_hooks`][forkdocs.doctools.integrations.mkdocs_hooks]: the MkDocs hooks;
- [`inline`][forkdocs.doctools.integrations.inline]: figures and tables computed at build time;
- [`inpage`][forkdocs.doctools.integrations.inpage]: the steps the browser runs, attached to the HTML;
- [`browserfiles`][forkdocs.doctools.integrations.browserfiles]: the pinned Pyodide and the wheel;
- [`stacked_tables`][forkdocs.doctools.integrations.stacked_tables]: a Markdown extension that lets wide
  tables stack on a phone;
- [`path_breaks`][forkdocs.doctools.integrations.path_breaks]: a Markdown extension that lets a path in
  inline code break after its slashes only.
"""
