"""The harness as a pytest plugin: options, the doc-example count, the inventory, update mode,
and keeping a page's examples on one xdist worker.

Options:

- ``--docs-strict``: each page gets an inventory check (see :mod:`forkdocs.doctools.inventory`).
- ``--docs-inventory=PATH``: where the JSON inventory goes (default ``docs-inventory.json``).
- ``--update-examples``: rewrite doctest outputs and output blocks that differ, in place;
  ``--update-examples=diff`` only shows the diff. Runs in one process (``-p no:xdist``).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from forkdocs.doctools import session as session_state
from forkdocs.doctools.document import PageDocument
from forkdocs.doctools.inventory import PageInventory, take
from forkdocs.doctools.items import DocFile
from forkdocs.doctools.update import Updates


def is_doc_example(nodeid: str) -> bool:
    """True for the node id of an example collected from a Markdown page."""
    return ".md::line:" in nodeid


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("forkdocs", "forkdocs docs harness")
    group.addoption(
        "--docs-strict",
        action="store_true",
        help="fail on blocks neither run, skipped with a reason, nor shown",
    )
    group.addoption(
        "--docs-inventory",
        default="docs-inventory.json",
        help="where to write the JSON inventory of blocks",
    )
    group.addoption(
        "--update-examples",
        nargs="?",
        const="write",
        default=None,
        choices=["write", "diff"],
        help="rewrite differing doctest outputs and output blocks in place (=diff: only show the diff)",
    )


def pytest_configure(config: pytest.Config) -> None:
    DocFile.strict = bool(config.getoption("docs_strict"))
    mode = config.getoption("update_examples")
    if mode is not None:
        if config.pluginmanager.hasplugin("xdist") and config.getoption("numprocesses", None):
            raise pytest.UsageError(
                "--update-examples runs in one process: add -p no:xdist (or -n 0)"
            )
        session_state.start(session_state.HarnessRun(update=Updates(dry_run=mode == "diff")))
    else:
        session_state.start(session_state.HarnessRun())
    config.pluginmanager.register(DocReport(config), "forkdocs-doc-report")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Whatever ``--dist`` says, schedule by file: a page's examples share one namespace and
    must run on one worker, in order. (``--dist each`` still runs everything everywhere.)"""
    from xdist.scheduler import EachScheduling, LoadFileScheduling

    if config.getoption("dist") == "each":
        return EachScheduling(config, log)
    return LoadFileScheduling(config, log)


class DocReport:
    """Counts doc-example outcomes, writes the inventory, applies update mode's edits."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.outcomes: Counter[str] = Counter()
        self.pages: set[str] = set()
        self.diffs: list[str] = []
        self.refused: list[str] = []
        self.dry_run = False
        self.inventory: dict[str, Any] = {"totals": {}, "unaccounted": 0}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count one report: the call phase, or a setup phase that skipped or failed."""
        if not is_doc_example(report.nodeid):
            return
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.outcomes[report.outcome] += 1
            self.pages.add(report.nodeid.split("::", 1)[0])

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if hasattr(self.config, "workerinput"):
            return  # xdist workers: the controller reports
        update = session_state.current().update
        if update is not None:
            self.diffs, self.refused = update.apply()
            self.dry_run = update.dry_run
            if self.refused or (self.diffs and update.dry_run):
                # a dry run with changes fails, like a --check
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if self.pages:
            root = self.config.rootpath
            inventories = [
                take(PageDocument.parse(str(root / page)), page) for page in sorted(self.pages)
            ]
            self.inventory = inventory_json(inventories)
            target = root / self.config.getoption("docs_inventory")
            target.write_text(json.dumps(self.inventory, indent=2) + "\n", encoding="utf-8")

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if hasattr(self.config, "workerinput"):
            return
        write = terminalreporter.write_line
        for text in self.diffs:
            write(text.rstrip("\n"))
        for text in self.refused:
            write(f"update refused: {text}", red=True)
        if self.diffs:
            verb = "would change" if self.dry_run else "updated"
            write(f"update mode: {verb} {len(self.diffs)} page(s)", bold=True)
        if self.pages:
            write(self.summary(), bold=True)
            totals = self.inventory["totals"]
            blocks = ", ".join(f"{count} {kind}" for kind, count in sorted(totals.items()))
            write(f"doc blocks: {blocks}; {self.inventory['unaccounted']} unaccounted", bold=True)

    def summary(self) -> str:
        """One line: ``doc examples: N run (P passed, F failed), S skipped, on K pages``."""
        ran = self.outcomes["passed"] + self.outcomes["failed"]
        return (
            f"doc examples: {ran} run ({self.outcomes['passed']} passed, "
            f"{self.outcomes['failed']} failed), {self.outcomes['skipped']} skipped, "
            f"on {len(self.pages)} pages"
        )


def inventory_json(inventories: list[PageInventory]) -> dict[str, Any]:
    """The JSON document of an inventory: per page, and totals by kind."""
    totals: Counter[str] = Counter()
    for page in inventories:
        totals.update(page.counts())
    return {
        "pages": {page.path: page.as_json() for page in inventories},
        "totals": dict(totals),
        "unaccounted": sum(len(page.problems()) for page in inventories),
    }
