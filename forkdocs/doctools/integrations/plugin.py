"""The harness as a pytest plugin: it collects a MkDocs project's pages, counts the doc
examples, writes the inventory and the completion record, and runs update mode.

Load it with ``-p forkdocs.doctools.integrations.plugin`` or ``pytest_plugins = ["forkdocs.doctools.integrations.plugin"]``
in a conftest. It reads the project's ``mkdocs.yml`` (ini ``docs_config``, default
``mkdocs.yml`` in the rootdir; without one, it collects nothing).

Options:

- ``--docs-strict``: the inventory check of each page also refuses blocks that are neither
  run, skipped with a reason, nor shown (see [`inventory`][forkdocs.doctools.check.inventory]);
- ``--docs-inventory=PATH``: write the JSON inventory of every collected page there;
- ``--docs-timeout=SECONDS``: an example that runs longer fails (default: ini
  ``docs_timeout``, else 60; 0: no limit);
- ``--docs-record=PATH``: at the very end of the run, write a completion record there. A run
  that an example ended with ``os._exit`` writes none, so a wrapper (``make test``) that
  finds it missing, or finds a status other than 0 in it, fails. Under xdist the plugin itself fails the run when a worker ends
  without finishing;
- ``--update-examples``: rewrite doctest outputs and output blocks that differ, in place;
  ``--update-examples=diff`` only shows the diff. Runs in one process (``-p no:xdist``).

Ini ``docs_dist_by_page = true`` makes xdist keep each page on one worker (its examples
share a namespace: split across workers, each replays the ones before it).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from forkdocs.doctools.integrations.collect import GuideProject
from forkdocs.doctools.integrations.items import DocFile, DocItem
from forkdocs.doctools.integrations.longlived import freeze_long_lived
from forkdocs.doctools.run.session import RUN, HarnessRun
from forkdocs.doctools.run.update import Updates, write_atomically

PROJECT = pytest.StashKey[GuideProject | None]()
#: Set in a worker's output when it finished its session (xdist).
FINISHED = "forkdocs-finished"


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
        "--docs-inventory", default=None, help="write the JSON inventory of blocks here"
    )
    group.addoption(
        "--docs-timeout", type=float, default=None, help="seconds an example may run (0: no limit)"
    )
    group.addoption(
        "--docs-record", default=None, help="write a completion record here at the end of the run"
    )
    group.addoption(
        "--update-examples",
        nargs="?",
        const="write",
        default=None,
        choices=["write", "diff"],
        help="rewrite differing doctest outputs and output blocks in place (=diff: only show the diff)",
    )
    parser.addini(
        "docs_config", "the project's mkdocs.yml, relative to the rootdir", default="mkdocs.yml"
    )
    parser.addini("docs_timeout", "seconds an example may run (0: no limit)", default="60")
    parser.addini(
        "docs_dist_by_page",
        "keep each page's examples on one xdist worker",
        type="bool",
        default=False,
    )


def pytest_configure(config: pytest.Config) -> None:
    root = config.rootpath
    mode = config.getoption("update_examples")
    if (
        mode is not None
        and config.pluginmanager.hasplugin("xdist")
        and config.getoption("numprocesses", None)
    ):
        raise pytest.UsageError("--update-examples runs in one process: add -p no:xdist (or -n 0)")
    timeout = config.getoption("docs_timeout")
    run = HarnessRun(
        root=root,
        update=Updates(dry_run=mode == "diff", root=root) if mode is not None else None,
        timeout=float(config.getini("docs_timeout")) if timeout is None else timeout,
        strict=bool(config.getoption("docs_strict")),
    )
    config.stash[RUN] = run
    config_file = root / str(config.getini("docs_config"))
    config.stash[PROJECT] = GuideProject(config_file, run) if config_file.is_file() else None
    if config.stash[PROJECT] is not None:
        run.root = config.stash[PROJECT].root  # type: ignore[union-attr]
    config.pluginmanager.register(DocReport(config), "forkdocs-doc-report")
    freeze_long_lived()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Any:
    project = parent.config.stash.get(PROJECT, None)
    if project is not None and project.is_page(file_path):
        return DocFile.from_parent(parent, path=file_path, sybils=[project.sybil], project=project)
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Examples of one page run in page order, however they were selected (node ids given
    in another order keep the places of that page's examples, filled in page order)."""
    places: dict[Any, list[int]] = {}
    for position, item in enumerate(items):
        if isinstance(item, DocItem):
            places.setdefault(item.parent, []).append(position)
    for positions in places.values():
        ordered = sorted((items[p] for p in positions), key=lambda item: item.index)  # type: ignore[attr-defined]
        for position, item in zip(positions, ordered, strict=True):
            items[position] = item


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection built (see [`longlived`][forkdocs.doctools.integrations.longlived])."""
    freeze_long_lived()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ini ``docs_dist_by_page``, schedule by file: a page's examples run on one worker,
    in order. (``--dist each`` still runs everything everywhere.)"""
    if not config.getini("docs_dist_by_page"):
        return None
    from xdist.scheduler import EachScheduling

    from forkdocs.doctools.integrations.scheduling import PageScheduling

    if config.getoption("dist") == "each":
        return EachScheduling(config, log)
    return PageScheduling(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_handlecrashitem(crashitem: str, report: pytest.TestReport, sched: Any) -> None:
    """An example ended its worker: it is reported once, and so is each later example of
    its page, which the page scheduler did not run again."""
    from forkdocs.doctools.integrations.scheduling import abandoned_reports

    config = getattr(sched, "config", None)
    for later in abandoned_reports(crashitem, report, sched):
        if config is not None:
            config.hook.pytest_runtest_logreport(report=later)


class DocReport:
    """Counts doc-example outcomes, gathers the inventory, applies update mode's edits, and
    writes the completion record."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.outcomes: Counter[str] = Counter()
        self.pages: dict[str, dict[str, Any]] = {}
        self.diffs: list[str] = []
        self.refused: list[str] = []
        self.lost: list[str] = []
        self.dry_run = False
        self.inventory: dict[str, Any] = {"totals": {}, "unaccounted": 0}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count one report: the call phase, or a setup phase that skipped or failed; keep
        the inventory a page's check attached."""
        counted = report.when == "call" or (report.when == "setup" and not report.passed)
        if not report.user_properties and not counted:
            return  # most reports: a setup or teardown that passed
        page = report.nodeid.split("::", 1)[0]
        for name, value in report.user_properties:
            if name == "forkdocs-inventory" and isinstance(value, dict):
                self.pages[page] = value
        if counted and is_doc_example(report.nodeid):
            self.outcomes[report.outcome] += 1
            self.pages.setdefault(page, {})

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """A page that could not be collected is in the inventory with its error."""
        if report.failed and report.nodeid.endswith(".md"):
            self.pages[report.nodeid] = {
                "problems": [str(report.longrepr)],
                "blocks": [],
                "counts": {},
            }

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """A worker that went down without finishing its session fails the run."""
        if FINISHED not in getattr(node, "workeroutput", {}):
            name = node.gateway.id if hasattr(node, "gateway") else str(node)
            self.lost.append(
                f"worker {name} ended before its session finished" + (f": {error}" if error else "")
            )

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if hasattr(self.config, "workerinput"):
            self.config.workeroutput[FINISHED] = True  # type: ignore[attr-defined]
            return  # xdist workers: the controller reports
        update = self.config.stash[RUN].update
        if update is not None:
            self.diffs, self.refused = update.apply()
            self.dry_run = update.dry_run
            if self.refused or (self.diffs and update.dry_run):
                # a dry run with changes fails, like a --check
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if self.lost:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        self.inventory = inventory_json(self.pages)
        target = self.config.getoption("docs_inventory")
        if target:  # every run that asks rewrites it: never a stale inventory
            # sorted keys: the same bytes whatever order the pages finished in (xdist)
            _write(
                self.config.rootpath / target, json.dumps(self.inventory, indent=2, sort_keys=True)
            )
        record = self.config.getoption("docs_record")
        if record:
            summary = {"exitstatus": int(session.exitstatus), "examples": dict(self.outcomes)}
            _write(self.config.rootpath / record, json.dumps(summary))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if hasattr(self.config, "workerinput"):
            return
        write = terminalreporter.write_line
        for text in self.diffs:
            write(text.rstrip("\n"))
        for text in self.refused:
            write(f"update refused: {text}", red=True)
        for text in self.lost:
            write(f"forkdocs: {text} (an example may have called os._exit)", red=True)
        if self.diffs:
            verb = "would change" if self.dry_run else "updated"
            write(f"update mode: {verb} {len(self.diffs)} page(s)", bold=True)
        if self.pages:
            write(self.summary(), bold=True)
            totals = self.inventory["totals"]
            blocks = ", ".join(f"{count} {kind}" for kind, count in sorted(totals.items()))
            elsewhere = self.inventory.get("not_in_browser", 0)
            browser = f"; {elsewhere} not run in the browser" if elsewhere else ""
            write(
                f"doc blocks: {blocks}{browser}; {self.inventory['unaccounted']} unaccounted",
                bold=True,
            )

    def summary(self) -> str:
        """One line: ``doc examples: N run (P passed, F failed), S skipped, on K pages``."""
        ran = self.outcomes["passed"] + self.outcomes["failed"]
        return (
            f"doc examples: {ran} run ({self.outcomes['passed']} passed, "
            f"{self.outcomes['failed']} failed), {self.outcomes['skipped']} skipped, "
            f"on {len(self.pages)} pages"
        )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, (text + "\n").encode())


def inventory_json(pages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The JSON document of an inventory: per page (sorted), and totals by kind."""
    totals: Counter[str] = Counter()
    for page in pages.values():
        totals.update(page.get("counts", {}))
    return {
        "pages": {path: pages[path] for path in sorted(pages)},
        "totals": dict(totals),
        "not_in_browser": sum(page.get("not_in_browser", 0) for page in pages.values()),
        "unaccounted": sum(
            len(page.get("problems", [])) + len(page.get("disagreements", []))
            for page in pages.values()
        ),
    }
