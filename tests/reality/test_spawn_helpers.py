"""BusyBox's spawn() pattern and glibc's posix_spawn on the real kernel, against libbb and
posix in forkdocs (C23, C28-C30); which system call glibc really uses, seen with strace."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from forkdocs import WEXITSTATUS, Machine, Process
from forkdocs.userland.libbb import spawn
from forkdocs.userland.posix import posix_spawn

from .conftest import binary, need_tool, output_of


def machine() -> tuple[Machine, Process]:
    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="256 KiB", environ={"PATH": "/bin"})
    m.install("/bin/true", image="64 KiB", main=lambda machine, me: machine._exit(me, 0))
    m.install("/bin/script", image="64 KiB", executable=False)
    return m, shell


def model_spawn_line(create: str, program: str) -> str:
    """What bb_spawn.c prints for ``program``, acted out with the model: libbb's spawn()
    (vfork), or the same pattern with fork, where the child's store goes to its own copy."""
    m, shell = machine()
    if create == "vfork":
        pid = spawn(m, shell, [program])
    else:
        from forkdocs.userland.libbb import bb_fork_exec

        pid = bb_fork_exec(m, shell, f"/bin/{program}", [program], exit_code=111)
    if pid < 0:
        zombies = [c for c in m.children(shell) if c.status is not None]
        return f"spawn({program}): -1 {shell.errno}, zombie left: {'yes' if zombies else 'no'}"
    _, status = m.waitpid(shell, pid)
    return f"spawn({program}): pid>0, status: exited {WEXITSTATUS(status)}"


def test_busybox_spawn_reports_exec_failure_through_shared_memory() -> None:
    """C28: with vfork the child's errno lands in the caller's variable: -1 and ENOENT, the
    child reaped. C29: with fork the store goes to the child's copy, and only the exit
    status 111 tells. C35: for a child that execs, fork and vfork give the same result.
    C19: the child never returns from spawn(), so the caller's frame survives."""
    for create in ("vfork", "fork"):
        real = output_of("bb_spawn", *([] if create == "vfork" else ["fork"]))
        assert f"mode: {create}" == real[0]
        model = [model_spawn_line(create, name) for name in ("true", "no-such-program-xyz")]
        assert real[1:] == model, create


def model_posix_spawn_line(label: str, path: str) -> str:
    m, shell = machine()
    rc, pid = posix_spawn(m, shell, path, [path])
    line = f"{label:<16} rc={shell.errno if rc else 0}, pid {'untouched' if pid is None else 'set'}"
    if pid is not None:
        line += f", status: exited {WEXITSTATUS(m.waitpid(shell, pid)[1])}"
    zombies = [c for c in m.children(shell) if c.status is not None]
    return line + f", zombie left: {'yes' if zombies else 'no'}"


def test_posix_spawn_returns_the_error_number() -> None:
    """C30: glibc's posix_spawn returns 0 and sets the pid, or returns the error number
    itself (ENOENT, EACCES) with the pid untouched and the child already reaped. (The model's
    not-executable program stands for both the mode 0644 file and the directory.)"""
    real = output_of("posix_spawn")
    model = [
        model_posix_spawn_line("/bin/true", "/bin/true"),
        model_posix_spawn_line("missing", "/no/such/program"),
        model_posix_spawn_line("mode 0644 file", "/bin/script"),
        model_posix_spawn_line("directory", "/bin/script"),
    ]
    assert model == real


def clone_calls(*command: str) -> list[str]:
    """The process-creating system calls ``command`` makes, as strace shows them, with
    addresses replaced by ADDR."""
    strace = need_tool("strace", "strace")
    with tempfile.TemporaryDirectory() as work:
        log = Path(work) / "trace"
        subprocess.run(
            [strace, "-f", "-qq", "-e", "trace=clone,clone3,vfork,fork", "-o", str(log), *command],
            capture_output=True,
            check=False,
            timeout=60,
        )
        calls = re.findall(r"^\d+ +((?:clone3?|vfork|fork)\(.*)$", log.read_text(), re.M)
    calls = [re.sub(r"(\s+= \d+| <unfinished \.\.\.>)$", "", call) for call in calls]
    return [re.sub(r"0x[0-9a-f]{8,}", "ADDR", call) for call in calls]


def test_glibc_posix_spawn_is_clone_vm_vfork_on_a_stack_of_its_own() -> None:
    """C23: glibc's posix_spawn creates the child with CLONE_VM|CLONE_VFORK on a separate
    stack (clone3 on this machine), which is the model's clone(stack="new", suspend=True)."""
    calls = clone_calls(str(binary("posix_spawn")))
    assert calls, "posix_spawn made no clone call that strace saw"
    for call in calls:
        assert call.startswith(
            "clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=ADDR"
        )
    m, shell = machine()
    posix_spawn(m, shell, "/bin/true", ["true"])
    [event] = m.trace.of_kind("clone")
    assert ("new", True) == (event.detail["stack"], event.detail["suspend"])


def test_busybox_spawn_is_a_real_vfork() -> None:
    """C27: BusyBox's spawn() pattern makes a vfork system call; with fork it is a plain
    clone with SIGCHLD and no CLONE_VM."""
    assert {"vfork()"} == set(clone_calls(str(binary("bb_spawn"))))
    forked = set(clone_calls(str(binary("bb_spawn")), "fork"))
    assert all("CLONE_VM" not in call and "SIGCHLD" in call for call in forked), forked
