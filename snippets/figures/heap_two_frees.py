"""Figure of docs/vfork/copy-stack.md's own scene: the heap after two frees at once (the
page's ``heap`` and ``shell``)."""

from forkdocs.draw.heap import heap_blocks


def draw(page) -> str:
    heap, shell = page["heap"], page["shell"]
    return heap_blocks(
        heap,
        shell,
        title="Two frees at once: a free list that names no block",
        desc="The heap's blocks after the parent and the child freed neighbouring"
        " blocks at the same time: " + "; ".join(heap.problems(shell)) + ".",
    )
