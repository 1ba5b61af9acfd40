"""exec failures without an MMU, as a vforking parent sees them (C28: the errno in shared
memory, exit 111; C52 for the formats): the file is missing
(ENOENT), a plain ELF (ENOEXEC: a no-MMU kernel loads only bFLT here), not executable
(EACCES), a script without ``#!`` (ENOEXEC) or with a missing interpreter (ENOENT); and the
zombie an exited child leaves until it is reaped, then ECHILD (C32)."""

from __future__ import annotations

from forkdocs import WNOHANG, ForkdocsError
from forkdocs.doctools.run.nommu import Target

from .conftest import booted
from .model import machine, result, yes

TRIED = (
    "/bin/no-such-program",
    "/bin/elf",
    "/bin/not-executable",
    "/bin/no-shebang",
    "/bin/missing-interpreter",
)


def model_exec_errors(target: Target) -> list[str]:
    """The program's lines: for each path, the errno the child stored in the memory it
    shares with the parent and its exit status (the BusyBox way: 111); then the zombie."""
    m, parent = machine(target.model_arch)
    lines = []
    for path in TRIED:
        child = m.vfork(parent)
        try:
            m.execve(child, path, [path])
            stored = ""
        except ForkdocsError as error:
            stored = error.code  # `child_errno = -sys_execve(...)`, in the parent's memory
        m._exit(child, 111)
        status = m.waitpid(parent, child.pid)[1]
        lines.append(f"exec {path}: {stored}, exit status {status >> 8}")
    child = m.vfork(parent)
    m._exit(child, 3)
    pid, status = m.waitpid(parent, -1, WNOHANG)
    lines.append(f"wait4 with WNOHANG finds the exited child: {yes(pid == child.pid)}")
    lines.append(f"its status: {hex(status)}")
    lines.append(f"wait4 again: {result(lambda: m.waitpid(parent, -1, WNOHANG))}")
    return lines


def test_exec_failures_and_the_zombie(target: Target) -> None:
    finished = booted("exec_errors", target)
    assert 0 == finished.returncode, finished.output
    assert model_exec_errors(target) == finished.output.splitlines()
