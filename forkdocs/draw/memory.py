"""Memory as the model holds it: page tables pointing at frames, and physical memory as a
strip of allocated runs and holes."""

from __future__ import annotations

from collections.abc import Sequence

from forkdocs.common.guard import checked_module
from forkdocs.common.units import format_size
from forkdocs.draw.svg import Drawing, data
from forkdocs.kernel.process import Process
from forkdocs.machine import Machine

ROW, GAP, TOP = 26.0, 8.0, 34.0
FILL = {"cow": "shared", "rw": "private", "r-": ""}


def frame_runs(machine: Machine, processes: Sequence[Process]) -> list[tuple[int, int, int]]:
    """The frames the processes' page tables map, as ``(start, end, refcount)`` runs: split
    wherever a mapping starts or ends or the reference count changes."""
    covered: set[int] = set()
    bounds: set[int] = set()
    for process in processes:
        assert process.space is not None, f"pid {process.pid} holds no memory"
        for row in process.space.mappings():
            covered.update(range(row.pfn, row.pfn + row.pages))
            bounds.update((row.pfn, row.pfn + row.pages))
    runs: list[tuple[int, int, int]] = []
    for pfn in sorted(covered):
        refs = machine.memory.refcount(pfn)
        if runs and runs[-1][1] == pfn and runs[-1][2] == refs and pfn not in bounds:
            runs[-1] = (runs[-1][0], pfn + 1, refs)
        else:
            runs.append((pfn, pfn + 1, refs))
    return runs


def page_tables(machine: Machine, left: Process, right: Process, *, title: str, desc: str) -> str:
    """Two processes' page tables (one box per mapping row: virtual address, pages,
    access) on either side of the frames they map (one box per run of frames with the same
    reference count, labelled with it), and one arrow per mapping: to its run of frames, or
    to a bracket over the runs when it covers several."""
    runs = frame_runs(machine, (left, right))
    tables = {p.pid: list(p.space.mappings()) for p in (left, right) if p.space is not None}
    rows = max(len(runs), *(len(t) for t in tables.values()))
    width, column = 600.0, 172.0
    middle = (width - column) / 2
    drawing = Drawing(width, TOP + rows * (ROW + GAP) + 10, title, desc)
    frame_y: dict[int, float] = {}
    drawing.text(width / 2, 18, "physical frames", "middle")
    for index, (start, end, refs) in enumerate(runs):
        y = TOP + index * (ROW + GAP)
        frame_y[start] = y + ROW / 2
        label = f"{start}" if end - start == 1 else f"{start}-{end - 1}"
        drawing.box(
            middle,
            y,
            column,
            ROW,
            "shared" if refs > 1 else "private",
            **data(kind="frames", start=start, end=end, refs=refs),
        )
        drawing.text(middle + 8, y + 17, f"frames {label}")
        drawing.text(middle + column - 8, y + 17, f"refs {refs}", "end")
    for side, process in (("left", left), ("right", right)):
        x = 10.0 if side == "left" else width - column - 10
        drawing.text(x + column / 2, 18, f"pid {process.pid} page table", "middle")
        page = process.space.page_size if process.space else machine.page_size
        for index, row in enumerate(tables[process.pid]):
            y = TOP + index * (ROW + GAP)
            drawing.box(
                x,
                y,
                column,
                ROW,
                FILL.get(row.access, ""),
                **data(
                    kind="mapping",
                    pid=process.pid,
                    vpn=row.vpn,
                    pfn=row.pfn,
                    pages=row.pages,
                    access=row.access,
                ),
            )
            drawing.text(x + 8, y + 17, f"{row.vpn * page:#07x} x{row.pages}")
            drawing.text(x + column - 8, y + 17, row.access, "end")
            covered = [
                i for i, (s, e, _) in enumerate(runs) if s < row.pfn + row.pages and row.pfn < e
            ]
            low = TOP + covered[0] * (ROW + GAP)
            high = TOP + covered[-1] * (ROW + GAP) + ROW
            inward = 1 if side == "left" else -1  # towards the frames
            edge = middle - 7 if side == "left" else middle + column + 7
            start_x = x + column if side == "left" else x
            if len(covered) > 1:
                # a bracket over the runs the mapping covers; the arrow points at the bracket
                drawing.line(
                    (edge + 5 * inward, low + 3),
                    (edge, low + 3),
                    (edge, high - 3),
                    (edge + 5 * inward, high - 3),
                    **data(kind="span", pid=process.pid, vpn=row.vpn),
                )
                tip = (edge - 2 * inward, (low + high) / 2)
            else:
                tip = (edge + 5 * inward, (low + high) / 2)
            drawing.arrow(
                (start_x, y + ROW / 2),
                tip,
                **data(kind="arrow", pid=process.pid, vpn=row.vpn, pfn=row.pfn),
            )
    return drawing.svg()


