"""fork without an MMU (C11): the fork system call is refused, yet (C50) clone(SIGCHLD), which a
C library's fork() makes where there is no fork system call, succeeds and leaves the child in
the parent's memory and on its stack, both running."""

from __future__ import annotations

from forkdocs import State
from forkdocs.doctools.run.nommu import Target
from forkdocs.userland import callstack as cs

from .conftest import reported
from .model import machine, result, yes


def model_fork_refused(target: Target) -> dict[str, str]:
    m, parent = machine(target.model_arch)
    main = cs.call(parent, "main", locals=("local",))
    lines = {"fork system call": result(lambda: m.fork(parent))}
    child = m.clone(parent, vm=False, suspend=False)
    lines["clone(SIGCHLD) without CLONE_VM"] = "a child" if child.pid > 0 else child.errno
    lines["the parent ran on at once"] = yes(parent.state is State.RUNNING)
    child.write_word(parent.data, 42)  # the child's `global = 42`
    child.write_word(main.address_of("local"), 7)  # and `local = 7`, on the stack it shares
    m._exit(child, 42)
    lines["wait status"] = hex(m.waitpid(parent, child.pid)[1])
    lines["the child's write to a global, seen by the parent"] = str(parent.read_word(parent.data))
    local = parent.read_word(main.address_of("local"))
    lines["the child's write to a local, seen by the parent"] = str(local)
    return lines


def test_fork_refused_and_clone_shares_everything(target: Target) -> None:
    """ENOSYS on RISC-V (no fork system call), EINVAL on m68k (one that refuses)."""
    assert model_fork_refused(target) == reported("fork_refused", target)
