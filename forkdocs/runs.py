"""Run-length maps: integer keys grouped into runs that share one value.

Page tables, frame reference counts and the free list are all "mostly long runs": a 1 GiB
process freshly loaded maps 262,144 pages in a handful of runs. Storing runs instead of pages
makes fork cost proportional to the number of runs, and memory a few dozen bytes per run.

A :class:`RunMap` maps each key in ``[start, end)`` of a run to a value derived from the run's
value by ``shift(value, key - start)``: constant for a reference count, ``pfn + offset`` for a
page-table entry. Adjacent runs whose values continue each other are merged.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

V = TypeVar("V")


def same(value: V, _offset: int) -> V:
    """The shift of a constant run: every key has the run's value."""
    return value


class RunMap(Generic[V]):
    """Sorted, non-overlapping runs ``[start, end) -> value``.

    ``shift(value, offset)`` gives the value ``offset`` keys into a run; ``shift(v, 0)`` must be
    ``v``. Runs are merged when ``shift(left, len(left)) == right``.
    """

    __slots__ = ("_ends", "_shift", "_starts", "_values")

    def __init__(self, shift: Callable[[V, int], V] = same) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._values: list[V] = []
        self._shift = shift

    def __len__(self) -> int:
        """The number of runs (not keys)."""
        return len(self._starts)

    def copy(self) -> RunMap[V]:
        """A new map with the same runs (values are shared, so they should be immutable)."""
        twin: RunMap[V] = RunMap(self._shift)
        twin._starts = self._starts.copy()
        twin._ends = self._ends.copy()
        twin._values = self._values.copy()
        return twin

    def runs(self) -> Iterator[tuple[int, int, V]]:
        """Every run as ``(start, end, value)``, in key order."""
        return zip(self._starts, self._ends, self._values, strict=True)

    def total(self) -> int:
        """How many keys are mapped."""
        return sum(end - start for start, end in zip(self._starts, self._ends, strict=True))

    def get(self, key: int) -> V | None:
        """The value at ``key``, or None when no run covers it."""
        i = bisect_right(self._starts, key) - 1
        if i >= 0 and key < self._ends[i]:
            return self._shift(self._values[i], key - self._starts[i])
        return None

    def between(self, start: int, end: int) -> list[tuple[int, int, V]]:
        """The runs overlapping ``[start, end)``, clipped to it, without changing the map."""
        found: list[tuple[int, int, V]] = []
        i = max(bisect_right(self._starts, start) - 1, 0)
        while i < len(self._starts) and self._starts[i] < end:
            run_start, run_end = max(self._starts[i], start), min(self._ends[i], end)
            if run_start < run_end:
                value = self._shift(self._values[i], run_start - self._starts[i])
                found.append((run_start, run_end, value))
            i += 1
        return found

    def assign(self, start: int, end: int, value: V) -> None:
        """Map ``[start, end)`` to one run starting at ``value``, replacing whatever was there."""
        if start >= end:
            return
        lo, hi = self._cut(start, end)
        self._starts[lo:hi] = [start]
        self._ends[lo:hi] = [end]
        self._values[lo:hi] = [value]
        self._merge_around(lo, lo + 1)

    def remove(self, start: int, end: int) -> list[tuple[int, int, V]]:
        """Unmap ``[start, end)``; return the runs that were there, clipped to the range."""
        if start >= end:
            return []
        lo, hi = self._cut(start, end)
        removed = list(
            zip(self._starts[lo:hi], self._ends[lo:hi], self._values[lo:hi], strict=True)
        )
        del self._starts[lo:hi], self._ends[lo:hi], self._values[lo:hi]
        return removed

    def update(self, start: int, end: int, change: Callable[[V], V]) -> None:
        """Replace the value of every run inside ``[start, end)`` by ``change(value)``.

        Keys with no run stay unmapped. ``change`` must commute with ``shift``
        (it may change flags or counts, not move a run).
        """
        if start >= end:
            return
        lo, hi = self._cut(start, end)
        for i in range(lo, hi):
            self._values[i] = change(self._values[i])
        self._merge_around(lo, hi)

    def _cut(self, start: int, end: int) -> tuple[int, int]:
        """Split runs at ``start`` and ``end``; return the index range of runs inside."""
        self._split(start)
        self._split(end)
        lo = bisect_right(self._starts, start - 1)
        hi = bisect_right(self._starts, end - 1)
        return lo, hi

    def _split(self, key: int) -> None:
        i = bisect_right(self._starts, key) - 1
        if i >= 0 and self._starts[i] < key < self._ends[i]:
            right = self._shift(self._values[i], key - self._starts[i])
            self._starts.insert(i + 1, key)
            self._ends.insert(i + 1, self._ends[i])
            self._values.insert(i + 1, right)
            self._ends[i] = key

    def _merge_around(self, lo: int, hi: int) -> None:
        """Merge each pair of neighbours ``(i - 1, i)`` for ``lo <= i <= hi`` that continue."""
        for i in range(min(hi, len(self._starts) - 1), max(lo, 1) - 1, -1):
            left = i - 1
            length = self._ends[left] - self._starts[left]
            if self._ends[left] == self._starts[i] and (
                self._shift(self._values[left], length) == self._values[i]
            ):
                self._ends[left] = self._ends[i]
                del self._starts[i], self._ends[i], self._values[i]
