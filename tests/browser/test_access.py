"""Every page, in both palettes, checked by axe-core (the npm package pinned in
``axe-core.lock.json`` beside this file, fetched once into the cache the Pyodide package
uses, sha512-checked; no CDN) in headless Chromium: no serious or critical violation at all
(contrast, names, landmarks, figure alternatives), and of the lesser ones only those listed
here, each with its reason."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

import pytest

from forkdocs.doctools.integrations.browserfiles import Pin, fetch

from .chromium import NEEDS_CHROMIUM, Served

pytestmark = NEEDS_CHROMIUM

PIN = Pin.load(Path(__file__).with_name("axe-core.lock.json"))
#: The moderate and minor findings that stay, by rule, with why.
ACCEPTED = {
    "landmark-unique": (
        "moderate, on three API pages only: Material labels each nested list of the table of"
        " contents with its heading's text, and there mkdocstrings' headings give two lists the"
        " same name"
    ),
    "empty-table-header": (
        "minor: the corner cell of a two-way table (calls down, questions across) has no"
        " heading of its own; each row and column is named"
    ),
}
RUN = """axe.run(document, {resultTypes: ['violations']}).then(result => result.violations.map(
  v => ({id: v.id, impact: v.impact, help: v.help,
         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': '
           + ((n.any[0] || n.all[0] || n.none[0] || {}).message || ''))})))"""


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's browser script."""
    with tarfile.open(fileobj=io.BytesIO(fetch(PIN).read_bytes()), mode="r:gz") as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe(served: Served, offline: Any, axe: str, scheme: str) -> None:
    pages = sorted(
        page.parent.relative_to(served.folder).as_posix()
        for page in served.folder.rglob("index.html")
        if "assets" not in page.parts
    )
    assert len(pages) >= 50
    serious, other = [], set()
    for path in pages:
        tab = offline.open(
            served.url + ("" if path == "." else path + "/"), scheme=scheme, width=1280
        )
        try:
            tab.evaluate(axe + ";0")
            found = tab.evaluate(RUN, timeout=300)
        finally:
            tab.close()
        for violation in found:
            if violation["impact"] in ("serious", "critical"):
                serious.append(
                    f"{path}: {violation['id']} ({violation['impact']}): {violation['help']}\n    "
                    + "\n    ".join(violation["nodes"])
                )
            else:
                other.add(violation["id"])
    assert serious == []
    assert other <= set(ACCEPTED), sorted(other - set(ACCEPTED))
