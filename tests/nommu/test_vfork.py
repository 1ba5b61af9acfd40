"""vfork without an MMU: the parent waits until the child's _exit or exec (C14), the child
writes the parent's own variables (C15), after exec both run (C24) and the exec'd program
still reaches the parent's memory through a raw address (C51); and BusyBox's daemon that
re-executes itself instead of forking (C34), adopted by init once its parent exits (C33)."""

from __future__ import annotations

from forkdocs import State
from forkdocs.doctools.run.nommu import Target
from forkdocs.userland import callstack as cs

from .conftest import booted, reported
from .model import PROGRAM, machine, result, yes


def model_vfork_wait(target: Target) -> dict[str, str]:
    m, parent = machine(target.model_arch)
    shared = cs.call(parent, "main", locals=("shared",)).address_of("shared")
    parent.write_word(shared, 1)
    child = m.vfork(parent)
    lines = {"vfork": "a child" if child.pid > 0 else child.errno}
    suspended = parent.state is State.BLOCKED
    child.write_word(shared, 2)  # `shared = 2`: the parent's variable, there is only one
    m._exit(child, 5)
    lines["the parent was suspended until the child's _exit"] = yes(
        suspended and parent.state is State.RUNNING
    )
    lines["the parent's variable after the child wrote it"] = str(parent.read_word(shared))
    pid, status = m.waitpid(parent, child.pid)
    lines["wait4 for the child"] = "0" if pid == child.pid else "-1"
    lines["wait status"] = hex(status)
    lines["wait4 again, with no child left"] = result(lambda: m.waitpid(parent))
    return lines


def test_vfork_suspends_the_parent_until_exit(target: Target) -> None:
    assert model_vfork_wait(target) == reported("vfork_wait", target)


def model_vfork_exec(target: Target) -> dict[str, str]:
    m, parent = machine(target.model_arch)
    secret = parent.data  # `static volatile long secret`
    parent.write_word(secret, 42)
    child = m.vfork(parent)
    m.execve(child, PROGRAM, [PROGRAM, "pointer", hex(secret)])
    resumed = parent.state is State.RUNNING and child.state is State.RUNNING
    lines = {
        "the new program's own variable is another one": yes(child.data != secret),
        "it reads the parent's variable through the address": str(child.read_word(secret)),
    }
    child.write_word(secret, 99)
    m._exit(child, 0)
    lines["the parent resumed at the exec, while the child still ran"] = yes(resumed)
    lines["wait status"] = hex(m.waitpid(parent, child.pid)[1])
    lines["the parent's variable after the child's program wrote it"] = str(
        parent.read_word(secret)
    )
    return lines


def test_an_execd_child_reaches_the_parent_through_a_raw_address(target: Target) -> None:
    assert model_vfork_exec(target) == reported("vfork_exec", target)


def model_reexec(target: Target) -> dict[str, str]:
    """BusyBox's re-exec daemon, as the program does it: pid 2 starts the daemon's parent
    (vfork + exec with "daemon"), which vforks and re-executes itself with a mark and exits;
    the re-executed child goes on alone."""
    m, program = machine(target.model_arch)
    parent = m.vfork(program)
    m.execve(parent, PROGRAM, [PROGRAM, "daemon"])
    parent.write_word(parent.data, 1)  # `state = 1`
    daemon = m.vfork(parent)
    m.execve(daemon, PROGRAM, [PROGRAM, "daemon", "re-executed"])
    m._exit(parent, 0)
    lines = {
        "the re-executed child starts with fresh memory, state": str(daemon.read_word(daemon.data)),
        "its parent now (init)": str(daemon.ppid),
        "setsid": result(lambda: 0 if m.setsid(daemon) > 0 else -1),
    }
    lines["the daemon's parent exited, status"] = hex(m.waitpid(program, parent.pid)[1])
    return lines


def test_a_daemon_re_executes_itself_instead_of_forking(target: Target) -> None:
    assert "the parent exits, leaving the daemon" in booted("reexec", target).output.splitlines()
    assert model_reexec(target) == reported("reexec", target)
