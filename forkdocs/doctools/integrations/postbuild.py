"""What a built site is given after the build, whichever builder made it (MkDocs,
ProperDocs, Zensical): the one step ``make site`` runs after the builder.

``python -m forkdocs.doctools.integrations.postbuild [-f mkdocs.yml] SITE_DIR`` does, in
the built ``SITE_DIR``:

- for a site with a Pyodide pin (``pyodide.lock.json`` beside its configuration): Pyodide and
  the project's wheel into ``assets/pyodide/``, for the Run buttons
  ([`browserfiles`][forkdocs.doctools.integrations.browserfiles]);
- the whole guide bound into the page that asks for it, for printing
  ([`printbook`][forkdocs.doctools.integrations.printbook]);
- ``llms.txt`` and ``llms-full.txt`` ([`llmstxt`][forkdocs.doctools.integrations.llmstxt]).

It fails (exit status 1, one line naming what was wrong) rather than leave a site that looks
built but is not. ``mkdocs serve`` builds into a folder of its own; there the project's MkDocs
hook runs the same step ([`mkdocs_hooks`][forkdocs.doctools.integrations.mkdocs_hooks]).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from forkdocs.doctools.errors import HarnessError
from forkdocs.doctools.integrations import browserfiles, llmstxt, printbook
from forkdocs.doctools.integrations.inpage import PIN_FILE
from forkdocs.doctools.integrations.sitenav import reading_order
from forkdocs.doctools.integrations.sitepage import project_of

#: Where the built site keeps Pyodide and the wheel (docs/javascripts/run-worker.js loads them).
ASSETS = "assets/pyodide"


def finish(config_file: Path, site_dir: Path) -> list[str]:
    """Give the site ``config_file`` configures, built into ``site_dir``, what it needs
    after the build; a line for each thing done."""
    project = project_of(config_file)
    if not (site_dir / "index.html").is_file() and not any(site_dir.glob("*/index.html")):
        raise printbook.BookError(f"{site_dir}: no built site here (build it first)")
    done = []
    pin = project.root / PIN_FILE
    if pin.is_file():
        index = browserfiles.install(project.root, pin, site_dir / ASSETS)
        done.append(f"Pyodide {index['pyodide']} and {index['wheel']} into {ASSETS}/")
    pages = reading_order(project.site)
    book = printbook.bind(site_dir, pages)
    if book is not None:
        done.append(
            f"the whole guide ({pages.index(book)} pages) into {book.url or 'the home page'}"
        )
    summary, _ = llmstxt.write(project, pages, site_dir)
    done.append(f"{summary.name} and llms-full.txt ({len(pages)} pages)")
    return done


def main(argv: list[str]) -> int:
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(prog="python -m forkdocs.doctools.integrations.postbuild")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path)
    parser.add_argument("site_dir", type=Path)
    options = parser.parse_args(argv)
    try:
        for line in finish(options.config_file, options.site_dir):
            print(f"postbuild: {line}")
    except (HarnessError, OSError) as error:
        print(f"postbuild: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
