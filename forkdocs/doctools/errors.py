"""The harness's errors: one root, two branches, each error defined where it is raised.

```text
HarnessError
├── PageError             a page (or what the site is built with) cannot be collected or
│   │                     built: nothing of it runs, and the error names page:line
│   ├── ConfigError       grammar.siteconfig: mkdocs.yml as MkDocs would refuse it
│   ├── DirectiveError    grammar.directives: a malformed or misplaced directive
│   ├── SnippetError      grammar.snippets: a --8<-- include that cannot be expanded
│   ├── InventoryError    integrations.items: a block strict mode cannot account for
│   ├── InPageError       integrations.inpage: a page the browser's runner cannot attach to
│   ├── BrowserFilesError integrations.browserfiles: Pyodide or the wheel missing or altered
│   ├── NoSiteConfig      integrations.sitepage: a site extension's mkdocs.yml is missing
│   ├── BookError         integrations.printbook: a page of the whole guide was not built
│   ├── Unwritable        run.update: an output the page cannot hold
│   └── PageChanged       run.update: the page changed under update mode
└── ExampleFailed         an example ran and did not do what the page says
    ├── OutputMismatch    run.output: printed other than its output block
    ├── ScriptFailed      run.scripts: a figure or table script raised
    │   └── MissingName   run.scripts: draw(page) asked for a name the page never defined
    ├── ScriptOutputError run.scripts: a figure or table script printed no usable result
    ├── FigureError       integrations.inline: a figure failed while the site was built
    ├── ExampleExited, ExampleInterrupted, ExampleTimeout
    │                     run.failclosed: an example that tried to end or hang the run
    ├── ReplayError       integrations.items: an earlier example of the page failed
    ├── ExerciseFailed    run.exercise: a checker, solution or answer that misleads
    ├── CProgramError     run.cprograms: a C program failed to build or run
    │   └── MissingTools  run.nommu.kernel: a tool a no-MMU run needs is not installed
    └── FlatError         run.nommu.bflt: an ELF program that cannot become a bFLT file
```

An error keeps the standard base it had (a ``ValueError``, an ``AssertionError``...) beside
its branch. Collecting a page catches `HarnessError` and reports it at the page; pytest
reports the rest as the example's failure. Nothing here imports anything.
"""

from __future__ import annotations


class HarnessError(Exception):
    """Any error of the docs harness."""


class PageError(HarnessError):
    """A page, or what the site is built with, cannot be collected or built."""


class ExampleFailed(HarnessError):
    """An example ran and did not do what its page says."""
