"""The hazards of vfork, made to happen (C17-C23, C25)."""

from __future__ import annotations

import pytest

from forkdocs import Machine, Process, ProcessBlocked, State
from forkdocs.machine import Flavour
from forkdocs.userland import callstack as cs, libc
from forkdocs.userland.childprog import (
    UNSPECIFIED,
    Call,
    Exec,
    Exit,
    ReturnEarly,
    SetLocal,
    SetRegister,
    run_vfork,
)
from forkdocs.userland.heap import Heap, interleave, run
from forkdocs.userland.setjmp import SetjmpVfork

from ..helpers import end_child, machine_with_shell


def spawner_frame(mmu: str = "paging") -> tuple[Machine, Process, cs.StackFrame]:
    m, shell = machine_with_shell(mmu)
    cs.call(shell, "main")
    frame = cs.call(shell, "spawner", locals=("pid",))
    shell.write_word(frame.address_of("pid"), 0xDEAD)  # neither 0 nor a pid, until stored
    return m, shell, frame


def test_the_pid_variable_is_one_cell_written_by_both(mmu: str) -> None:
    """C17: `pid = vfork()` is a store of 0 by the child and then of the child's pid by the
    parent, to the same address; with the parent suspended each reads the right value."""
    m, shell, frame = spawner_frame(mmu)
    pid_at = frame.address_of("pid")
    child = m.vfork(shell, pid_at=pid_at)
    assert 0 == child.read_word(pid_at)
    m._exit(child, 0)
    assert child.pid == shell.read_word(pid_at)
    stores = [(e.pid, e.detail["value"], e.detail["address"]) for e in m.trace.of_kind("store")]
    assert [(child.pid, 0, pid_at), (shell.pid, child.pid, pid_at)] == stores


@pytest.mark.parametrize(("first", "confused"), [("child", "child"), ("parent", "parent")])
def test_without_suspension_one_of_them_reads_the_others_pid(first: str, confused: str) -> None:
    """C17: a vfork that did not suspend the parent cannot give each process its own return
    value: whoever stores second overwrites the other's."""
    m, shell, frame = spawner_frame()
    pid_at = frame.address_of("pid")
    child = m.vfork(shell, pid_at=pid_at, suspend=False, first=first)
    assert State.RUNNING == shell.state
    seen = {"child": child.read_word(pid_at), "parent": shell.read_word(pid_at)}
    right = {"child": 0, "parent": child.pid}
    wrong = [who for who in seen if seen[who] != right[who]]
    assert [confused] == wrong


def test_returning_from_the_vfork_caller_sends_the_parent_to_the_wrong_place(mmu: str) -> None:
    """C18, x86-64 without frame pointers (-O2): the argument travels in a register; the
    child's next call (its _exit) stores its return address over the parent's, and the
    parent "returns" into the child's code in main (measured: a wrong exit status)."""
    outcome = run_vfork((ReturnEarly(), Call("puts", args=(0x1234,)), Exit(1)), mmu=mmu)
    assert "wrong place: main:call _exit" == outcome.parent_return


def test_with_frame_pointers_the_parent_crashes(mmu: str) -> None:
    """C18, x86-64 with frame pointers (-O0): the lazy PLT stub of the child's _exit pushes
    its relocation index (0) over the parent's saved frame pointer: the parent restores 0
    and faults (measured: SIGSEGV)."""
    program = (ReturnEarly(), Call("puts", args=(0x1234,)), Exit(1))
    assert "crash" == run_vfork(program, mmu=mmu, frame_pointers=True).parent_return


def test_on_i386_the_argument_itself_clobbers_the_return_address() -> None:
    """C18, i386 (a labelled variant): arguments are pushed, so puts' argument lands on the
    parent's saved return address: the parent jumps to it and crashes."""
    outcome = run_vfork((ReturnEarly(), Call("puts", args=(0x1234,)), Exit(1)), abi="i386")
    assert "crash" == outcome.parent_return


