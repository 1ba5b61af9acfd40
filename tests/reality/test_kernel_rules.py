"""Small rules of Linux and glibc that a held-out comparison found the model getting wrong,
each run by snippets/c/kernel_rules.c on this machine and compared whole with the model:
the close-on-exec flag belongs to the descriptor, not its number (C41); EPERM, not EACCES,
for setsid and setpgid refusals and for posix_spawn's process group after a new session
(C38); an empty PATH element is the working directory (C39); a descriptor number no
descriptor can have is refused when the file action is added (C38); a child's end sends
its parent SIGCHLD (C33); errno is the vfork parent's memory too (C28); waitpid(-1) takes
the oldest exited child (C32)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from forkdocs import SIGCHLD, ForkdocsError, Machine, Process
from forkdocs.common.errors import errno_name
from forkdocs.userland.posix import FileActions, SpawnAttr, posix_spawn, posix_spawnp

from .conftest import output_of


def scene() -> tuple[Machine, Process]:
    m = Machine(mmu="paging", ram="8 MiB")
    program = m.start("/bin/kernel_rules", image="256 KiB", environ={"PATH": "/bin"})
    m.install("/bin/true", image="64 KiB")
    m.install("/bin/sh", image="64 KiB")
    return m, program


def result(call: Callable[[], object]) -> str:
    """The C program's ``result()``: "0", or the errno's name when the call failed."""
    try:
        call()
    except ForkdocsError as error:
        return error.code
    return "0"


def yes(condition: bool) -> str:
    return "yes" if condition else "no"


def cloexec_reuse() -> list[str]:
    m, program = scene()
    first = m.open(program, "/dev/null", cloexec=True)
    m.close(program, first)
    second = m.open(program, "/dev/null")
    child = m.fork(program)  # system(): fork, then exec of the shell
    m.execve(child, "/bin/sh")
    return [
        f"the number is reused: {yes(second == first)}",
        f"the new descriptor is close-on-exec: {yes(second in program.cloexec)}",
        f"open after exec: {yes(second in child.fds)}",
    ]


def setsid_leader() -> list[str]:
    m, program = scene()
    child = m.fork(program)  # in_child(): a member of its parent's group, leading none
    return [
        f"setsid by a process that leads no group: {result(lambda: m.setsid(child))}",
        f"setsid again, by the group leader it now is: {result(lambda: m.setsid(child))}",
    ]


def setpgid_away() -> list[str]:
    m, program = scene()
    rule = m.fork(program)
    m.setpgid(rule, 0)  # it leads group G
    child = m.fork(rule)
    m.setsid(child)
    back = result(lambda: m.setpgid(child, rule.pid))
    own = result(lambda: m.setpgid(child, 0))
    return [
        f"setpgid into a group of another session: {back}",
        f"setpgid by a session leader, to a group of its own: {own}",
    ]


def spawn_groups() -> list[str]:
    m, program = scene()
    rule = m.fork(program)

    def spawned(attr: SpawnAttr) -> str:
        rc, pid = posix_spawn(m, rule, "/bin/true", ["true"], attr=attr)
        if pid is not None:
            m._exit(m.process(pid), 0)
            m.waitpid(rule, pid)
        return errno_name(rc) if rc else "0"

    return [
        f"posix_spawn with a new session: {spawned(SpawnAttr(setsid=True))}",
        f"posix_spawn with a process group: {spawned(SpawnAttr(pgroup=0))}",
        f"posix_spawn with both: {spawned(SpawnAttr(setsid=True, pgroup=0))}",
    ]


def spawnp_empty() -> list[str]:
    m, program = scene()
    m.install("/tmp/kernel_rules.dir/tool", image="64 KiB")
    m.chdir(program, "/tmp/kernel_rules.dir")
    program.environ["PATH"] = "/nonexistent::/bin"
    rc, pid = posix_spawnp(m, program, "tool", ["tool"])
    found = rc == 0 and pid is not None and m.process(pid).program.endswith(".dir/tool")
    return [f"posix_spawnp finds it in the working directory: {yes(found)}"]


def addclose_bad() -> list[str]:
    actions = FileActions()
    return [
        f"addclose({shown}): {errno_name(error) if error else '0'}"
        for shown, error in (
            ("-1", actions.add_close(-1)),
            ("1 << 30", actions.add_close(1 << 30)),
            ("5", actions.add_close(5)),
        )
    ]


def sigchld() -> list[str]:
    m, program = scene()
    m.sigaction(program, SIGCHLD, "handler")
    child = m.fork(program)
    m._exit(child, 0)
    m.waitpid(program, child.pid)
    ran = [e for e in m.trace.of_kind("handler") if e.pid == program.pid]
    m.sigprocmask(program, "block", [SIGCHLD])
    child = m.fork(program)
    m._exit(child, 0)
    m.waitpid(program, child.pid)
    return [
        f"a handled SIGCHLD ran when the child exited: {yes(bool(ran))}",
        "a blocked SIGCHLD is pending after the child exited:"
        f" {yes(SIGCHLD in program.pending_signals)}",
    ]


def vfork_errno() -> list[str]:
    m, program = scene()
    child = m.vfork(program)
    with pytest.raises(ForkdocsError):
        m.execve(child, "/nonexistent/missing")
    m._exit(child, 127)
    return [f"the parent's errno after the child's failed exec: {program.errno}"]


def wait_order() -> list[str]:
    m, program = scene()
    children = [m.fork(program) for _ in range(3)]
    for status, child in reversed(list(enumerate(children))):  # the youngest exits first
        m._exit(child, status)
    lines = []
    for number in range(1, 4):
        which = [c.pid for c in children].index(m.waitpid(program)[0])
        exited = ("third", "second", "first")[which]
        lines.append(f"waitpid(-1) number {number} reaps child {which + 1} (exited {exited})")
    return lines


RULES = {
    "cloexec-reuse": cloexec_reuse,
    "setsid-leader": setsid_leader,
    "setpgid-away": setpgid_away,
    "spawn-groups": spawn_groups,
    "spawnp-empty": spawnp_empty,
    "addclose-bad": addclose_bad,
    "sigchld": sigchld,
    "vfork-errno": vfork_errno,
    "wait-order": wait_order,
}


@pytest.mark.parametrize("rule", RULES)
def test_the_model_follows_the_rule_as_linux_does(rule: str) -> None:
    assert RULES[rule]() == output_of("kernel_rules", rule)
