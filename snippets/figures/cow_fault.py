"""Figure: the child's first write to its heap copies one page: its page table now
points that page at a new frame, and both frames have a reference count of 1
(docs/explanation/paging-cow.md)."""

import runpy
from pathlib import Path

from forkdocs.draw.memory import page_tables

scene = runpy.run_path(str(Path(__file__).with_name("cow_shared.py")))["scene"]


def figure() -> str:
    m, shell, child = scene(write=True)
    return page_tables(
        m,
        shell,
        child,
        title="After the child's first write: one page copied",
        desc=(
            f"The child (pid {child.pid}) wrote to one heap page: it now maps a frame "
            "of its"
            " own (reference count 1), the parent keeps the old frame (count 1), and "
            "every"
            " other frame is still shared (count 2)."
        ),
    )


if __name__ == "__main__":
    print(figure())
