"""The built site, once per test process, for every browser check."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .chromium import CHROMIUM, FLAGS, Quiet, Served, serving, start

_STEPS = re.compile(r'<template class="fd-steps">(.*?)</template>', re.S)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The freshly built site, served on a free local port."""
    with serving(tmp_path_factory.mktemp("site")) as site:
        yield site


@pytest.fixture(scope="session")
def site(served: Served) -> str:
    """The base URL of the served site."""
    return served.url


class Refusing(Quiet):
    """A proxy that answers every request 403: nothing reaches another host."""

    def refuse(self) -> None:
        self.send_error(403, "forkdocs tests: no request may leave this machine")

    do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = do_CONNECT = refuse


@pytest.fixture(scope="module")
def offline() -> Iterator[Any]:
    """Chromium whose requests for other hosts than 127.0.0.1 all go to the refusing proxy
    (Chromium's own background requests included)."""
    from .cdp import Browser

    proxy = start(Refusing)
    assert CHROMIUM is not None
    browser = Browser(
        CHROMIUM, [*FLAGS, f"--proxy-server=http://127.0.0.1:{proxy.server_address[1]}"]
    )
    yield browser
    browser.close()
    proxy.shutdown()


def manifests(folder: Path) -> dict[str, dict[str, Any]]:
    """Each built page's steps (as the page embeds them), by the page's site path."""
    found = {}
    for page in sorted(folder.rglob("index.html")):
        match = _STEPS.search(page.read_text(encoding="utf-8"))
        if match:
            found[page.parent.relative_to(folder).as_posix()] = json.loads(match.group(1))
    return found
