"""Processes as lanes over time: one lane per pid, one mark per event of the trace, and a
shaded band wherever a process was suspended (from the kernel's ``block`` event to its
``wake``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from forkdocs.common.guard import checked_module
from forkdocs.common.trace import Event
from forkdocs.draw.svg import Drawing, data

LANE, STEP, LEFT = 66.0, 70.0, 80.0
#: What an event's mark says, by kind (the event's own detail fills the braces; a clone
#: the page made as another call, such as a vfork that does not suspend, is named by it).
SAYS = {
    "vfork": "vfork",
    "fork": "fork",
    "clone": "{call}",
    "reap": "reaps {child}",
    "block": "suspended",
    "wake": "wakes",
    "exec": "exec {program}",
    "exit": "_exit({status})",
    "store": "pid = {value}",
    "mm-release": "gives memory back",
}


def lanes(events: Iterable[Event], names: Mapping[int, str], *, title: str, desc: str) -> str:
    """The events of the processes named in ``names`` (pid -> lane title), in trace order,
    one column each; a process is drawn from its first event (or its creation by another's)
    to its exit."""
    chosen = [e for e in events if e.pid in names and e.kind in SAYS]
    width = LEFT + STEP * len(chosen) + 40
    drawing = Drawing(width, 30 + LANE * len(names), title, desc)
    lane_y = {pid: 30 + LANE * index for index, pid in enumerate(names)}
    for pid, y in lane_y.items():
        drawing.text(10, y + 24, names[pid])
    born: dict[int, float] = {}
    suspended: dict[int, float] = {}
    for column, event in enumerate(chosen):
        x = LEFT + STEP * column + STEP / 2
        y = lane_y[event.pid]
        born.setdefault(event.pid, x - STEP / 2)
        child = event.detail.get("child")
        if event.kind in ("vfork", "fork", "clone") and isinstance(child, int) and child in lane_y:
            born.setdefault(child, x)
            drawing.arrow(
                (x, y + 30),
                (x, lane_y[child] + 12),
                **data(kind="creates", pid=event.pid, child=child),
            )
        if event.kind == "block":
            suspended[event.pid] = x
        if event.kind == "wake" and event.pid in suspended:
            start = suspended.pop(event.pid)
            drawing.band(start, y + 6, x - start, 24, **data(kind="suspended", pid=event.pid))
        drawing.box(
            x - 4, y + 14, 8, 8, "shared", **data(kind="event", pid=event.pid, event=event.kind)
        )
        # labels alternate between two rows, so neighbours never overlap
        drawing.text(
            x,
            y + 42 + 12 * (column % 2),
            SAYS[event.kind].format(**{"call": "clone", **event.detail}),
            "middle",
            note=True,
        )
    for pid, start in suspended.items():  # never woken
        drawing.band(
            start, lane_y[pid] + 6, width - 20 - start, 24, **data(kind="suspended", pid=pid)
        )
    for pid, y in lane_y.items():
        start = born.get(pid, LEFT)
        ends = [
            LEFT + STEP * i + STEP / 2
            for i, e in enumerate(chosen)
            if e.pid == pid and e.kind == "exit"
        ]
        end = ends[-1] if ends else width - 20
        drawing.arrow((start, y + 18), (end, y + 18), **data(kind="lane", pid=pid))
    return drawing.svg()


checked_module(globals())
