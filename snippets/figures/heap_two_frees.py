"""Figure: two processes that share a heap but not a stack free two neighbouring blocks
at once; the free list ends up naming a place that is no longer a block
(docs/vfork/copy-stack.md)."""

from forkdocs import Machine
from forkdocs.draw.heap import heap_blocks
from forkdocs.userland.heap import Heap, interleave, run


def scene():
    m = Machine(mmu="none", ram="8 MiB")
    shell = m.start("/bin/sh", image="64 KiB")
    child = m.clone(shell, stack="copy", suspend=False)
    heap = Heap(shell.heap, 512)
    heap.format(shell)
    first, second = run(heap.malloc(shell, 64)), run(heap.malloc(shell, 64))
    interleave("AB" * 8, {"A": heap.free(shell, first), "B": heap.free(child, second)})
    return m, shell, heap


def figure() -> str:
    _m, shell, heap = scene()
    problems = heap.problems(shell)
    return heap_blocks(
        heap,
        shell,
        title="Two frees at once: a free list that names no block",
        desc="The heap's blocks after the parent and the child freed neighbouring"
        " blocks at"
        " the same time: " + "; ".join(problems) + ".",
    )


if __name__ == "__main__":
    print(figure())
