"""Figure of docs/explanation/base-length.md's own scene: after a fork with a
base+length MMU, the parent's region and a full copy (the page's ``m``, ``shell``,
``child``)."""

from forkdocs.common.units import format_size
from forkdocs.draw.memory import physical_memory


def draw(page) -> str:
    m, shell, child = page["m"], page["shell"], page["child"]
    size = format_size(shell.space.length)
    return physical_memory(
        m,
        title="fork with a base+length MMU: a full copy",
        desc=(
            f"Physical memory after the fork: the parent's region of {size} "
            f"(pid {shell.pid}) and a copy of the same size for the child "
            f"(pid {child.pid}), each in one piece."
        ),
    )
