"""Figure of docs/explanation/base-length.md's own scene: free memory in holes too small
for the copy, so the fork fails (the page's ``m`` and ``a``)."""

from forkdocs.common.units import format_size
from forkdocs.draw.memory import physical_memory


def draw(page) -> str:
    m, a = page["m"], page["a"]
    free = format_size(m.memory_use().free * m.page_size)
    largest = format_size(m.memory.largest_hole() * m.page_size)
    return physical_memory(
        m,
        title="Free memory in holes: the fork fails",
        desc=(
            f"{free} free in all, but the largest hole holds {largest}: no hole "
            f"can hold a copy of pid {a.pid}, which needs "
            f"{format_size(a.space.length)} in one piece."
        ),
    )
