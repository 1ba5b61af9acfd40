"""Figure of docs/explanation/paging-cow.md's own scene, after the child's first write:
one page copied (the page's ``m``, ``shell`` and ``child``)."""

from forkdocs.draw.memory import page_tables


def draw(page) -> str:
    m, shell, child = page["m"], page["shell"], page["child"]
    mine = m.memory.refcount(child.translate(child.heap) // m.page_size)
    theirs = m.memory.refcount(shell.translate(shell.heap) // m.page_size)
    return page_tables(
        m,
        shell,
        child,
        title="After the child's first write: one page copied",
        desc=(
            f"The child (pid {child.pid}) wrote to its heap: "
            f"{m.stats.pages_copied} page copied. Its heap page maps a frame of its "
            f"own (reference count {mine}), and the parent keeps the old frame "
            f"(count {theirs})."
        ),
    )
