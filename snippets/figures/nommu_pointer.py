"""Figure of docs/explanation/no-mmu.md's own scene: without an MMU, the copy's list
head still holds the parent's address (the page's ``m``, ``shell`` and ``copy``)."""

from forkdocs.draw.memory import physical_memory


def draw(page) -> str:
    m, shell, copy = page["m"], page["shell"], page["copy"]
    pointer = copy.read_word(copy.heap)  # what the copy's list head holds
    return physical_memory(
        m,
        pointers=[(copy.heap, pointer, "the copy's list head")],
        title="A copy without an MMU still points at the parent",
        desc=(
            f"The copy (pid {copy.pid}) holds the same bytes as the parent (pid "
            f"{shell.pid}), so its list head still holds {pointer:#x}, an address in "
            f"the memory of pid {', '.join(map(str, m.holders(pointer)))}."
        ),
    )
