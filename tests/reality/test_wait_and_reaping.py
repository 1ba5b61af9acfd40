"""Wait statuses, zombies, orphans, WNOHANG, ignored SIGCHLD and EAGAIN: the kernel against
the model (C31-C33)."""

from __future__ import annotations

from forkdocs import (
    SIGKILL,
    SIGQUIT,
    SIGSTOP,
    WCOREDUMP,
    WEXITSTATUS,
    WIFEXITED,
    WIFSIGNALED,
    WIFSTOPPED,
    WNOHANG,
    WSTOPSIG,
    WTERMSIG,
    WUNTRACED,
    Machine,
    NoChild,
    State,
    TryAgain,
)
from forkdocs.kernel.signals import SIGNAL_NAMES
from forkdocs.kernel.wait import describe
from forkdocs.userland.libbb import wait4pid

from .conftest import output_of


def columns(label: str, status: int, wait4pid_value: int) -> str:
    """One line as snippets/c/wait_status.c prints it, from a model status."""
    abbrev = {number: name.removeprefix("SIG") for number, name in SIGNAL_NAMES.items()}
    exit_code = str(WEXITSTATUS(status)) if WIFEXITED(status) else "-"
    signal = abbrev[WTERMSIG(status)] if WIFSIGNALED(status) else "-"
    core = str(int(WCOREDUMP(status))) if WIFSIGNALED(status) else "-"
    stop = abbrev[WSTOPSIG(status)] if WIFSTOPPED(status) else "-"
    return (
        f"{label:<16} status=0x{status:04x} exit={exit_code} signal={signal} core={core}"
        f" stop={stop} wait4pid=0x{wait4pid_value:03x}"
    )


def model_status_lines() -> list[str]:
    """The same cases as wait_status.c, acted out in forkdocs."""
    m = Machine(mmu="paging", ram="8 MiB")
    parent = m.start("/bin/prog", image="64 KiB")
    lines = []

    def ended(label: str, how: str, *, signo: int = 0, core: bool = False) -> None:
        child = m.fork(parent)
        if how == "exit":
            m._exit(child, signo)
        else:
            m.allow_core_dumps(child, core)
            m.kill(child, signo)
        status = child.status or 0
        lines.append(columns(label, status, wait4pid(m, parent, child.pid)))

    ended("_exit(3)", "exit", signo=3)
    ended("_exit(256)", "exit", signo=256)
    ended("SIGKILL", "signal", signo=SIGKILL)
    ended("SIGQUIT, core", "signal", signo=SIGQUIT, core=True)
    ended("SIGQUIT, no core", "signal", signo=SIGQUIT)
    child = m.fork(parent)
    m.kill(child, SIGSTOP)
    _, status = m.waitpid(parent, child.pid, WUNTRACED)
    lines.append(columns("SIGSTOP", status, 0))  # wait4pid does not ask for stops
    m.kill(child, SIGKILL)
    lines.append(columns("then SIGKILL", child.status or 0, wait4pid(m, parent, child.pid)))
    return lines


def test_wait_statuses_match_the_kernels() -> None:
    """C31: the raw status words and the macros agree with Linux for an exit, an exit code
    past 255, SIGKILL, SIGQUIT with and without a core file (the 0x80 bit), and a stop
    (WIFSIGNALED false); BusyBox's wait4pid value too."""
    real = [
        line
        for line in output_of("wait_status")
        if not line.lstrip().startswith(("core files", "note:"))
    ]
    assert model_status_lines() == real


def test_a_stopped_status_is_not_a_signal_death() -> None:
    """C31: for a stop, WIFSIGNALED is false and WIFSTOPPED true; describe() says so."""
    real = next(line for line in output_of("wait_status") if line.startswith("SIGSTOP"))
    assert "signal=- core=- stop=STOP" in real
    m = Machine()
    parent = m.start("/bin/prog", image="64 KiB")
    child = m.fork(parent)
    m.kill(child, SIGSTOP)
    assert State.STOPPED == child.state
    _, status = m.waitpid(parent, child.pid, WUNTRACED)
    assert (False, True, "stopped by SIGSTOP") == (
        WIFSIGNALED(status),
        WIFSTOPPED(status),
        describe(status),
    )


