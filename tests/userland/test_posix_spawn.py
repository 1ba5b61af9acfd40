"""posix_spawn as glibc >= 2.24 does it (C30)."""

from forkdocs import Machine, State
from forkdocs.kernel.wait import exited
from forkdocs.userland.posix import posix_spawn


def test_success_returns_zero_and_the_pid(mmu: str) -> None:
    m = Machine(mmu=mmu, ram="8 MiB")
    shell = m.start("/bin/sh", image="1 MiB")
    m.install("/bin/ls", image="64 KiB")
    rc, pid = posix_spawn(m, shell, "/bin/ls", ["ls"])
    assert (0, "/bin/ls", State.RUNNING) == (rc, m.process(pid or 0).program, shell.state)
    assert 0 == m.stats.pages_copied


def test_failure_returns_the_error_number_and_reaps_the_child(mmu: str) -> None:
    """C30: the error number itself (ENOENT = 2), not -1; no pid; no zombie."""
    m = Machine(mmu=mmu, ram="8 MiB")
    shell = m.start("/bin/sh", image="1 MiB")
    rc, pid = posix_spawn(m, shell, "/bin/missing", ["missing"])
    assert (2, None, []) == (rc, pid, m.children(shell))
    assert exited(127) == m.trace.of_kind("exit")[-1].detail["status"]


def test_the_child_runs_on_a_stack_of_its_own_with_the_parent_suspended() -> None:
    m = Machine(mmu="none", ram="8 MiB")
    shell = m.start("/bin/sh", image="1 MiB")
    posix_spawn(m, shell, "/bin/missing", ["missing"])
    [clone] = m.trace.of_kind("clone")
    assert ("new", True) == (clone.detail["stack"], clone.detail["suspend"])


def test_the_calls_libraries_make_today_are_vfork_and_posix_spawns_clone() -> None:
    """C47, C48: what subprocess (vfork; posix_spawn; fork with a preexec_fn) and glibc's
    system() (posix_spawn) call, acted out: vfork on the parent's stack, posix_spawn's clone
    on a stack of its own, fork with no shared memory."""
    from forkdocs import Machine
    from forkdocs.userland.posix import posix_spawn

    m = Machine(mmu="paging", ram="8 MiB")
    python = m.start("/usr/bin/python3", image="1 MiB")
    m.install("/bin/true", image="20 KiB")
    child = m.vfork(python)
    m.execve(child, "/bin/true")
    posix_spawn(m, python, "/bin/true", ["true"])
    child = m.fork(python)
    assert child.space is not python.space
    made = [
        (e.kind, e.detail.get("stack"), e.detail.get("suspend"))
        for e in m.trace.of_kind("vfork", "clone", "fork")
    ]
    assert [("vfork", "shared", True), ("clone", "new", True), ("fork", None, None)] == made
