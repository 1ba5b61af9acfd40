"""pytest hooks of the docs harness: a closing line that says how many doc examples ran.

A doc example is any test whose node id names a Markdown page (``page.md::line:N,...``).
The count is taken from the test reports, so it is right under xdist too (the controller
sees every worker's reports).
"""

from __future__ import annotations

from collections import Counter

import pytest


def is_doc_example(nodeid: str) -> bool:
    """True for the node id of an example collected from a Markdown page."""
    return ".md::" in nodeid


class DocExampleTally:
    """A pytest plugin object that counts doc-example outcomes and the pages they came from."""

    def __init__(self) -> None:
        self.outcomes: Counter[str] = Counter()
        self.pages: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count one report: the call phase, or a setup phase that skipped or failed."""
        if not is_doc_example(report.nodeid):
            return
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.outcomes[report.outcome] += 1
            self.pages.add(report.nodeid.split("::", 1)[0])

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.pages:
            terminalreporter.write_line(self.summary(), bold=True)

    def summary(self) -> str:
        """One line: ``doc examples: N run (P passed, F failed), S skipped, on K pages``."""
        ran = self.outcomes["passed"] + self.outcomes["failed"]
        return (
            f"doc examples: {ran} run ({self.outcomes['passed']} passed, "
            f"{self.outcomes['failed']} failed), {self.outcomes['skipped']} skipped, "
            f"on {len(self.pages)} pages"
        )


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(DocExampleTally(), "forkdocs-doc-tally")