def test_the_same_child_inlined_is_harmless(mmu: str) -> None:
    """C19: the same work done inside the vfork caller's frame, macro style, leaves the
    parent's frame intact: it returns normally."""
    outcome = run_vfork((Call("puts", args=(0x1234,)), Exit(1)), mmu=mmu)
    assert ("ok", 256) == (outcome.parent_return, outcome.child_status)


def test_setjmp_model_has_one_process_until_exec_and_records_exit_status() -> None:
    """C20: during the window only the parent exists; exec creates the child; a child
    _exit(3) leaves status 3 for waitpid; the second return of vfork is the new pid."""
    m, shell, frame = spawner_frame()
    count = len(m.processes)
    jump = SetjmpVfork(m, shell, pid_at=frame.address_of("pid"))
    assert count == len(m.processes)
    pid = jump.exit(3)
    assert (count + 1, pid) == (len(m.processes), shell.read_word(frame.address_of("pid")))
    assert (pid, 3 << 8) == m.waitpid(shell, pid)
    kernel, model = (
        run_vfork((Exec("/bin/true"),), model="kernel"),
        run_vfork((Exec("/bin/true"),), model="setjmp"),
    )
    assert (3, 2) == (kernel.processes_in_window, model.processes_in_window)


@pytest.mark.parametrize("model", ["kernel", "setjmp"])
def test_volatile_locals_keep_the_childs_write_register_locals_do_not(model: str) -> None:
    """C21: a local in memory (volatile) shows the child's write; one the child changed in a
    register has no defined value afterwards, and is reported as unspecified."""
    outcome = run_vfork((SetLocal("failed", 2), SetRegister("r0", 2), Exit(111)), model=model)
    assert (2, UNSPECIFIED, 0) == (outcome.stack_locals[1], *outcome.registers)


def shared_heap(mmu: str = "none") -> tuple[Machine, Process, Heap]:
    m, shell = machine_with_shell(mmu)
    heap = Heap(shell.heap, shell.segment("heap").size)
    heap.format(shell)
    return m, shell, heap


def test_a_stack_copy_sharing_the_heap_hands_out_one_block_twice() -> None:
    """C22: a child with a private stack but the same heap, running at the same time: two
    interleaved mallocs both take the same free block."""
    m, shell, heap = shared_heap()
    child = m.clone(shell, stack="copy", suspend=False)
    assert child.stack != shell.stack
    results, _ = interleave("ABAB", {"A": heap.malloc(shell, 64), "B": heap.malloc(child, 64)})
    assert results["A"] == results["B"], "both got the same block"


def test_a_stack_copy_sharing_the_heap_can_corrupt_the_free_list() -> None:
    """C22: two frees of neighbouring blocks, one by each process, interleaved: the parent
    reads the list head, the child merges that (free) head block into its own and relinks,
    and the parent then links its block in front of the stale head: the list names a block
    that no longer exists (caught by the allocator's consistency check)."""
    m, shell, heap = shared_heap()
    first, second = run(heap.malloc(shell, 64)), run(heap.malloc(shell, 64))
    child = m.clone(shell, stack="copy", suspend=False)
    interleave("AB" * 8, {"A": heap.free(shell, first), "B": heap.free(child, second)})
    problems = heap.problems(shell)
    assert problems and "not a free block" in problems[0], problems
    heap.format(shell)
    first, second = run(heap.malloc(shell, 64)), run(heap.malloc(shell, 64))
    run(heap.free(shell, first))
    run(heap.free(child, second))
    assert [] == heap.problems(shell), "the same two frees one after the other are fine"


def test_suspended_parent_and_a_separate_stack_keep_the_heap_consistent() -> None:
    """C23: what posix_spawn does (CLONE_VM|CLONE_VFORK, a stack of the child's own): the
    parent cannot touch the heap until the child execs, and the heap stays consistent."""
    m, shell, heap = shared_heap()
    run(heap.malloc(shell, 64))
    cs.call(shell, "main")
    cs.call(shell, "spawner", locals=("pid",))
    child = m.clone(shell, stack="new", suspend=True)
    assert child.stack != shell.stack
    with pytest.raises(ProcessBlocked):
        run(heap.malloc(shell, 16))
    cs.call(child, "helper", args=(0x4000_0000_0000,), locals=("a", "b"))  # on its own stack
    cs.ret(child)
    m.execve(child, "/bin/ls")
    assert "main:call spawner" == cs.ret(shell), "the parent's frame was not touched"
    run(heap.malloc(shell, 16))
    assert [] == heap.problems(shell)


