"""Memory as processes and observers see it: reads and writes through the MMU (a bad
address is SIGSEGV), translation, who holds a frame, and use and peak."""

from __future__ import annotations

from forkdocs.common.errors import (
    InvalidArgument,
    OutOfMemory,
    ProcessGone,
    SegmentationFault,
)
from forkdocs.common.guard import checked_class
from forkdocs.common.units import format_address
from forkdocs.hardware.memory import MemoryUse
from forkdocs.hardware.mmu import AddressSpace
from forkdocs.kernel import wait
from forkdocs.kernel.delivery import SignalDelivery
from forkdocs.kernel.process import Process, State, Thread
from forkdocs.kernel.signals import (
    SIGKILL,
    SIGSEGV,
)


class MemoryAccess(SignalDelivery):
    """Part of [`Machine`][forkdocs.machine.Machine]: memory as processes and observers see it."""

    def memory_use(self) -> MemoryUse:
        """Frames in use now and the peak since [`mark()`][forkdocs.kernel.access.MemoryAccess.mark]."""
        return self.memory.use()

    def mark(self) -> None:
        """Start a new peak-memory measurement (and zero the event counters of `stats`)."""
        self.memory.mark()
        self.stats.reset()

    def holders(self, physical: int) -> list[int]:
        """The pids whose memory includes the frame at physical address ``physical``."""
        pfn = physical // self.page_size
        return [
            p.pid for p in self.processes.values() if p.space is not None and p.space.holds(pfn)
        ]

    def access(
        self,
        process: Process,
        address: int,
        length: int,
        data: bytes | None,
        *,
        thread: Thread | None = None,
    ) -> bytes:
        """Read (``data is None``) or write memory as ``process`` (its main thread, or
        ``thread``); the path of [`read()`][forkdocs.kernel.process.Process.read] and [`write()`][forkdocs.kernel.process.Process.write]. A bad
        address kills it with SIGSEGV. Another thread may run while the main thread is
        suspended in vfork: only the calling thread waits."""
        space = self._space_for(process, thread)
        if length < 0 or (data is not None and len(data) != length):
            raise InvalidArgument(
                f"pid {process.pid}: a memory access of {length} bytes at"
                f" {format_address(address)}; the length must be 0 or more (and match the data)"
            )
        out = bytearray()
        done = 0
        try:
            while done < length:
                va = address + done
                count = min(length - done, self.page_size - va % self.page_size)
                pa = space.translate(va, write=data is not None, pid=process.pid)
                if data is None:
                    out += self.memory.read(pa, count)
                else:
                    self.memory.write(pa, data[done : done + count])
                done += count
        except SegmentationFault:
            self._force_signal(process, SIGSEGV, "fault")
            raise
        except OutOfMemory:
            self._terminate(process, wait.signaled(SIGKILL), cause="oom")
            raise
        return bytes(out)

    def _space_for(self, process: Process, thread: Thread | None) -> AddressSpace:
        if thread is None:
            return self.space_of(process, "touch memory")
        self.own(process, "touch memory")
        if process.threads.get(thread.tid) is not thread:
            raise ProcessGone(
                f"thread {thread.tid} does not exist in pid {process.pid}: fork copies only"
                " the calling thread, and exec and exit end the others"
            )
        if process.state is State.STOPPED or process.space is None:
            return self.space_of(process, "touch memory")  # the whole process is stopped
        return process.space

    def thread_create(self, process: Process) -> Thread:
        """pthread_create(3), as clone(CLONE_VM | CLONE_FILES | CLONE_THREAD | ...): a new
        thread of ``process``, whose id comes from the pid space, as Linux's do."""
        self._require_running(process, "pthread_create")
        thread = Thread(process, self._next_pid)
        self._next_pid += 1
        process.threads[thread.tid] = thread
        self.trace.record("thread", process.pid, tid=thread.tid)
        return thread

    def translate(self, process: Process, address: int) -> int:
        """The physical address ``process`` reaches at ``address`` (a read: no copy is made)."""
        space = self.space_of(process, "translate an address")
        try:
            return space.translate(address, write=False, pid=process.pid)
        except SegmentationFault:
            self._force_signal(process, SIGSEGV, "fault")
            raise


checked_class(MemoryAccess)
