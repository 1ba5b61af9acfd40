"""Run-length maps: integer keys grouped into runs that share one value.

Page tables, frame reference counts and the free list are all "mostly long runs": a 1 GiB
process freshly loaded maps 262,144 pages in a handful of runs. Storing runs instead of pages
makes fork cost proportional to the number of runs, and memory a few dozen bytes per run.

A [`RunMap`][forkdocs.hardware.runs.RunMap] maps each key in ``[start, end)`` of a run to a value derived from the run's
value by ``shift(value, key - start)``: constant for a reference count, ``pfn + offset`` for a
page-table entry. Adjacent runs whose values continue each other are merged.

Structure and costs, for a map of ``n`` runs: the runs are kept in key order in a blocked list,
a list of blocks of at most ``2 * _LOAD`` runs each (three parallel lists: starts, ends and
values), with the first start of every block kept apart for bisection. A map of fewer than
``_LOAD`` runs (the common case: a handful) is a single block.

- ``get`` bisects twice: O(log n). ``between`` adds O(1) per run returned.
- ``assign`` and ``remove`` cut the runs crossing the range's ends and replace the runs in
  between, moving the tail of one block: O(log n + _LOAD + runs in the range). A block that
  grows past ``2 * _LOAD`` runs is divided, and one that shrinks below ``_LOAD // 2`` is joined
  to a neighbour, for O(n / _LOAD) more, at most once per about ``_LOAD / 2`` changes to it.
  So ``k`` single-key assigns cost O(k (log n + _LOAD)) in any key order, where one flat list
  cost O(k n) when the keys went down.
- ``update`` changes the values in place and tests the neighbours for merging with C
  iterators: O(log n + _LOAD + runs in the range); the range is rebuilt only when runs merge.
- ``copy`` copies every block with ``list.copy``: O(n), with ``3 n / _LOAD`` list objects.
- ``total`` is O(n) and ``__len__`` O(n / _LOAD), both in C loops; ``runs`` is lazy.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, compress, pairwise
from operator import eq, sub
from typing import Generic, TypeVar

V = TypeVar("V")

# Target runs per block. Blocks hold between _LOAD // 2 and 2 * _LOAD runs, except a lone block,
# which may hold fewer. Read at each use, so tests may lower it to exercise many blocks.
_LOAD = 512


def same(value: V, _offset: int) -> V:
    """The shift of a constant run: every key has the run's value."""
    return value


