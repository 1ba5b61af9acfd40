"""vfork on the real kernel against the model: shared memory by build, exit() in the child,
signals to the suspended parent, when exec releases the parent, and returning from the
vfork caller by optimisation level (C14, C15, C18, C25, C37)."""

from __future__ import annotations

import re

import pytest

from forkdocs import (
    SIGKILL,
    SIGQUIT,
    SIGTERM,
    SIGTSTP,
    SIGUSR1,
    Machine,
    NoSuchProgram,
    OutOfMemory,
    PermissionDenied,
    State,
)
from forkdocs.kernel.signals import SIGNAL_NAMES
from forkdocs.kernel.wait import describe
from forkdocs.userland import libc
from forkdocs.userland.childprog import Call, Exit, ReturnEarly, run_vfork
from forkdocs.userland.posix import posix_spawn

from ..helpers import end_child
from .conftest import output_of


@pytest.mark.parametrize(("build", "var_in"), [("-O0", "memory"), ("-O2", "register")])
def test_shared_globals_and_locals_by_build(build: str, var_in: str) -> None:
    """C15: after vfork the parent sees the child's write to a global, and to a local only
    when the build keeps it in memory (-O0: 7/89); at -O2 the local is not in memory (7/88).
    After fork the parent keeps 6/88."""
    real = {mode: output_of("vfork_share", mode, flags=(build,))[-1] for mode in ("fork", "vfork")}
    for mode in ("fork", "vfork"):
        m = Machine(mmu="paging", ram="8 MiB")
        parent = m.start("/bin/prog", image="64 KiB")
        glob, var = parent.data, parent.stack + 64
        parent.write_word(glob, 6)
        parent.write_word(var, 88)
        parent.registers["var"] = 88
        child = getattr(m, mode)(parent)
        child.write_word(glob, child.read_word(glob) + 1)
        if var_in == "memory":
            child.write_word(var, child.read_word(var) + 1)
        else:
            child.registers["var"] += 1
        m._exit(child, 0)
        if mode == "fork":
            m.waitpid(parent, child.pid)
        seen = parent.read_word(var) if var_in == "memory" else parent.registers["var"]
        assert real[mode] == f"after {mode}: glob = {parent.read_word(glob)}, var = {seen}"


def exit_facts_from_c(lines: list[str]) -> dict[str, object]:
    ran = []
    for line in lines:
        handler = re.match(r"(first|second) atexit handler ran in (\w+)", line)
        destructor = re.match(r"destructor ran in (\w+)", line)
        if handler:
            ran.append(f"{handler.group(1)}_handler in {handler.group(2)}")
        elif destructor:
            ran.append(f"destructors in {destructor.group(1)}")
    values = dict(
        re.findall(
            r"parent: (printf returned|stdout buffer size|second atexit returned) (-?\d+)",
            "\n".join(lines),
        )
    )
    return {
        "ran": ran,
        "before lines": lines.count("before"),
        "printf": int(values["printf returned"]),
        "buffered": values["stdout buffer size"] != "1",
        "second atexit": int(values["second atexit returned"]),
    }


def exit_facts_from_model(create: str, end: str) -> dict[str, object]:
    m = Machine(mmu="paging", ram="8 MiB")
    parent = m.start("/bin/sh", image="64 KiB")
    stdout = parent.fds[1]
    libc.atexit(m, parent, "first_handler")
    libc.printf(m, parent, "before\n")
    child = getattr(m, create)(parent)
    with pytest.raises(NoSuchProgram):
        m.execve(child, "/nonexistent/prog")
    end_child(m, child, end, 127)
    m.waitpid(parent, child.pid)
    printed = libc.printf(m, parent, "after\n")
    buffered = libc.state(m, parent).stdout_buffered
    second = libc.atexit(m, parent, "second_handler")
    libc.exit(m, parent, 0)
    roles = {parent.pid: "parent", child.pid: "child"}
    ran = [
        f"{e.detail.get('handler', 'destructors')} in {roles[e.pid]}"
        for e in m.trace.of_kind("atexit", "destructors")
    ]
    return {
        "ran": ran,
        "before lines": stdout.written.decode().split("\n").count("before"),
        "printf": printed,
        "buffered": buffered,
        "second atexit": second,
    }


@pytest.mark.parametrize("create", ["vfork", "fork"])
@pytest.mark.parametrize("end", ["exit", "_exit"])
def test_exit_in_the_child_as_glibc_does_it(create: str, end: str) -> None:
    """C25: who runs the handlers and destructors, how often "before" is written, what the
    parent's printf and second atexit return, and whether its stdout is still buffered."""
    real = exit_facts_from_c(output_of("vfork_exit", create, end))
    assert real == exit_facts_from_model(create, end)


def signal_case(case: str) -> tuple[str, str]:
    """The model's (state while the child runs, fate after the release) for a
    vfork_signal.c case."""
    m = Machine(mmu="paging", ram="8 MiB")
    parent = m.start("/bin/sh", image="256 KiB")
    signo = {"term-default": SIGTERM, "kill": SIGKILL, "tstp": SIGTSTP, "quit-core": SIGQUIT}.get(
        case, SIGTERM
    )
    if case == "term-handled":
        m.sigaction(parent, SIGTERM, "handler")
    if case == "term-blocked":
        m.sigprocmask(parent, "block", [SIGTERM])
    if case == "pending-handled":
        m.sigaction(parent, SIGUSR1, "handler")
    if case == "quit-core":
        m.allow_core_dumps(parent)
    child = m.vfork(parent)
    if case == "pending-handled":
        m.kill(parent, SIGUSR1)
    m.kill(parent, signo)
    if parent.state is State.BLOCKED:
        pending = " ".join(SIGNAL_NAMES[s] for s in sorted(parent.pending_signals))
        during = f"still suspended (state D), pending: {pending}"
    else:
        during = "dead (state Z) while child still runs"
    m._exit(child, 0)
    if case == "term-blocked":
        m.sigprocmask(parent, "unblock", [SIGTERM])
    if parent.state is State.STOPPED:
        return during, f"P stopped by {SIGNAL_NAMES[signo]}"
    handled = bool(m.trace.of_kind("handler"))
    if parent.status is None:
        return during, "P exited 0" + (" after its handler" if handled else "")
    return during, f"P {describe(parent.status)}"


