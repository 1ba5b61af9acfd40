"""C52: what a file is to the kernel's loaders (Program.format) and #! scripts: ENOEXEC for a file
no loader of this kernel takes, ENOENT for a script whose interpreter is missing, both
raised before the point of no return (the vfork parent stays suspended)."""

from __future__ import annotations

import pytest

from forkdocs import ExecFormatError, InvalidArgument, Machine, NoSuchProgram, State

from ..helpers import machine_with_shell


@pytest.mark.parametrize(
    ("mmu", "format", "loads"),
    [
        ("none", "flat", True),
        ("none", "elf", False),
        ("paging", "elf", True),
        ("paging", "flat", False),
        ("base+length", "elf", False),
        ("base+length", "flat", True),
        ("none", "data", False),
        ("paging", "data", False),
        ("none", "any", True),
    ],
)
def test_exec_loads_only_the_formats_the_kernel_has_a_loader_for(
    mmu: str, format: str, loads: bool
) -> None:
    m, shell = machine_with_shell(mmu)
    m.install("/bin/app", image="64 KiB", format=format)  # type: ignore[arg-type]
    child = m.vfork(shell)
    if loads:
        m.execve(child, "/bin/app")
        assert ("/bin/app", State.RUNNING) == (child.program, shell.state)
        return
    with pytest.raises(ExecFormatError, match="/bin/app is"):
        m.execve(child, "/bin/app")
    assert ("ENOEXEC", State.BLOCKED) == (child.errno, shell.state)


def test_a_script_runs_its_interpreter_with_the_scripts_path() -> None:
    m, shell = machine_with_shell("paging")
    m.install("/usr/bin/backup", image="64 KiB", interpreter="/bin/sh")
    child = m.vfork(shell)
    m.execve(child, "/usr/bin/backup", ["backup", "--all"])
    assert ("/bin/sh", ["/bin/sh", "/usr/bin/backup", "--all"]) == (child.program, child.argv)


def test_a_script_whose_interpreter_is_missing_fails_with_enoent_naming_it() -> None:
    m, shell = machine_with_shell("none")
    m.install("/bin/tool", image="64 KiB", interpreter="/bin/no-such-shell")
    child = m.vfork(shell)
    with pytest.raises(NoSuchProgram, match="script for /bin/no-such-shell"):
        m.execve(child, "/bin/tool")
    assert State.BLOCKED == shell.state


def test_a_bad_format_or_interpreter_is_refused_at_install() -> None:
    m = Machine()
    with pytest.raises(InvalidArgument, match="format must be one of"):
        m.install("/bin/a", image="64 KiB", format="coff")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="interpreter is an absolute path"):
        m.install("/bin/b", image="64 KiB", interpreter="sh")
    assert "/bin/a" not in m.programs and "/bin/b" not in m.programs
