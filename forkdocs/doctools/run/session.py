"""The settings and state of one harness run, kept on the pytest config (never in globals).

The plugin makes one [`HarnessRun`][forkdocs.doctools.run.session.HarnessRun] at configure time and stores it in
``config.stash[RUN]``; every page read in that run carries it (``document.run``), so
evaluators find update mode, the timeout and the project root there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from forkdocs.doctools.run.update import Updates


@dataclass
class HarnessRun:
    """``update``: None (check outputs) or the [`Updates`][forkdocs.doctools.run.update.Updates] being collected; ``timeout``:
    seconds an example may run (0: no limit); ``root``: the folder of the project's
    mkdocs.yml (printed paths below it are shown relative); ``strict``: account for every
    block."""

    root: Path
    update: Updates | None = None
    timeout: float = 0.0
    strict: bool = False


RUN = pytest.StashKey[HarnessRun]()
