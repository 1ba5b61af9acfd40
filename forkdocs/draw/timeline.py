"""Processes as lanes over time: one lane per pid, running down the figure, one row per
event of the trace, and a shaded band wherever a process was suspended (from the kernel's
``block`` event to its ``wake``).

Time runs downwards so that the figure is as narrow as its lanes (a column each) and fits a
phone's screen; each event has a row of its own, so no two labels share a line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from forkdocs.common.guard import checked_module
from forkdocs.common.trace import Event
from forkdocs.draw.svg import Drawing, data

#: A lane's column width, an event's row height, the figure's margin, and the top of the
#: first row (below the lanes' titles).
COLUMN, ROW, MARGIN, TOP = 150.0, 30.0, 16.0, 34.0
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
    one row each; a process is drawn from its first event (or its creation by another's)
    to its exit, and a creation is an arrow from the creator's mark to the new lane."""
    chosen = [e for e in events if e.pid in names and e.kind in SAYS]
    height = TOP + ROW * len(chosen) + 14
    drawing = Drawing(MARGIN * 2 + COLUMN * len(names), height, title, desc)
    lane_x = {pid: MARGIN + 10 + COLUMN * index for index, pid in enumerate(names)}
    for pid, x in lane_x.items():
        drawing.text(x - 8, 20, names[pid])
    born, ended = _spans(chosen, lane_x, height)
    for pid, x in lane_x.items():  # first, so that the marks sit on the lines
        drawing.arrow((x, born[pid]), (x, ended[pid]), **data(kind="lane", pid=pid))
    suspended: dict[int, float] = {}
    for row, event in enumerate(chosen):
        y = TOP + ROW * row + ROW / 2
        x = lane_x[event.pid]
        child = _created(event, lane_x)
        if child is not None:
            # an elbow below the creator's label, so it crosses no text
            drawing.arrow(
                (x, y + 5),
                (x, y + ROW / 2),
                (lane_x[child], y + ROW / 2),
                **data(kind="creates", pid=event.pid, child=child),
            )
        if event.kind == "block":
            suspended[event.pid] = y
        if event.kind == "wake" and event.pid in suspended:
            start = suspended.pop(event.pid)
            drawing.band(x - 6, start, 12, y - start, **data(kind="suspended", pid=event.pid))
        drawing.box(
            x - 5, y - 5, 10, 10, "shared", **data(kind="event", pid=event.pid, event=event.kind)
        )
        drawing.text(
            x + 13,
            y + 4,
            SAYS[event.kind].format(**{"call": "clone", **event.detail}),
            note=True,
        )
    for pid, start in suspended.items():  # never woken
        x = lane_x[pid]
        drawing.band(x - 6, start, 12, height - 8 - start, **data(kind="suspended", pid=pid))
    return drawing.svg()


def _created(event: Event, lane_x: Mapping[int, float]) -> int | None:
    """The pid ``event`` creates, if it is a creation and the new process has a lane."""
    child = event.detail.get("child")
    if event.kind in ("vfork", "fork", "clone") and isinstance(child, int) and child in lane_x:
        return child
    return None


def _spans(
    chosen: list[Event], lane_x: Mapping[int, float], height: float
) -> tuple[dict[int, float], dict[int, float]]:
    """Where each lane starts (its first event's row, or just below its creation) and ends
    (its last ``exit``, or the bottom of the figure)."""
    born: dict[int, float] = {}
    ended: dict[int, float] = {}
    for row, event in enumerate(chosen):
        y = TOP + ROW * row + ROW / 2
        born.setdefault(event.pid, y - ROW / 2)
        child = _created(event, lane_x)
        if child is not None:
            born.setdefault(child, y + ROW / 2)
        if event.kind == "exit":
            ended[event.pid] = y
    return (
        {pid: born.get(pid, TOP) for pid in lane_x},
        {pid: ended.get(pid, height - 8) for pid in lane_x},
    )


checked_module(globals())