@pytest.mark.parametrize(
    "case",
    [
        "term-default",
        "kill",
        "term-handled",
        "term-blocked",
        "tstp",
        "quit-core",
        "pending-handled",
    ],
)
def test_signals_to_the_vfork_suspended_parent(case: str) -> None:
    """C14: SIGKILL and a default fatal signal kill the suspended parent at once, while the
    child still runs; handled, blocked, stop and core-dumping signals, and one arriving while
    another is pending, wait for the release and then act."""
    real = output_of("vfork_signal", case)
    during, after = signal_case(case)
    assert f"child saw parent: {during}" == real[0]
    fate = next(line for line in real if line.startswith("P "))
    if case == "term-handled":
        assert "parent: SIGTERM handler ran" in real
        assert "P exited 0 after its handler" == after
        assert "P exited 0" == fate
    else:
        assert after == fate


def exec_in_vforked_child(case: str) -> list[str]:
    """exec_order.c's cases acted out in the model, in its words."""
    m = Machine(mmu="paging", ram="4 MiB")
    parent = m.start("/bin/sh", image="1 MiB")
    m.install("/bin/exec_order", image="64 KiB")
    m.install("/tmp/exec_order.file", image="20 KiB", executable=False)
    m.install("/bin/huge", image="8 MiB")
    path = {
        "missing": "/nonexistent/prog",
        "notexec": "/tmp/exec_order.file",
        "ok": "/bin/exec_order",
        "late": "/bin/huge",
    }[case]
    child = m.vfork(parent)
    lines = []
    try:
        m.execve(child, path)
    except (NoSuchProgram, PermissionDenied) as error:
        lines.append(f"child: execve failed with {error.code}")
        assert State.BLOCKED == parent.state
        lines.append("child saw parent: state D")
        m._exit(child, 127)
    except OutOfMemory:
        assert State.RUNNING == parent.state
    else:
        lines.append(f"new image saw parent: state {'S' if parent.state is State.RUNNING else 'D'}")
        m._exit(child, 0)
    renamed = child.program != "/bin/sh"
    lines.append(f"parent: the child ended with {'a new' if renamed else 'the old'} program name")
    _, status = m.waitpid(parent, child.pid)
    lines.append(f"parent: child {describe(status).replace('SIG', 'SIG')}")
    return lines


@pytest.mark.parametrize("case", ["missing", "notexec", "ok", "late"])
def test_exec_releases_the_parent_at_its_point_of_no_return(case: str) -> None:
    """C37: a failure found while checking the program (ENOENT, EACCES) returns to the child
    with the parent still suspended; a successful exec wakes the parent (C24: from then on
    both run); a failure past the point of no return kills the child with SIGSEGV after the
    parent was woken."""
    real = output_of("exec_order", case)
    assert real == exec_in_vforked_child(case)


def test_posix_spawn_of_a_program_that_cannot_be_mapped() -> None:
    """C37: glibc's posix_spawn returns 0 and a pid when the exec fails past its point of no
    return; the child's status is SIGSEGV."""
    real = output_of("spawn_late")
    m = Machine(mmu="paging", ram="4 MiB")
    parent = m.start("/bin/sh", image="1 MiB")
    m.install("/bin/itself", image="8 MiB")
    rc, _ = posix_spawn(m, parent, "/nonexistent/prog", ["prog"])
    lines = [f"posix_spawn(missing) returned {parent.errno if rc else 0}"]
    rc, pid = posix_spawn(m, parent, "/bin/itself", ["itself"])
    lines.append(f"posix_spawn(itself) returned {rc}")
    assert pid is not None
    lines.append(f"itself child {describe(m.waitpid(parent, pid)[1])}")
    assert real == lines


@pytest.mark.parametrize(
    ("build", "frame_pointers", "fate"),
    [("-O0", True, "parent: killed by SIGSEGV"), ("-O2", False, "parent: exited 2")],
)
def test_returning_from_the_vfork_caller_by_build(
    build: str, frame_pointers: bool, fate: str
) -> None:
    """C18, x86-64 System V with lazy binding: -O0 keeps frame pointers, and the _exit PLT
    stub's push of 0 lands on the parent's saved one: SIGSEGV; -O2 keeps none, and the
    parent returns to the code after the child's call to _exit (here main's error path,
    exit 2). The model gives a crash and a return to the wrong place."""
    real = output_of("vfork_return", flags=(build, "-Wl,-z,lazy"))
    assert ["child: helper(42) ran", fate] == real
    outcome = run_vfork(
        (ReturnEarly(), Call("helper", args=(42,)), Exit(0)), frame_pointers=frame_pointers
    )
    expected = "crash" if frame_pointers else "wrong place: main:call _exit"
    assert expected == outcome.parent_return