def failed_exec(
    mmu: str, create: str, end: str, flavour: Flavour = "glibc"
) -> tuple[Machine, Process, Process]:
    """The parent has buffered output and an atexit handler; the child's exec fails and it
    ends with ``end`` ("exit" or "_exit"). Returns the machine, parent and child."""
    m = Machine(mmu=mmu, ram="8 MiB", libc=flavour)
    shell = m.start("/bin/sh", image="1 MiB")
    libc.printf(m, shell, "before\n")
    libc.atexit(m, shell, "remove_pidfile")
    child = getattr(m, create)(shell)
    with pytest.raises(FileNotFoundError):
        m.execve(child, "/bin/missing")
    end_child(m, child, end, 127)
    return m, shell, child


def test_exit_in_a_vfork_child_uses_up_the_parents_handlers() -> None:
    """C25: exit() in the vfork child runs the parent's atexit handler and takes it off the
    shared list: at the parent's own exit no handler is left, and no destructor runs."""
    m, shell, child = failed_exec("paging", "vfork", "exit")
    libc.exit(m, shell, 0)
    ran = [(e.pid, e.kind) for e in m.trace.of_kind("atexit", "destructors")]
    assert [(child.pid, "atexit"), (child.pid, "destructors")] == ran


def test_exit_in_a_vfork_child_flushes_early_and_unbuffers_without_closing() -> None:
    """C25: the parent's buffered line is written by the child's exit; the parent's stdout
    is not closed (printf returns its count) but is now unbuffered: the text goes out at
    once, before the parent flushes anything."""
    m, shell, _ = failed_exec("paging", "vfork", "exit")
    assert b"before\n" == shell.fds[1].written
    assert 6 == libc.printf(m, shell, "after\n")
    assert b"before\nafter\n" == shell.fds[1].written


def test_after_exit_in_a_vfork_child_glibc_refuses_new_handlers() -> None:
    """C25: glibc marks the shared handler list as done: the parent's atexit() returns -1."""
    m, shell, _ = failed_exec("paging", "vfork", "exit")
    assert -1 == libc.atexit(m, shell, "later")
    other, parent, _ = failed_exec("paging", "vfork", "_exit")
    assert 0 == libc.atexit(other, parent, "later")


def test_bsd_exit_closes_the_shared_stdout() -> None:
    """C25 variant: a libc whose exit() flushes *and closes* the streams (4.3BSD's; no
    current BSD's) leaves the parent with a closed stdout: its printf returns -1 (EBADF)."""
    m, shell, _ = failed_exec("paging", "vfork", "exit", flavour="bsd")
    assert -1 == libc.printf(m, shell, "after\n")
    assert "EBADF" == shell.errno


def test_exit_in_a_fork_child_prints_the_buffer_twice() -> None:
    """C25: with fork, exit() flushes the child's copy of the buffer; the parent flushes its
    own later: the line appears twice, and the parent's handler runs in both processes."""
    m, shell, child = failed_exec("paging", "fork", "exit")
    stdout = shell.fds[1]
    libc.exit(m, shell, 0)
    assert b"before\nbefore\n" == stdout.written
    assert [child.pid, shell.pid] == [e.pid for e in m.trace.of_kind("atexit")]


@pytest.mark.parametrize("create", ["fork", "vfork"])
def test_underscore_exit_does_neither(create: str) -> None:
    """C25: _exit() runs no handler and flushes nothing; the parent's output comes out once."""
    m, shell, _ = failed_exec("paging", create, "_exit")
    assert [] == m.trace.of_kind("atexit")
    assert 6 == libc.printf(m, shell, "after\n")
    libc.fflush(m, shell)
    assert b"before\nafter\n" == shell.fds[1].written
