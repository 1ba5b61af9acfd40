"""Stateful property tests of the kernel's invariants, on every MMU kind.

- frames are conserved: once every process has exited and been reaped, no frame is in use;
- a frame's reference count equals the number of mappings of it (page tables count as one);
- a write by one process is seen by another only when they share memory (vfork);
- peak >= current use.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from forkdocs import ForkdocsError, InvalidArgument, Machine, Process, State
from forkdocs.hardware.mmu import AddressSpace, PagedSpace, PrivateStackSpace

from ..helpers import machine_digest


class KernelModel(RuleBasedStateMachine):
    """Random sequences of start, fork, vfork, exec, write, exit and wait."""

    def __init__(self) -> None:
        super().__init__()
        self.m: Machine
        #: what each address space should hold: address -> byte, per space identity
        self.expected: dict[int, dict[int, int]] = {}

    @initialize(mmu=st.sampled_from(["paging", "base+length", "none"]))
    def boot(self, mmu: str) -> None:
        self.m = Machine(mmu=mmu, ram="2 MiB", max_processes=12)
        self.m.install("/bin/small", image="20 KiB")
        self.m.install("/bin/big", image="256 KiB")
        self.m.start("/bin/big")
        # a second machine, whose processes the first must refuse
        self.other = Machine(mmu=mmu, ram="1 MiB")
        self.stranger = self.other.start("/bin/x", image="20 KiB")

    # -- helpers ----------------------------------------------------------------------
    def running(self) -> list[Process]:
        return [p for p in self.m.processes.values() if p.state is State.RUNNING and p.space]

    def spaces(self) -> list[AddressSpace]:
        """Every live address space, those kept alive under a clone child's stack included."""
        seen: dict[int, AddressSpace] = {}
        for p in self.m.processes.values():
            space = p.space
            while space is not None and id(space) not in seen:
                seen[id(space)] = space
                space = space.shared if isinstance(space, PrivateStackSpace) else None
        return list(seen.values())

    @staticmethod
    def memory_of(space: AddressSpace | None) -> int:
        """Which memory a write to the heap lands in: a clone child's is its parent's."""
        while isinstance(space, PrivateStackSpace):
            space = space.shared
        return id(space)

    # -- rules ------------------------------------------------------------------------
    @rule(program=st.sampled_from(["/bin/small", "/bin/big"]))
    def start(self, program: str) -> None:
        try:
            process = self.m.start(program)
        except ForkdocsError:
            return
        self.expected[id(process.space)] = {}

    @precondition(lambda self: bool(self.running()))
    @rule(index=st.integers(0, 20), vfork=st.booleans())
    def fork(self, index: int, vfork: bool) -> None:
        parent = self.running()[index % len(self.running())]
        try:
            child = self.m.vfork(parent) if vfork else self.m.fork(parent)
        except ForkdocsError:
            return
        if not vfork:
            self.expected[id(child.space)] = dict(
                self.expected.get(self.memory_of(parent.space), {})
            )

    @precondition(lambda self: bool(self.running()))
    @rule(index=st.integers(0, 20), stack=st.sampled_from(["new", "copy"]), suspend=st.booleans())
    def clone(self, index: int, stack: str, suspend: bool) -> None:
        """clone(CLONE_VM) with a stack of the child's own: the heap stays shared."""
        parent = self.running()[index % len(self.running())]
        try:
            self.m.clone(parent, stack=stack, suspend=suspend)
        except ForkdocsError:
            return

    @precondition(lambda self: bool(self.running()))
    @rule(index=st.integers(0, 20), offset=st.integers(0, 16 * 1024), value=st.integers(1, 255))
    def write(self, index: int, offset: int, value: int) -> None:
        p = self.running()[index % len(self.running())]
        address = p.heap + offset % p.segment("heap").size
        if (
            self.m.mmu == "none"
        ):  # physical memory is shared by all: only the owner's view is modelled
            return
        p.write(address, bytes([value]))
        self.expected.setdefault(self.memory_of(p.space), {})[address] = value

    @precondition(lambda self: bool(self.running()))
    @rule(
        index=st.integers(0, 20), program=st.sampled_from(["/bin/small", "/bin/big", "/bin/none"])
    )
    def exec(self, index: int, program: str) -> None:
        p = self.running()[index % len(self.running())]
        try:
            self.m.execve(p, program)
        except ForkdocsError:
            return
        self.expected[id(p.space)] = {}

    @precondition(lambda self: bool(self.running()))
    @rule(index=st.integers(0, 20), status=st.integers(0, 600))
    def exit(self, index: int, status: int) -> None:
        self.m._exit(self.running()[index % len(self.running())], status)

    @rule(index=st.integers(0, 20))
    def sigkill(self, index: int) -> None:
        """SIGKILL acts even on a parent suspended in vfork (its child keeps the memory)."""
        live = [p for p in self.m.processes.values() if p.pid != 1 and p.state is not State.ZOMBIE]
        if live:
            self.m.kill(live[index % len(live)], 9)

    @rule(size=st.sampled_from(["20 KiB", "40 KiB", "64 KiB"]))
    def reinstall(self, size: str) -> None:
        """A new file renamed over /bin/small: running instances keep their old text."""
        self.m.install("/bin/small", image=size)

    @rule(call=st.sampled_from(["fork", "vfork", "execve", "_exit", "kill", "waitpid"]))
    def act_on_another_machines_process(self, call: str) -> None:
        """Refused, and neither machine changes."""
        before = (machine_digest(self.m), machine_digest(self.other))
        args = {"execve": ("/bin/small",), "_exit": (0,), "kill": (9,)}.get(call, ())
        with pytest.raises(InvalidArgument, match="belongs to another Machine"):
            getattr(self.m, call)(self.stranger, *args)
        assert before == (machine_digest(self.m), machine_digest(self.other))

    @rule()
    def reap(self) -> None:
        for parent in [p for p in self.m.processes.values() if p.state is State.RUNNING]:
            for child in self.m.children(parent):
                if child.state is State.ZOMBIE:
                    pid, status = self.m.waitpid(parent, child.pid)
                    assert (pid, status & 0xFF) == (child.pid, (child.status or 0) & 0xFF)

    # -- invariants -------------------------------------------------------------------
    @invariant()
    def peak_at_least_current(self) -> None:
        use = self.m.memory_use()
        assert use.peak >= use.used, use

    @invariant()
    def refcount_is_number_of_mappings(self) -> None:
        mappings: Counter[int] = Counter()
        for space in self.spaces():
            for row in space.mappings():
                for pfn in range(row.pfn, row.pfn + row.pages):
                    mappings[pfn] += 1
            if isinstance(space, PagedSpace):
                for start, end in space.table_frames:
                    mappings.update(range(start, end))
        held = Counter()
        for start, end, count in self.m.memory.allocated_runs():
            for pfn in range(start, end):
                held[pfn] = count
        assert held == mappings
        assert sum(1 for _ in held) == self.m.memory_use().used

    @invariant()
    def writes_are_private_unless_shared(self) -> None:
        for p in self.running():
            for address, value in self.expected.get(self.memory_of(p.space), {}).items():
                assert p.read(address, 1) == bytes([value]), (p, address)

    def teardown(self) -> None:
        if not hasattr(self, "m"):
            return
        while live := [
            p for p in self.m.processes.values() if p.pid != 1 and p.state is State.RUNNING
        ]:
            self.m._exit(max(live, key=lambda p: p.pid), 0)  # youngest first wakes vfork parents
        assert list(self.m.processes) == [1], "init reaps every orphan"
        assert (self.m.memory_use().used, self.m.stats.page_table_pages) == (0, 0)


TestKernel = KernelModel.TestCase
TestKernel.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)
