"""Shared fixtures: small machines of each MMU kind with a shell running."""

from __future__ import annotations

import pytest

MMUS = ("paging", "base+length", "none")


@pytest.fixture(params=MMUS)
def mmu(request: pytest.FixtureRequest) -> str:
    """Each MMU kind in turn."""
    return str(request.param)