def physical_memory(
    machine: Machine,
    *,
    title: str,
    desc: str,
    pointers: Sequence[tuple[int, int, str]] = (),
) -> str:
    """Physical memory from frame 0 to the last, as a strip: one box per allocated run
    (labelled with the pids that hold it and its size) and one dashed box per hole. Widths
    follow sizes, with a floor so small runs stay readable. ``pointers`` are arrows
    ``(from physical address, to physical address, label)`` drawn above the strip."""
    page = machine.page_size
    pieces: list[tuple[int, int, tuple[int, ...]]] = []  # start, end, holders (none: a hole)
    position = 0
    for start, end, _ in machine.memory.allocated_runs():
        if start > position:
            pieces.append((position, start, ()))
        for pfn in range(start, end):
            holders = tuple(machine.holders(pfn * page)) or (0,)
            if pieces and pieces[-1][2] == holders and pieces[-1][1] == pfn:
                pieces[-1] = (pieces[-1][0], pfn + 1, holders)
            else:
                pieces.append((pfn, pfn + 1, holders))
        position = end
    if position < machine.memory.frames:
        pieces.append((position, machine.memory.frames, ()))
    width, floor = 600.0, 84.0
    total = sum(end - start for start, end, _ in pieces)
    raw = [max(floor, (end - start) / total * width) for start, end, _ in pieces]
    scale = (width - 20) / sum(raw)
    top = 70.0 if pointers else 30.0
    drawing = Drawing(width, top + 80, title, desc)
    drawing.text(10, 18, f"physical memory, {format_size(machine.memory.frames * page)}")
    x = 10.0
    places: list[tuple[int, int, float, float]] = []
    for (start, end, holders), w in zip(pieces, raw, strict=True):
        w *= scale
        size = format_size((end - start) * page)
        if holders:
            names = "pid " + "+".join(map(str, holders)) if holders != (0,) else "kernel"
            drawing.box(
                x,
                top,
                w,
                44,
                "shared" if len(holders) > 1 else "private",
                **data(kind="run", start=start, end=end, holders=" ".join(map(str, holders))),
            )
            drawing.text(x + w / 2, top + 19, names, "middle")
        else:
            drawing.box(x, top, w, 44, "free", **data(kind="hole", start=start, end=end))
            drawing.text(x + w / 2, top + 19, "free", "middle")
        drawing.text(x + w / 2, top + 36, size, "middle", note=True)
        places.append((start, end, x, w))
        x += w
    for number, (source, target, label) in enumerate(pointers):
        x1, x2 = (
            _x_of(places, address // page, address % page / page) for address in (source, target)
        )
        rise = top - 14 - 12 * number
        drawing.arrow(
            (x1, top),
            (x1, rise),
            (x2, rise),
            (x2, top),
            **data(kind="pointer", source=source, target=target),
        )
        drawing.text((x1 + x2) / 2, rise - 4, label, "middle", note=True)
    return drawing.svg()


def _x_of(places: list[tuple[int, int, float, float]], pfn: int, fraction: float) -> float:
    """Where frame ``pfn`` (plus ``fraction`` of a frame) falls on the strip."""
    for start, end, x, w in places:
        if start <= pfn < end:
            return x + (pfn - start + fraction) / (end - start) * w
    raise ValueError(f"frame {pfn} is outside physical memory")


checked_module(globals())
