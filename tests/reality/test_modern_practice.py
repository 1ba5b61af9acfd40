"""What Python's subprocess and glibc's system() call on this machine, seen with strace
(C47, C48), beside the model's vfork and posix_spawn."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from forkdocs import Machine
from forkdocs.userland.posix import posix_spawn

from .conftest import need_tool


def creating_call(code: str) -> str:
    """The system call (and its flags) that created the first child of ``python -c code``."""
    strace = need_tool("strace", "strace")
    trace = [strace, "-f", "-qq", "-e", "trace=fork,vfork,clone,clone3"]
    done = subprocess.run(
        [*trace, sys.executable, "-c", f"import os, subprocess; {code}"],
        capture_output=True,
        text=True,
        check=True,
    )
    call = re.search(r"^(?:\[pid +\d+\] )?(v?fork|clone3?)\((.*)", done.stderr, re.M)
    assert call is not None, done.stderr
    flags = re.search(r"flags=([A-Z_|]+)", call.group(2))
    return call.group(1) + (f" {flags.group(1)}" if flags else "")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "subprocess.run(['/bin/true'])",
            # 3.13 describes the default close_fds=True as a posix_spawn file action
            "vfork" if sys.version_info < (3, 13) else "clone3 CLONE_VM|CLONE_VFORK",
        ),
        ("subprocess.run(['/bin/true'], close_fds=False)", "clone3 CLONE_VM|CLONE_VFORK"),
        ("subprocess.run(['true'], close_fds=False)", "vfork"),
        (
            "subprocess.run(['/bin/true'], preexec_fn=lambda: None)",
            "clone CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD",
        ),
    ],
)
def test_python_subprocess_uses_vfork_or_posix_spawn_unless_code_must_run_first(
    code: str, expected: str
) -> None:
    """C47: vfork when safe; posix_spawn (clone3 CLONE_VM|CLONE_VFORK) when it can describe
    the call (since Python 3.13 with close_fds=True too); fork (no CLONE_VM) with a
    preexec_fn."""
    assert expected == creating_call(code)


def test_glibc_system_is_posix_spawn() -> None:
    """C48: glibc's system() creates /bin/sh with posix_spawn's clone, as the model's
    posix_spawn does (a stack of its own, the parent suspended)."""
    assert "clone3 CLONE_VM|CLONE_VFORK" == creating_call("os.system('true')")
    m = Machine(mmu="paging", ram="8 MiB")
    caller = m.start("/usr/bin/python3", image="1 MiB")
    m.install("/bin/sh", image="64 KiB")
    posix_spawn(m, caller, "/bin/sh", ["sh", "-c", "true"])
    [clone] = m.trace.of_kind("clone")
    assert (clone.detail["stack"], clone.detail["suspend"]) == ("new", True)
