"""The state of one harness run that evaluators need: update mode and its edits."""

from __future__ import annotations

from dataclasses import dataclass

from forkdocs.doctools.update import Updates


@dataclass
class HarnessRun:
    """``update`` is None (check outputs), or the :class:`Updates` being collected."""

    update: Updates | None = None


_current = HarnessRun()


def current() -> HarnessRun:
    """The run in progress (a checking run when no plugin configured one)."""
    return _current


def start(run: HarnessRun) -> None:
    """Make ``run`` the run in progress (called by the pytest plugin at configure time)."""
    global _current
    _current = run
