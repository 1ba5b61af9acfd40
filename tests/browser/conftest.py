"""The built site, once per test process, for every browser check."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .chromium import Served, serving


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The freshly built site, served on a free local port."""
    with serving(tmp_path_factory.mktemp("site")) as site:
        yield site


@pytest.fixture(scope="session")
def site(served: Served) -> str:
    """The base URL of the served site."""
    return served.url
