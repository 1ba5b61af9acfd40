"""Figure: right after fork on a paging MMU, two page tables point at the same frames,
each frame with a reference count of 2 (docs/explanation/paging-cow.md)."""

from forkdocs import Machine
from forkdocs.draw.memory import page_tables


def scene(write: bool = False):
    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="64 KiB")
    child = m.fork(shell)
    if write:
        child.write(child.heap, b"child was here")
    return m, shell, child


def figure() -> str:
    m, shell, child = scene()
    return page_tables(
        m,
        shell,
        child,
        title="After fork: two page tables, one set of frames",
        desc=(
            f"The parent (pid {shell.pid}) and the child (pid {child.pid}) map the "
            "same frames;"
            " every frame has a reference count of 2, and the writable pages are "
            "copy-on-write."
        ),
    )


if __name__ == "__main__":
    print(figure())
