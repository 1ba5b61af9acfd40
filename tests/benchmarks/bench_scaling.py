"""Benchmark: no simulation cost grows faster than the work.

Run with ``make bench-model`` (with ``bench_fork.py``). Measured side by side in one run:

- fork of contiguous and fragmented parents (1 MiB .. 1 GiB) against this Python process's
  real ``os.fork()`` holding the same amount of written memory;
- fork+exit+wait cycles per second with 0 and with 10,000 idle processes in the table;
- exit and reap of 2,500 and 10,000 processes; ending a vfork chain 2,500 and 10,000 deep;
- copy-on-write storms (one write per page, ascending and descending addresses) of N and
  4N pages;
- memory the simulator holds per process and per mapped page.

The targets (issue 10): time(4N)/time(N) <= 5 for processes and faults; a fragmented 1 GiB
parent forks within 5x the real fork of a 1 GiB process (printed with what bounds it).
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable

from forkdocs import Machine, Process

from .bench_fork import fragmented

MIB = 1 << 20
GIB = 1 << 30


def seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def real_fork(size: int) -> float:
    """The parent's os.fork() while it holds ``size`` bytes it has written (median of 5)."""
    ballast = bytearray(b"\x01") * size
    times = []
    for _ in range(5):
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        times.append(time.perf_counter() - start)
        os.waitpid(pid, 0)
    del ballast
    return sorted(times)[2]


def contiguous(size: int) -> tuple[Machine, Process]:
    """A paging parent of ``size`` bytes, freshly loaded: its page table is a few runs."""
    m = Machine(mmu="paging", ram=4 * GIB, trace_limit=0)
    return m, m.start("/bin/big", image=size)


def simulated_fork(m: Machine, p: Process) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        child = m.fork(p)
        times.append(time.perf_counter() - start)
        m._exit(child, 0)
        m.waitpid(p, child.pid)
    return sorted(times)[1]


def cycles_per_second(idle: int) -> float:
    m = Machine(mmu="paging", ram="256 MiB", trace_limit=0, max_processes=idle + 10)
    shell = m.start("/bin/sh", image="64 KiB")
    for _ in range(idle):
        m.fork(shell)  # idle children that stay
    rounds = 2000
    start = time.perf_counter()
    for _ in range(rounds):
        child = m.fork(shell)
        m._exit(child, 0)
        m.waitpid(shell, child.pid)
    return rounds / (time.perf_counter() - start)


def exit_and_reap(n: int) -> float:
    m = Machine(mmu="paging", ram="256 MiB", trace_limit=0, max_processes=n + 10)
    shell = m.start("/bin/sh", image="64 KiB")
    children = [m.fork(shell) for _ in range(n)]

    def work() -> None:
        for child in children:
            m._exit(child, 0)
        for _ in children:
            m.waitpid(shell)

    return seconds(work)


def vfork_chain(depth: int) -> float:
    """Each process vforks the next; then the deepest exits and every parent after it."""
    m = Machine(mmu="paging", ram="64 MiB", trace_limit=0, max_processes=depth + 10)
    chain = [m.start("/bin/sh", image="64 KiB")]
    for _ in range(depth):
        chain.append(m.vfork(chain[-1]))

    def work() -> None:
        for process in reversed(chain):
            m._exit(process, 0)

    return seconds(work)


def cow_storm(pages: int, descending: bool) -> float:
    m = Machine(mmu="paging", ram=4 * GIB, trace_limit=0)
    p = m.start("/bin/big", text="64 KiB", heap=pages * 4096)
    child = m.fork(p)
    heap = child.segment("heap")
    addresses = range(heap.start, heap.end, m.page_size)
    order = reversed(addresses) if descending else addresses
    return seconds(lambda: [child.write(a, b"w") for a in order])


def memory_per(kind: str) -> float:
    tracemalloc.start()
    m = Machine(mmu="paging", ram=4 * GIB, trace_limit=0, max_processes=2000)
    if kind == "process":
        shell = m.start("/bin/sh", image="64 KiB")
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(1000):
            m.fork(shell)
        held = (tracemalloc.get_traced_memory()[0] - before) / 1000
    else:
        before = tracemalloc.get_traced_memory()[0]
        big = m.start("/bin/big", image=GIB)
        held = (tracemalloc.get_traced_memory()[0] - before) / big.space.frames()  # type: ignore[union-attr]
    tracemalloc.stop()
    return held


def test_scaling() -> None:
    print()
    print("fork, simulated vs this process's real os.fork() (same written size):")
    print(
        f"{'size':>9} {'real ms':>9} {'contig ms':>10} {'ratio':>6} {'fragm ms':>10} {'ratio':>6}"
    )
    for size in (MIB, 64 * MIB, GIB):
        real = real_fork(size)
        whole = simulated_fork(*contiguous(size))
        broken = simulated_fork(*fragmented(size))
        print(
            f"{size >> 20:>6} MiB {real * 1e3:9.3f} {whole * 1e3:10.3f}"
            f" {whole / real:6.2f} {broken * 1e3:10.3f} {broken / real:6.2f}"
        )
    idle0, idle10k = cycles_per_second(0), cycles_per_second(10_000)
    print(f"fork+exit+wait cycles/s: {idle0:,.0f} with 0 idle, {idle10k:,.0f} with 10,000 idle")
    small, large = exit_and_reap(2500), exit_and_reap(10_000)
    print(
        f"exit+reap: 2,500 in {small:.3f} s, 10,000 in {large:.3f} s"
        f" (4x the processes: {large / small:.1f}x the time)"
    )
    shallow, deep = vfork_chain(2500), vfork_chain(10_000)
    print(
        f"ending a vfork chain: 2,500 deep in {shallow:.3f} s, 10,000 deep in {deep:.3f} s"
        f" ({deep / shallow:.1f}x)"
    )
    for descending in (False, True):
        n, four_n = cow_storm(25_000, descending), cow_storm(100_000, descending)
        print(
            f"COW storm {'descending' if descending else 'ascending '}: 25,000 pages {n:.3f} s,"
            f" 100,000 pages {four_n:.3f} s ({four_n / n:.1f}x)"
        )
    print(
        f"memory per forked process: {memory_per('process'):,.0f} B;"
        f" per mapped page of a 1 GiB process: {memory_per('page'):.3f} B"
    )
