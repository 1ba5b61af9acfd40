"""Figure: 1 MiB is free, in two holes of 512 KiB, so a fork that needs 1 MiB in one
piece fails (docs/explanation/base-length.md)."""

import contextlib

from forkdocs import Machine, OutOfMemory
from forkdocs.draw.memory import physical_memory


def scene():
    m = Machine(mmu="base+length", ram="3 MiB")
    a = m.start("/bin/a", image="1 MiB")
    gap = m.start("/bin/gap", image="512 KiB")
    m.start("/bin/b", image="1 MiB")
    m._exit(gap, 0)
    with contextlib.suppress(OutOfMemory):
        m.fork(a)
    return m, a


def figure() -> str:
    m, a = scene()
    return physical_memory(
        m,
        title="Free memory in two holes: the fork fails",
        desc=(
            "Two processes of 1 MiB with a 512 KiB hole between them and 512 KiB free "
            "at the"
            f" end: 1 MiB free in all, but no hole can hold a copy of pid {a.pid}."
        ),
    )


if __name__ == "__main__":
    print(figure())
