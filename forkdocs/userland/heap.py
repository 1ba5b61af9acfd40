"""A real free-list allocator living in simulated memory, one memory access per step.

Layout: the word at ``base`` is the head of the free list; blocks follow. Each block starts
with a two-word header: its size in bytes (header included) with bit 0 set when it is in
use, and the address of the next free block (0 ends the list). malloc takes the first free
block that is large enough (first fit), splitting off the rest; free merges the block with a
free neighbour on either side (coalescing) and pushes the result on the list.

[`malloc()`][forkdocs.userland.heap.Heap.malloc] and [`free()`][forkdocs.userland.heap.Heap.free] are generators: each ``next()`` performs one memory
access as the given process, so two processes sharing the heap can be interleaved step by
step with [`interleave()`][forkdocs.userland.heap.interleave]. Run one alone with [`run()`][forkdocs.userland.heap.run].
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from itertools import chain, cycle, pairwise

from forkdocs.common.errors import InvalidArgument
from forkdocs.common.guard import checked_class, checked_module
from forkdocs.kernel.process import WORD, Process

HEADER = 2 * WORD
MIN_BLOCK = HEADER + WORD
USED = 1

#: A heap operation: yields after each memory access, returns its result.
Steps = Generator[str, None, int]


@dataclass(frozen=True)
class Heap:
    """The allocator's view of ``size`` bytes of memory at ``base``."""

    base: int
    size: int

    @property
    def first_block(self) -> int:
        return self.base + WORD

    def format(self, process: Process) -> None:
        """Make the whole area one free block."""
        block = self.first_block
        process.write_word(block, self.size - WORD)
        process.write_word(block + WORD, 0)
        process.write_word(self.base, block)

    def malloc(self, process: Process, nbytes: int) -> Steps:
        """First fit. Returns the payload address, or 0 when nothing fits."""
        need = max(MIN_BLOCK, HEADER + -(-nbytes // WORD) * WORD)
        link = self.base  # the word that points at ``block``
        block = process.read_word(link)
        yield f"read free-list head: {block:#x}"
        while block:
            size = process.read_word(block)
            following = process.read_word(block + WORD)
            yield f"read block {block:#x}: {size} bytes, next {following:#x}"
            if size >= need:
                if size - need >= MIN_BLOCK:
                    rest = block + need
                    process.write_word(rest, size - need)
                    process.write_word(rest + WORD, following)
                    yield f"split off free block {rest:#x}"
                    following, size = rest, need
                process.write_word(link, following)
                yield f"unlink {block:#x}"
                process.write_word(block, size | USED)
                yield f"mark {block:#x} used"
                return block + HEADER
            link, block = block + WORD, following
        return 0

    def free(self, process: Process, address: int) -> Steps:
        """Push the block on the free list, merged with free neighbours on either side."""
        block = address - HEADER
        size = process.read_word(block) & ~USED
        yield f"read block {block:#x}: {size} bytes"
        after = block + size
        if after < self.base + self.size and not process.read_word(after) & USED:
            yield f"block {after:#x} after it is free: merge"
            size += process.read_word(after)
            yield from self._unlink(process, after)
        before = self.first_block
        while before < block and before + (process.read_word(before) & ~USED) < block:
            before += process.read_word(before) & ~USED
        if before < block and not process.read_word(before) & USED:
            yield f"block {before:#x} before it is free: merge"
            yield from self._unlink(process, before)
            size += process.read_word(before)
            block = before
        head = process.read_word(self.base)
        yield f"read free-list head: {head:#x}"
        process.write_word(block, size)
        process.write_word(block + WORD, head)
        yield f"link {block:#x} before {head:#x}"
        process.write_word(self.base, block)
        yield f"head is now {block:#x}"
        return 0

    def _unlink(self, process: Process, target: int) -> Generator[str, None, None]:
        link = self.base
        block = process.read_word(link)
        while block and block != target:
            link, block = block + WORD, process.read_word(block + WORD)
            yield f"walk to {block:#x}"
        if block == target:
            process.write_word(link, process.read_word(target + WORD))
            yield f"unlink {target:#x}"

    def blocks(self, process: Process) -> tuple[list[tuple[int, int, bool]], str | None]:
        """The blocks that tile the heap, as ``(address, size, used)``, walking the headers
        from the first block; and what stopped the walk early (a bad size), or None."""
        found: list[tuple[int, int, bool]] = []
        block, end = self.first_block, self.base + self.size
        while block < end:
            header = process.read_word(block)
            size = header & ~USED
            if size < MIN_BLOCK or block + size > end:
                return found, f"block {block:#x} has a bad size {size}"
            found.append((block, size, bool(header & USED)))
            block += size
        return found, None

    def free_list(self, process: Process) -> tuple[list[int], int]:
        """The addresses the free list names, from its head, in order, stopping at the end
        of the list or at a node seen before; and that node (0 when the list ends)."""
        listed: list[int] = []
        seen: set[int] = set()
        limit = self.size // MIN_BLOCK + 1
        node = process.read_word(self.base)
        while node and node not in seen and len(listed) <= limit:
            seen.add(node)
            listed.append(node)
            node = process.read_word(node + WORD)
        return listed, node

    def problems(self, process: Process) -> list[str]:
        """Everything wrong with the heap's structure (empty when it is consistent): blocks
        that do not tile the area, a free list that is not exactly the free blocks, or two
        neighbouring free blocks left unmerged."""
        blocks, broken = self.blocks(process)
        found = [broken] if broken else []
        free_blocks = {address for address, _, used in blocks if not used}
        listed, loop = self.free_list(process)
        if loop:
            found.append(f"the free list loops back to {loop:#x}")
        for node in listed:
            if node not in free_blocks:
                found.append(f"free list names {node:#x}, which is not a free block")
        for missing in sorted(free_blocks - set(listed)):
            found.append(f"free block {missing:#x} is not on the free list")
        for (left, _, left_used), (right, _, right_used) in pairwise(blocks):
            if not left_used and not right_used:
                found.append(f"free blocks {left:#x} and {right:#x} are neighbours but not merged")
        return found


def run(steps: Steps) -> int:
    """Run a heap operation to the end, with nobody else interleaved."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return int(done.value)


def interleave(schedule: str, operations: dict[str, Steps]) -> tuple[dict[str, int], list[str]]:
    """Run several heap operations, one step at a time: first in the order of ``schedule``
    (a string of keys of ``operations``; a key whose operation has finished is passed over),
    then round-robin in key order until all have finished. Returns each result and the log."""
    unknown = set(schedule) - set(operations)
    if unknown:
        raise InvalidArgument(f"schedule names {sorted(unknown)}, which are not operations")
    results: dict[str, int] = {}
    log: list[str] = []
    for key in chain(schedule, cycle(sorted(operations))):
        if len(results) == len(operations):
            break
        if key in results:
            continue
        try:
            log.append(f"{key}: {next(operations[key])}")
        except StopIteration as done:
            results[key] = int(done.value)
    return results, log


checked_module(globals())


checked_class(Heap)
