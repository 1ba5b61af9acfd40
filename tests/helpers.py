"""Helpers shared by the tests."""

from __future__ import annotations

from forkdocs import Machine, Process


def machine_with_shell(
    mmu: str, ram: str = "8 MiB", image: str = "1 MiB"
) -> tuple[Machine, Process]:
    """A machine with /bin/sh (``image`` bytes) running and /bin/ls (64 KiB) installed."""
    m = Machine(mmu=mmu, ram=ram)
    shell = m.start("/bin/sh", image=image)
    m.install("/bin/ls", image="64 KiB")
    return m, shell
