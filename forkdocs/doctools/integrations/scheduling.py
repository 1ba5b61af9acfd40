"""A project's tests on xdist workers, one page per worker at a time, and what happens when
an example ends the worker running it.

xdist's file scheduling requeues every unfinished test of a crashed worker, the one that
crashed included: a page's later examples replay the earlier ones first, so the example that
ended one worker ends the next, and the next, until the restart limit (one crash reported up
to nine times). [`PageScheduling`][forkdocs.doctools.integrations.scheduling.PageScheduling]
keeps the rest of that page off the queue instead; the plugin reports the crash once and each
later example of the page once, as not run because of it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from xdist.scheduler import LoadFileScheduling


class PageScheduling(LoadFileScheduling):  # type: ignore[misc]
    """xdist's file scheduling, except after a crash: the example that was running and the
    later examples of its page are not run again. ``abandoned`` maps the node id of each
    example that ended a worker to the node ids of its page's examples left unrun."""

    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(config, log)
        self.abandoned: dict[str, list[str]] = {}

    def remove_node(self, node: Any) -> str | None:
        workload: dict[str, dict[str, bool]] = self.assigned_work.get(node, {})
        crashed = next(
            (
                (scope, nodeid)
                for scope, unit in workload.items()
                for nodeid, completed in unit.items()
                if not completed
            ),
            None,
        )
        if crashed is None:
            finished: str | None = super().remove_node(node)
            return finished
        scope, nodeid = crashed
        unit = workload.pop(scope)  # the other pages it held go back to the queue
        names = list(unit)
        self.abandoned[nodeid] = [n for n in names[names.index(nodeid) + 1 :] if not unit[n]]
        super().remove_node(node)
        return nodeid


def abandoned_reports(crashitem: str, report: pytest.TestReport, sched: Any) -> list[Any]:
    """The crash's report reworded, and one failed report for each later example of its page
    that the scheduler did not run (none for another scheduler)."""
    if not isinstance(sched, PageScheduling):
        return []
    page = crashitem.split("::", 1)[0]
    report.when = "call"  # counted as the example's outcome, as any failure is
    report.longrepr = (
        f"{_place(crashitem)}: this example ended the worker process running it (a signal,"
        f" or os._exit); the later examples of {page} are not run"
    )
    return [
        pytest.TestReport(
            nodeid=nodeid,
            location=(page, None, nodeid),
            keywords={},
            outcome="failed",
            longrepr=f"{_place(nodeid)}: not run: the example at {_place(crashitem)} ended its worker",
            when="call",
        )
        for nodeid in sched.abandoned.pop(crashitem, [])
    ]


def _place(nodeid: str) -> str:
    """``docs/p.md::line:5,column:1`` -> ``docs/p.md:5:1``."""
    found = re.fullmatch(r"(?P<page>.*)::line:(?P<line>\d+),column:(?P<column>\d+)", nodeid)
    return f"{found['page']}:{found['line']}:{found['column']}" if found else nodeid
