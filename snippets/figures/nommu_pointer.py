"""Figure: without an MMU, a copy of a process still holds the parent's addresses: the
copy's list head points into the parent's heap (docs/explanation/no-mmu.md)."""

from forkdocs import Machine
from forkdocs.draw.memory import physical_memory


def scene():
    m = Machine(mmu="none", ram="8 MiB")
    shell = m.start("/bin/sh", image="64 KiB")
    head, node = shell.heap, shell.heap + 64
    shell.write_word(head, node)
    shell.write_word(node, 42)
    copy = m.raw_copy(shell)
    return m, shell, copy


def figure() -> str:
    m, shell, copy = scene()
    pointer = copy.read_word(copy.heap)  # what the copy's list head holds
    return physical_memory(
        m,
        pointers=[(copy.heap, pointer, "the copy's list head")],
        title="A copy without an MMU still points at the parent",
        desc=(
            f"The copy (pid {copy.pid}) holds the same bytes as the parent (pid "
            f"{shell.pid}),"
            f" so its list head still holds {pointer:#x}, an address in the parent's "
            "heap."
        ),
    )


if __name__ == "__main__":
    print(figure())
