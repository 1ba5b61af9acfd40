"""What the browser checks share: Debian's Chromium (its flags, whether it must be there),
and the freshly built site served on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import BaseRequestHandler

import pytest

from ..helpers import build_site, can_cut_network

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium")
REQUIRED = os.environ.get("FORKDOCS_BROWSER_CHECK") == "required"

if CHROMIUM is None and REQUIRED:
    raise RuntimeError(
        "FORKDOCS_BROWSER_CHECK=required but chromium is not installed (apt-get install chromium)"
    )
#: Each browser test module's mark: skipped without Chromium (a failure where it is required).
NEEDS_CHROMIUM = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)

#: Headless, and none of Chromium's own connections (this machine's network is closed).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Quiet(SimpleHTTPRequestHandler):
    """Serves files, with no request log on stderr."""

    def log_message(self, format: str, *args: object) -> None:
        """No request log on stderr."""


def start(handler: Callable[..., BaseRequestHandler]) -> ThreadingHTTPServer:
    """A server of ``handler`` on a free port of 127.0.0.1, answering from a background
    thread until its ``shutdown()``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass(frozen=True)
class Served:
    """The built site: its ``url`` on 127.0.0.1 and the ``folder`` it was built into."""

    url: str
    folder: Path


@contextmanager
def serving(folder: Path) -> Iterator[Served]:
    """The site built into ``folder`` (strict; offline where the machine can cut the
    network), served on a free local port meanwhile."""
    server = start(partial(Quiet, directory=str(folder)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    # with no network where this machine allows it: the site builds offline
    built = build_site(
        ROOT / "mkdocs.yml", folder, cwd=ROOT, env={"SITE_URL": url}, offline=can_cut_network()
    )
    assert 0 == built.returncode, built.stderr[-3000:]
    try:
        yield Served(url, folder)
    finally:
        server.shutdown()
