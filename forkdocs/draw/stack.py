"""Call stacks as the memory holds them: snapshots of the same stack words side by side,
each word labelled with the code address it holds (a saved return address) or its value,
and the words that changed marked: between snapshots, or from a value the caller read
earlier (``was``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from forkdocs.common.guard import checked_module
from forkdocs.draw.svg import Drawing, data
from forkdocs.kernel.process import WORD, Process
from forkdocs.kernel.symbols import SymbolTable
from forkdocs.machine import machine_of

ROW, TOP = 24.0, 34.0

#: A snapshot: its title, and its words from the highest address down, as (address, value).
Snapshot = tuple[str, list[tuple[int, int]]]


def snapshot(process: Process, low: int, high: int, title: str) -> Snapshot:
    """The words of ``process``'s memory from ``high`` down to ``low`` (exclusive)."""
    return title, [(a, process.read_word(a)) for a in range(high - WORD, low - 1, -WORD)]


def stacks(
    process: Process,
    snapshots: Sequence[Snapshot],
    *,
    marks: Mapping[int, str],
    title: str,
    desc: str,
    was: Mapping[int, int] | None = None,
) -> str:
    """One column per snapshot; a word whose value differs from the first snapshot's, or
    from its value in ``was`` (address -> a value read before), is marked. ``was`` values
    that differ get a column of their own, at the right ("before"). ``marks`` names
    addresses (``return address``) at the left."""
    symbols = machine_of(process).symbols
    earlier = dict(was or {})
    rows = max(len(words) for _, words in snapshots)
    column, left = 200.0, 120.0
    changed_before = {a: v for a, v in earlier.items() if v != dict(snapshots[-1][1]).get(a, v)}
    columns = len(snapshots) + (1 if changed_before else 0)
    drawing = Drawing(left + column * columns + 10, TOP + rows * ROW + 10, title, desc)
    first = dict(snapshots[0][1])
    for index, (address, _) in enumerate(snapshots[0][1]):
        y = TOP + index * ROW
        drawing.text(10, y + 16, marks.get(address, f"{address:#x}"), note=address not in marks)
    for number, (heading, words) in enumerate(snapshots):
        x = left + column * number
        drawing.text(x + column / 2, 20, heading, "middle")
        for index, (address, value) in enumerate(words):
            y = TOP + index * ROW
            changed = earlier.get(address, first.get(address)) != value
            drawing.box(
                x + 4,
                y,
                column - 8,
                ROW - 2,
                "warn" if changed else "",
                **data(kind="word", address=address, value=value, changed=int(changed)),
            )
            drawing.text(x + 12, y + 16, _label(symbols, process, value))
    if changed_before:
        x = left + column * len(snapshots)
        drawing.text(x + column / 2, 20, "before", "middle")
        for index, (address, _) in enumerate(snapshots[-1][1]):
            if address in changed_before:
                y = TOP + index * ROW
                value = changed_before[address]
                drawing.box(x + 4, y, column - 8, ROW - 2, "", **data(kind="was", address=address))
                drawing.text(x + 12, y + 16, _label(symbols, process, value))
    return drawing.svg()


def _label(symbols: SymbolTable, process: Process, value: int) -> str:
    """The code address ``value`` names, else its value in hex."""
    return symbols.label(process, value) or (f"{value:#x}" if value else "0")


checked_module(globals())
