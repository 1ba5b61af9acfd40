"""The built site in a real browser (Debian's headless Chromium), offline.

The site is built into a temporary folder and served on 127.0.0.1; Chromium loads pages and
dumps the DOM after Material's scripts have run. Skipped when Chromium is not installed,
unless FORKDOCS_BROWSER_CHECK=required (as CI sets it), which turns the skip into a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium")
REQUIRED = os.environ.get("FORKDOCS_BROWSER_CHECK") == "required"

if CHROMIUM is None and REQUIRED:
    raise RuntimeError(
        "FORKDOCS_BROWSER_CHECK=required but chromium is not installed (apt-get install chromium)"
    )
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--virtual-time-budget=3000",
]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log on stderr."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of the freshly built site, served on a free local port."""
    folder = tmp_path_factory.mktemp("site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url}
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-q",
        "-f",
        str(ROOT / "mkdocs.yml"),
        "-d",
        str(folder),
    ]
    subprocess.run(command, check=True, env=env, cwd=ROOT)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()


def dom(url: str) -> str:
    """The page's DOM once its scripts have run."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    return done.stdout


@pytest.mark.parametrize("page", ["", "tutorial/first-fork/", "vfork/why-wait/"])
def test_pages_render_offline_with_their_scripts(site: str, page: str) -> None:
    html = dom(site + page)
    assert html.count("md-code__button") > 0, "copy buttons are added by Material's script: it ran"
    palettes = set(re.findall(r'<input class="md-option" data-md-color-media="([^"]*)"', html))
    assert 3 == len(palettes), f"light, dark and system palettes: {palettes}"
    assert "md-search__input" in html
    for outside in ("fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "unpkg.com/"):
        assert outside not in html, outside


def test_an_output_block_shows_its_caption(site: str) -> None:
    html = dom(site + "tutorial/first-fork/")
    assert '<span class="filename">Output</span>' in html


def test_the_search_index_covers_every_page(site: str) -> None:
    from urllib.request import urlopen

    with urlopen(site + "search/search_index.json") as response:
        index = json.load(response)
    locations = {entry["location"].split("#")[0] for entry in index["docs"]}
    for page in sorted((ROOT / "docs").rglob("*.md")):
        location = page.relative_to(ROOT / "docs").with_suffix("").as_posix()
        expected = "" if location == "index" else location + "/"
        assert expected in locations, expected
