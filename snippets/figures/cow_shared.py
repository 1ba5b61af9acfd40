"""Figure of docs/explanation/paging-cow.md's own scene, after the fork: two page
tables, one set of frames (the page's ``m``, ``shell`` and ``child``)."""

from forkdocs.draw.memory import page_tables


def draw(page) -> str:
    m, shell, child = page["m"], page["shell"], page["child"]
    count = m.memory.refcount(shell.translate(shell.heap) // m.page_size)
    return page_tables(
        m,
        shell,
        child,
        title="After fork: two page tables, one set of frames",
        desc=(
            f"The parent (pid {shell.pid}) and the child (pid {child.pid}) map the "
            f"same frames; the heap's frame has a reference count of {count}, and the "
            "writable pages are copy-on-write."
        ),
    )