class RunBlocks(Generic[V]):
    """The storage of a [`RunMap`][forkdocs.hardware.runs.RunMap]: sorted, non-overlapping runs
    ``[start, end) -> value`` in a blocked list, and the moves that keep it so (split a run,
    gather and replace a range of runs, divide or join blocks).

    Invariants: block ``b`` holds runs ``_starts[b][i], _ends[b][i], _values[b][i]`` in key
    order across blocks; no block is empty; ``_firsts[b] == _starts[b][0]``; every block holds
    at most ``2 * _LOAD`` runs and, when there are several blocks, at least ``_LOAD // 2``.
    A position ``(b, i)`` names run ``i`` of block ``b``, or the gap before it; ``i`` may be
    ``len(block)``, the gap after the block's last run.
    """

    __slots__ = ("_ends", "_firsts", "_shift", "_starts", "_values")

    def __init__(self, shift: Callable[[V, int], V] = same) -> None:
        self._firsts: list[int] = []
        self._starts: list[list[int]] = []
        self._ends: list[list[int]] = []
        self._values: list[list[V]] = []
        self._shift = shift

    def __len__(self) -> int:
        """The number of runs (not keys)."""
        return sum(map(len, self._starts))

    def _split(self, key: int) -> tuple[int, int]:
        """Split the run crossing ``key`` there; return the position of the gap before ``key``.

        The position is ``(b, i)`` with ``i >= 1``, the run before the gap being ``(b, i - 1)``,
        or ``(0, 0)`` when no run starts before ``key``. The block may be left too long: the
        caller then settles it, or replaces a range of runs including this position, which does.
        """
        b = bisect_left(self._firsts, key) - 1
        if b < 0:
            return 0, 0
        starts, ends = self._starts[b], self._ends[b]
        i = bisect_left(starts, key)
        end = ends[i - 1]
        if key < end:
            values = self._values[b]
            starts.insert(i, key)
            ends.insert(i, end)
            values.insert(i, self._shift(values[i - 1], key - starts[i - 1]))
            ends[i - 1] = key
        return b, i

    def _at(self, b: int, i: int) -> tuple[int, int] | None:
        """The position of the run just after position ``(b, i)``, or None at the end."""
        if i < len(self._starts[b]):
            return b, i
        if b + 1 < len(self._firsts):
            return b + 1, 0
        return None

    def _gather(self, b0: int, i0: int, b1: int, i1: int) -> tuple[list[int], list[int], list[V]]:
        """New lists: starts, ends and values of the runs from ``(b0, i0)`` to ``(b1, i1)``."""
        if b0 == b1:
            return self._starts[b0][i0:i1], self._ends[b0][i0:i1], self._values[b0][i0:i1]
        starts, ends, values = self._starts[b0][i0:], self._ends[b0][i0:], self._values[b0][i0:]
        for b in range(b0 + 1, b1):
            starts += self._starts[b]
            ends += self._ends[b]
            values += self._values[b]
        starts += self._starts[b1][:i1]
        ends += self._ends[b1][:i1]
        values += self._values[b1][:i1]
        return starts, ends, values

    def _replace(
        self,
        b0: int,
        i0: int,
        b1: int,
        i1: int,
        starts: list[int],
        ends: list[int],
        values: list[V],
    ) -> None:
        """Replace the runs from ``(b0, i0)`` to ``(b1, i1)`` by the given ones, then settle.

        The caller keeps the runs sorted and apart. Blocks ``b0`` to ``b1`` become one, so the
        blocks split or emptied by the caller are settled here.
        """
        if b0 == b1:
            self._starts[b0][i0:i1] = starts
            self._ends[b0][i0:i1] = ends
            self._values[b0][i0:i1] = values
        else:
            self._starts[b0][i0:] = starts + self._starts[b1][i1:]
            self._ends[b0][i0:] = ends + self._ends[b1][i1:]
            self._values[b0][i0:] = values + self._values[b1][i1:]
            del self._starts[b0 + 1 : b1 + 1], self._ends[b0 + 1 : b1 + 1]
            del self._values[b0 + 1 : b1 + 1], self._firsts[b0 + 1 : b1 + 1]
        self._settle(b0)

    def _settle(self, b: int) -> None:
        """Restore the invariants after block ``b`` alone changed (its size, or its first run)."""
        size = len(self._starts[b])
        if size > 2 * _LOAD:
            self._divide(b, size // _LOAD)
        elif size < _LOAD // 2 and len(self._firsts) > 1:
            left = b - 1 if b else 0
            self._starts[left] += self._starts[left + 1]
            self._ends[left] += self._ends[left + 1]
            self._values[left] += self._values[left + 1]
            del self._starts[left + 1], self._ends[left + 1]
            del self._values[left + 1], self._firsts[left + 1]
            self._settle(left)
        elif size:
            self._firsts[b] = self._starts[b][0]
        else:
            del self._starts[b], self._ends[b], self._values[b], self._firsts[b]

    def _divide(self, b: int, count: int) -> None:
        """Divide block ``b`` into ``count`` blocks of nearly equal sizes."""
        starts, ends, values = self._starts[b], self._ends[b], self._values[b]
        size = len(starts)
        cuts = list(pairwise([size * k // count for k in range(count + 1)]))
        self._starts[b : b + 1] = [starts[lo:hi] for lo, hi in cuts]
        self._ends[b : b + 1] = [ends[lo:hi] for lo, hi in cuts]
        self._values[b : b + 1] = [values[lo:hi] for lo, hi in cuts]
        self._firsts[b : b + 1] = [starts[lo] for lo, _ in cuts]


class RunMap(RunBlocks[V]):
    """Sorted, non-overlapping runs ``[start, end) -> value``: the operations (look up,
    assign, remove, update) on the storage of [`RunBlocks`][forkdocs.hardware.runs.RunBlocks].

    ``shift(value, offset)`` gives the value ``offset`` keys into a run; ``shift(v, 0)`` must be
    ``v``. Runs are merged when ``shift(left, len(left)) == right``.
    """

    __slots__ = ()

    def copy(self) -> RunMap[V]:
        """A new map with the same runs (values are shared, so they should be immutable)."""
        twin: RunMap[V] = RunMap(self._shift)
        twin._firsts = self._firsts.copy()
        twin._starts = [block.copy() for block in self._starts]
        twin._ends = [block.copy() for block in self._ends]
        twin._values = [block.copy() for block in self._values]
        return twin

    def runs(self) -> Iterator[tuple[int, int, V]]:
        """Every run as ``(start, end, value)``, in key order."""
        return chain.from_iterable(map(zip, self._starts, self._ends, self._values))

    def total(self) -> int:
        """How many keys are mapped."""
        return sum(map(sum, self._ends)) - sum(map(sum, self._starts))

    def get(self, key: int) -> V | None:
        """The value at ``key``, or None when no run covers it."""
        b = bisect_right(self._firsts, key) - 1
        if b < 0:
            return None
        starts = self._starts[b]
        i = bisect_right(starts, key) - 1
        if key < self._ends[b][i]:
            return self._shift(self._values[b][i], key - starts[i])
        return None

    def between(self, start: int, end: int) -> list[tuple[int, int, V]]:
        """The runs overlapping ``[start, end)``, clipped to it, without changing the map."""
        found: list[tuple[int, int, V]] = []
        firsts, shift = self._firsts, self._shift
        b = bisect_right(firsts, start) - 1
        if b < 0:
            b, i = 0, 0
        else:
            i = bisect_right(self._starts[b], start) - 1
        while b < len(firsts):
            starts, ends, values = self._starts[b], self._ends[b], self._values[b]
            for j in range(i, len(starts)):
                first = starts[j]
                if first >= end:
                    return found
                run_start, run_end = max(first, start), min(ends[j], end)
                if run_start < run_end:
                    found.append((run_start, run_end, shift(values[j], run_start - first)))
            b, i = b + 1, 0
        return found

    def assign(self, start: int, end: int, value: V) -> None:
        """Map ``[start, end)`` to one run starting at ``value``, replacing whatever was there.

        The new run is merged with the run just before it and the run just after it when they
        continue each other.
        """
        if start >= end:
            return
        if not self._firsts:
            self._firsts.append(start)
            self._starts.append([start])
            self._ends.append([end])
            self._values.append([value])
            return
        b0, i0 = self._split(start)
        b1, i1 = self._split(end)
        first, last, head = start, end, value
        if i0:  # the run before the range is the previous one of block b0
            left_end = self._ends[b0][i0 - 1]
            if left_end == start:
                left_start, left_value = self._starts[b0][i0 - 1], self._values[b0][i0 - 1]
                if self._shift(left_value, left_end - left_start) == value:
                    first, head, i0 = left_start, left_value, i0 - 1
        after = self._at(b1, i1)
        if after is not None:
            rb, ri = after
            right_start, right_value = self._starts[rb][ri], self._values[rb][ri]
            if right_start == end and self._shift(value, end - start) == right_value:
                last, b1, i1 = self._ends[rb][ri], rb, ri + 1
        self._replace(b0, i0, b1, i1, [first], [last], [head])

    def remove(self, start: int, end: int) -> list[tuple[int, int, V]]:
        """Unmap ``[start, end)``; return the runs that were there, clipped to the range."""
        if start >= end:
            return []
        b0, i0 = self._split(start)
        b1, i1 = self._split(end)
        if (b0, i0) == (b1, i1):
            return []
        starts, ends, values = self._gather(b0, i0, b1, i1)
        self._replace(b0, i0, b1, i1, [], [], [])
        return list(zip(starts, ends, values, strict=True))

    def update(self, start: int, end: int, change: Callable[[V], V]) -> None:
        """Replace the value of every run inside ``[start, end)`` by ``change(value)``.

        Keys with no run stay unmapped. ``change`` must commute with ``shift``
        (it may change flags or counts, not move a run). ``change`` is called once per run
        inside the range (after the runs crossing its ends were cut there), in key order. Each
        pair of neighbours from the run before the range to the run after it is then merged
        when, as they were after the change, the left one continues into the right one.
        """
        if start >= end:
            return
        b0, i0 = self._split(start)
        b1, i1 = self._split(end)
        if (b0, i0) == (b1, i1):
            return
        for b in range(b0, b1 + 1):
            values = self._values[b]
            lo, hi = i0 if b == b0 else 0, i1 if b == b1 else len(values)
            values[lo:hi] = map(change, values[lo:hi])
        split_block = b1  # blocks b0 and b1 hold the cuts, so they may be too long
        if i0:  # take in the run before the range
            i0 -= 1
        after = self._at(b1, i1)
        if after is not None:  # and the run after it
            b1, i1 = after[0], after[1] + 1
        starts, ends, values = self._gather(b0, i0, b1, i1)
        merging = self._continuing(starts, ends, values)
        if merging:
            dropped = set(merging)
            kept = [k for k in range(len(starts)) if k not in dropped]
            ends = [ends[k - 1] for k in kept[1:]] + [ends[-1]]
            starts = [starts[k] for k in kept]
            values = [values[k] for k in kept]
            self._replace(b0, i0, b1, i1, starts, ends, values)
            return
        self._settle(split_block)
        if b0 != split_block:
            self._settle(b0)

    def _continuing(self, starts: list[int], ends: list[int], values: list[V]) -> list[int]:
        """The indices ``k`` of the runs (given in key order) that continue run ``k - 1``.

        Run ``k`` continues run ``k - 1`` when it starts where that one ends and
        ``shift(value[k - 1], length[k - 1]) == value[k]``; ``shift`` is called, in key order,
        for the touching pairs only. Written with C iterators: this is fork's inner loop.
        """
        touching = list(map(eq, ends, starts[1:]))
        lefts = compress(values, touching)
        lengths = compress(map(sub, ends, starts), touching)
        rights = compress(values[1:], touching)
        continues = map(eq, map(self._shift, lefts, lengths), rights)
        return list(compress(compress(range(1, len(starts)), touching), continues))

    def update_all(self, ranges: Iterable[tuple[int, int]], change: Callable[[V], V]) -> None:
        """[`update()`][forkdocs.hardware.runs.RunMap.update] each of ``ranges`` (sorted by start, not overlapping), in one sweep
        over the map: O(n + m) for n runs and m ranges, where m calls to [`update()`][forkdocs.hardware.runs.RunMap.update]
        would each move a block's worth of runs. Neighbours that continue each other are
        merged, as [`update()`][forkdocs.hardware.runs.RunMap.update] leaves them."""
        starts = list(chain.from_iterable(self._starts))
        ends = list(chain.from_iterable(self._ends))
        values = list(chain.from_iterable(self._values))
        shift = self._shift
        out_starts: list[int] = []
        out_ends: list[int] = []
        out_values: list[V] = []

        def emit(start: int, end: int, value: V) -> None:
            if (
                out_ends
                and out_ends[-1] == start
                and shift(out_values[-1], start - out_starts[-1]) == value
            ):
                out_ends[-1] = end
            else:
                out_starts.append(start)
                out_ends.append(end)
                out_values.append(value)

        append_start, append_end, append_value = (
            out_starts.append,
            out_ends.append,
            out_values.append,
        )

        def keep(i: int, j: int) -> None:
            """Runs ``i`` to ``j - 1`` unchanged: they merge with nothing but, perhaps, the
            first with the run before it (the map was merged), so they are copied in bulk."""
            if i < j:
                emit(starts[i], ends[i], values[i])
                out_starts.extend(starts[i + 1 : j])
                out_ends.extend(ends[i + 1 : j])
                out_values.extend(values[i + 1 : j])

        i, n = 0, len(starts)
        for low, high in ranges:
            if i < n and ends[i] <= low:
                j = bisect_right(ends, low, i)  # the first run that ends past ``low``
                keep(i, j)
                i = j
            while i < n and starts[i] < high:
                start, end, value = starts[i], ends[i], values[i]
                if start < low:
                    emit(start, low, value)
                    value, start = shift(value, low - start), low
                if end > high:  # the part past the range stays for the next ranges
                    emit(start, high, change(value))
                    starts[i], values[i] = high, shift(value, high - start)
                    break
                value = change(value)
                if out_ends and out_ends[-1] == start:  # the hot path: emit() when it may merge
                    emit(start, end, value)
                else:
                    append_start(start)
                    append_end(end)
                    append_value(value)
                i += 1
        keep(i, n)
        # blocks of _LOAD runs; a short last one joins the one before it
        cuts = [*range(0, len(out_starts), _LOAD), len(out_starts)]
        if len(cuts) > 2 and cuts[-1] - cuts[-2] < _LOAD // 2:
            del cuts[-2]
        pairs = list(pairwise(cuts))
        self._starts = [out_starts[lo:hi] for lo, hi in pairs]
        self._ends = [out_ends[lo:hi] for lo, hi in pairs]
        self._values = [out_values[lo:hi] for lo, hi in pairs]
        self._firsts = [block[0] for block in self._starts]