def test_zombie_until_reaped() -> None:
    """C32: an exited child stays as a zombie (state Z) until waitpid returns it."""
    real = output_of("zombies", "zombie")
    assert [
        "child state before waitpid: Z (zombie)",
        "waitpid returned the child: yes, exit code 7",
        "/proc entry after waitpid: gone",
    ] == real
    m = Machine()
    parent = m.start("/bin/prog", image="64 KiB")
    child = m.fork(parent)
    m._exit(child, 7)
    assert State.ZOMBIE == child.state
    pid, status = m.waitpid(parent, child.pid)
    assert (child.pid, 7, State.REAPED) == (pid, WEXITSTATUS(status), child.state)
    assert child.pid not in m.processes


def test_wnohang_on_a_running_child() -> None:
    """C32: WNOHANG returns 0 while the child runs."""
    real = output_of("zombies", "wnohang")
    assert "waitpid(WNOHANG) on a running child: 0" == real[0]
    m = Machine()
    parent = m.start("/bin/prog", image="64 KiB")
    m.fork(parent)
    assert (0, 0) == m.waitpid(parent, -1, WNOHANG)


def test_orphans_go_to_a_reaper() -> None:
    """C33: when the middle process exits, its child is re-parented to the reaper, which
    reaps it. Linux picks the nearest subreaper (the C program makes itself one, since pid 1
    of a container may not reap); the model has only init as reaper."""
    real = output_of("zombies", "orphan")
    assert [
        "grandchild's parent while the middle lives: the middle process",
        "grandchild's parent after the middle exits: the subreaper",
        "subreaper's waitpid(-1) returned the grandchild: yes, exit code 0",
    ] == real
    m = Machine()
    top = m.start("/bin/prog", image="64 KiB")
    middle = m.fork(top)
    grandchild = m.fork(middle)
    m._exit(middle, 0)
    assert m.init.pid == grandchild.ppid
    m._exit(grandchild, 0)
    assert State.REAPED == grandchild.state, "the reaper reaped it"


def test_ignored_sigchld_leaves_no_zombie() -> None:
    """C33: with SIGCHLD ignored the child is reaped as it exits and waitpid fails with
    ECHILD."""
    real = output_of("zombies", "sigchld-ignored")
    assert ["waitpid: -1 ECHILD", "/proc entry of the child: gone"] == real
    m = Machine()
    parent = m.start("/bin/prog", image="64 KiB")
    m.ignore_sigchld(parent)
    child = m.fork(parent)
    m._exit(child, 0)
    assert child.pid not in m.processes
    try:
        m.waitpid(parent)
    except NoChild as error:
        assert "ECHILD" == error.code
    else:
        raise AssertionError("waitpid should fail with ECHILD")


def test_fork_fails_with_eagain_at_the_process_limit() -> None:
    """C32, C1: at the process limit fork fails with EAGAIN (-1 and errno, no child). The kernel's limit is
    RLIMIT_NPROC for a uid (root is exempt, so the C program switches to an unused uid and
    allows 3 processes, one of them itself); the model's is the whole table, init included.
    Both refuse the fork that would pass the limit: the third."""
    real = output_of("zombies", "eagain")
    assert "as root, RLIMIT_NPROC=1: fork ok" == real[0]
    assert ["fork number 1: ok", "fork number 2: ok", "fork number 3 failed: EAGAIN"] == real[2:5]
    m = Machine(max_processes=1 + 3)  # init, and the 3 processes the uid may have
    helper = m.start("/bin/prog", image="64 KiB")
    seen = []
    for number in (1, 2, 3):
        try:
            m.fork(helper)
            seen.append(f"fork number {number}: ok")
        except TryAgain as error:
            seen.append(f"fork number {number} failed: {error.code}")
    assert real[2:5] == seen


def test_an_orphan_goes_to_the_subreaper_which_reaps_it() -> None:
    """C44: an orphan is re-parented to its nearest subreaper, which must wait for it."""
    from forkdocs import Machine

    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="256 KiB")
    m.set_child_subreaper(shell)
    helper = m.fork(shell)
    worker = m.fork(helper)
    m._exit(helper, 0)
    m._exit(worker, 7)
    adopted = worker.ppid == shell.pid
    reaped = m.waitpid(shell, worker.pid)[0] == worker.pid
    says = {True: "yes", False: "no"}
    assert output_of("subreaper") == [
        f"orphan's new parent is the subreaper: {says[adopted]}",
        f"the subreaper reaped it with waitpid: {says[reaped]}",
    ]
