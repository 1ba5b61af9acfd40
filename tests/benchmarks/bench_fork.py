"""Benchmark: the simulated fork of a 1 GiB parent against the real kernel's fork().

Run with ``make bench`` (or ``pytest tests/benchmarks -p no:xdist -s -o python_files='bench_*.py'``).
Everything is measured side by side in one run, so the ratios hold on a noisy machine:

- the real fork(): this Python process, holding 1 GiB it has written to, forks a child that
  exits at once; the time is the parent's fork() call;
- the simulated copy-on-write fork of a 1 GiB parent (262,144 pages of 4 KiB) on paging;
- the simulated full-copy fork of the same parent on base+length;
- bytes the simulator holds per mapped page (tracemalloc), and the time of the paging fork
  for parents of 256 MiB, 512 MiB and 1 GiB.

Targets: simulated COW fork / real fork <= 1.0; <= 64 bytes per mapped page; time no worse
than linear in the parent's size.
"""

from __future__ import annotations

import os
import statistics
import time
import tracemalloc
from collections.abc import Callable

from forkdocs import Machine, Process

ROUNDS = 7
GIB = 1 << 30


def median_seconds(run: Callable[[], float]) -> float:
    """The median of ROUNDS timings, after one warm-up."""
    run()
    return statistics.median(run() for _ in range(ROUNDS))


def real_fork_seconds() -> float:
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    elapsed = time.perf_counter() - start
    os.waitpid(pid, 0)
    return elapsed


def timed_fork(m: Machine, parent: Process) -> Callable[[], float]:
    """One fork of ``parent`` timed; the child is then ended and reaped, ready for the next."""

    def run() -> float:
        start = time.perf_counter()
        child = m.fork(parent)
        elapsed = time.perf_counter() - start
        m._exit(child, 0)
        m.waitpid(parent, child.pid)
        return elapsed

    return run


def simulated_fork(mmu: str, size: int) -> Callable[[], float]:
    m = Machine(mmu=mmu, ram=4 * GIB)
    return timed_fork(m, m.start("/bin/big", image=size))


def fragmented(size: int) -> tuple[Machine, Process]:
    """A parent whose every other heap page was copied on write: its page table is in runs of
    one page, the worst case for a run-length table."""
    m = Machine(mmu="paging", ram=4 * GIB)
    parent = m.start("/bin/big", image=size)
    sibling = m.fork(parent)
    heap = parent.segment("heap")
    for address in range(heap.start, heap.end, 2 * m.page_size):
        parent.write(address, b"x")
    m._exit(sibling, 0)
    m.waitpid(parent)
    return m, parent


def fragmented_fork(size: int) -> Callable[[], float]:
    return timed_fork(*fragmented(size))


def bytes_per_page_of_a_fragmented_fork(size: int) -> float:
    """What forking the fragmented parent adds to the simulator's memory, per mapped page."""
    m, parent = fragmented(size)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    child = m.fork(parent)
    added = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return added / child.space.frames()  # type: ignore[union-attr]


def bytes_per_mapped_page() -> float:
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    m = Machine(mmu="paging", ram=4 * GIB)
    parent = m.start("/bin/big", image=GIB)
    child = m.fork(parent)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    mapped = parent.space.frames() + child.space.frames()  # type: ignore[union-attr]
    return held / mapped


def test_fork_of_a_1_gib_parent() -> None:
    ballast = bytearray(b"\x01") * GIB  # written, so every page is really mapped
    real = median_seconds(real_fork_seconds)
    del ballast
    cow = median_seconds(simulated_fork("paging", GIB))
    full = median_seconds(simulated_fork("base+length", GIB))
    per_page = bytes_per_mapped_page()
    per_page_fragmented = bytes_per_page_of_a_fragmented_fork(GIB // 16)
    sizes = {
        size: median_seconds(simulated_fork("paging", size)) for size in (GIB // 4, GIB // 2, GIB)
    }
    fragmented = {
        size: median_seconds(fragmented_fork(size)) for size in (GIB // 64, GIB // 32, GIB // 16)
    }
    print()
    print(f"real fork() of a process holding 1 GiB: {real * 1e3:9.3f} ms")
    print(
        f"simulated COW fork, 1 GiB parent:      {cow * 1e3:9.3f} ms  ratio to real {cow / real:.4f}"
    )
    print(
        f"simulated full-copy fork, 1 GiB:       {full * 1e3:9.3f} ms  ratio to real {full / real:.4f}"
    )
    print(f"simulator memory per mapped page:      {per_page:9.4f} bytes")
    print(f"  fork of a fragmented 64 MiB parent:  {per_page_fragmented:9.4f} bytes per page")
    for size, seconds in sizes.items():
        print(f"paging fork, parent of {size >> 20:4d} MiB:       {seconds * 1e6:9.1f} us")
    for size, seconds in fragmented.items():
        print(f"paging fork, fragmented {size >> 20:4d} MiB:      {seconds * 1e3:9.3f} ms")
    assert cow / real <= 1.0, "the simulated COW fork must not be slower than the real one"
    assert per_page <= 64
    assert per_page_fragmented <= 64
    growth = sizes[GIB] / sizes[GIB // 4]
    assert growth <= 4 * 1.5, f"4x the parent took {growth:.1f}x the time: worse than linear"
    worst = fragmented[GIB // 16] / fragmented[GIB // 64]
    assert worst <= 4 * 1.5, f"fragmented: 4x the runs took {worst:.1f}x the time"
