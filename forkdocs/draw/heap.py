"""A heap as its allocator sees it: the blocks that tile it (used or free, with their
sizes) and the free list drawn as arrows from its head through each node it names; a node
that is not the start of a free block is marked."""

from __future__ import annotations

from forkdocs.common.guard import checked_module
from forkdocs.draw.svg import Drawing, data
from forkdocs.kernel.process import Process
from forkdocs.userland.heap import Heap


def heap_blocks(heap: Heap, process: Process, *, title: str, desc: str) -> str:
    """One box per block (width by size, with a floor), a ``head`` box for the list head,
    and one arrow per link of the free list."""
    blocks, _ = heap.blocks(process)
    listed, _ = heap.free_list(process)
    free = {address for address, _, used in blocks if not used}
    width, floor, top = 600.0, 70.0, 50.0
    raw = [max(floor, size / heap.size * (width - 100)) for _, size, _ in blocks]
    scale = (width - 100) / max(sum(raw), 1)
    drawing = Drawing(width, top + 84, title, desc)
    drawing.box(10, top, 60, 40, "shared", **data(kind="head"))
    drawing.text(40, top + 25, "head", "middle")
    x, where = 80.0, {}
    for (address, size, used), w in zip(blocks, raw, strict=True):
        w *= scale
        drawing.box(
            x,
            top,
            w,
            40,
            "private" if used else "free",
            **data(kind="block", address=address, size=size, used=int(used)),
        )
        drawing.text(x + w / 2, top + 18, "used" if used else "free", "middle")
        drawing.text(x + w / 2, top + 33, f"{size} B", "middle", note=True)
        where[address] = x
        x += w
    places = [(a, a + size, x0) for (a, size, _), x0 in zip(blocks, where.values(), strict=True)]
    widths = [w * scale for w in raw]
    previous = (40.0, top)
    for hop, node in enumerate(listed):
        target = _x_at(places, widths, node)
        bad = node not in free
        rise = top - 18 - 10 * (hop % 3)
        drawing.arrow(
            previous,
            (previous[0], rise),
            (target, rise),
            (target, top),
            **data(kind="link", to=node, bad=int(bad)),
        )
        if bad:  # a tag under the block, pinned to where the link lands
            drawing.line((target, top + 40), (target, top + 54), **data(kind="pin", to=node))
            drawing.box(
                target - 6, top + 54, 150, 20, "warn", **data(kind="not-a-block", address=node)
            )
            drawing.text(target, top + 68, f"{node:#x}: not a block", note=True)
        previous = (target, top)
    return drawing.svg()


def _x_at(places: list[tuple[int, int, float]], widths: list[float], address: int) -> float:
    """Where ``address`` falls on the strip of blocks: a block's start just inside its left
    edge, an address inside a block by its offset, but clear of the start (so a link to
    the middle of a block never lands where a link to its start does)."""
    for (start, end, x), w in zip(places, widths, strict=True):
        if start == address:
            return x + 8.0
        if start < address < end:
            return x + min(w - 8.0, max(28.0, (address - start) / (end - start) * w))
    return 80.0


checked_module(globals())
