"""Pure functions that turn machine state into text tables. Nothing here prints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from forkdocs.common.guard import checked_module
from forkdocs.common.trace import Event
from forkdocs.common.units import format_size
from forkdocs.kernel.process import Process
from forkdocs.kernel.wait import describe
from forkdocs.machine import Machine


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain-text table: a header, a rule, one line per row; columns left-aligned."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def process_table(machine: Machine) -> str:
    """pid, ppid, state, program and resident size of every process in the table."""
    rows = []
    for p in machine.processes.values():
        size = format_size(p.space.frames() * machine.page_size) if p.space else "-"
        state = p.state.value if p.status is None else f"{p.state.value} ({describe(p.status)})"
        rows.append((p.pid, p.ppid, state, p.name, size))
    return table(("pid", "ppid", "state", "program", "memory"), rows)


def memory_map(process: Process) -> str:
    """The process's mappings: virtual pages onto frames, with their access (rw, r-, cow)."""
    if process.space is None:
        return f"pid {process.pid} holds no memory"
    ps = process.space.page_size
    rows = [
        (f"{row.vpn * ps:#010x}", f"{row.pfn * ps:#010x}", row.pages, row.access)
        for row in process.space.mappings()
    ]
    return table(("virtual", "physical", "pages", "access"), rows)


def detail_text(key: str, value: object) -> str:
    """How a detail of an event reads: a wait status described, an address in hex, a size
    in units; other values as they are."""
    if key == "status" and isinstance(value, int):
        return describe(value)
    if key in ("address", "sp") and isinstance(value, int):
        return f"{value:#x}"
    if key == "size" and isinstance(value, int):
        return format_size(value)
    return str(value)


def trace_table(events: Iterable[Event]) -> str:
    """One line per event: sequence number, pid, kind and details."""
    rows = [
        (e.seq, e.pid, e.kind, " ".join(f"{k}={detail_text(k, v)}" for k, v in e.detail.items()))
        for e in events
    ]
    return table(("#", "pid", "event", "details"), rows)


def timeline(events: Iterable[Event], pids: Sequence[int]) -> str:
    """Who does what, when: one column per pid in ``pids``, one row per event of theirs."""
    rows = []
    for event in events:
        if event.pid in pids:
            cells = [""] * len(pids)
            cells[pids.index(event.pid)] = _short(event)
            rows.append((event.seq, *cells))
    return table(("#", *(f"pid {pid}" for pid in pids)), rows)


def _short(event: Event) -> str:
    keys = {
        "vfork": "child",
        "fork": "child",
        "exec": "program",
        "exit": "status",
        "store": "value",
        "call": "function",
        "return": "function",
        "wrong-return": "to",
        "wake": "by",
        "block": "child",
        "atexit": "handler",
    }
    key = keys.get(event.kind, "")
    if key not in event.detail:
        return event.kind
    return f"{event.kind} {detail_text(key, event.detail[key])}"


checked_module(globals())
