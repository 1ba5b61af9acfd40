"""Harness tests in one process, string in and result out (as Sybil's own tests are): a page
is written into a scratch project, parsed, checked against the renderer and run example by
example, with no pytest subprocess."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from unittest import SkipTest

from forkdocs.doctools.check.inventory import PageInventory
from forkdocs.doctools.integrations.collect import GuideProject
from forkdocs.doctools.integrations.items import inventory_of, is_example, location
from forkdocs.doctools.run.document import PageDocument
from forkdocs.doctools.run.failclosed import evaluate
from forkdocs.doctools.run.session import HarnessRun
from forkdocs.doctools.run.update import Updates

from .conftest import MKDOCS


@dataclass
class Outcome:
    """What happened to one example: ``passed``, ``failed`` (with the error) or ``skipped``."""

    where: str
    result: str
    error: BaseException | None = None


@dataclass
class Page:
    """One page of a scratch project under ``root``."""

    root: Path
    text: str
    files: dict[str, str] = field(default_factory=dict)
    mkdocs: str = MKDOCS
    update: Updates | None = None
    timeout: float = 0.0
    name: str = "docs/p.md"

    def __post_init__(self) -> None:
        for relative, content in {"mkdocs.yml": self.mkdocs, **self.files}.items():
            path = self.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        page = self.root / self.name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_bytes(self.text.encode("utf-8"))
        self.run_state = HarnessRun(self.root, update=self.update, timeout=self.timeout)
        self.project = GuideProject(self.root / "mkdocs.yml", self.run_state)

    @property
    def path(self) -> Path:
        return self.root / self.name

    def document(self) -> PageDocument:
        document = self.project.parse(self.path)
        assert isinstance(document, PageDocument)
        return document

    def inventory(self) -> PageInventory:
        return inventory_of(self.document(), self.project)

    def run(self) -> list[Outcome]:
        """Run every example of the page in order (directives too, as the items do)."""
        document = self.document()
        outcomes = []
        for example in document.examples():
            where = location(example)
            try:
                evaluate(example, location, self.timeout)
            except SkipTest:
                outcomes.append(Outcome(where, "skipped"))
                continue
            except Exception as error:
                outcomes.append(Outcome(where, "failed", error))
                continue
            if is_example(example):
                outcomes.append(Outcome(where, "passed"))
        return outcomes
