"""What a child keeps across fork and exec, on the real kernel and in the model (C41, C42):
the shared file offset, close-on-exec, handled/ignored/blocked signals, the directory."""

from __future__ import annotations

from forkdocs import SIGTERM, SIGUSR1, SIGUSR2, Machine

from .conftest import output_of


def model_lines() -> list[str]:
    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="256 KiB")
    m.install("/bin/sh-c", image="64 KiB")
    log = m.open(shell, "log")
    child = m.fork(shell)
    m.write_fd(child, log, b"child\n")
    lines = [f"after the child wrote 6 bytes, the parent's offset is {shell.fds[log].offset}"]
    secret = m.open(shell, "log", cloexec=True)
    child = m.fork(shell)
    m.execve(child, "/bin/sh-c")
    lines += [
        f"after exec, fd {fd} is {'open' if fd in child.fds else 'closed'}" for fd in (log, secret)
    ]
    m.sigaction(shell, SIGUSR1, "handler")
    m.sigaction(shell, SIGUSR2, "ignore")
    m.sigprocmask(shell, "block", {SIGTERM})
    child = m.fork(shell)
    m.execve(child, "/bin/sh-c")

    def says(yes: bool) -> str:
        return "yes" if yes else "no"

    lines.append(
        f"after exec: SIGUSR1 handled {says(child.dispositions.get(SIGUSR1) == 'handler')},"
        f" SIGUSR2 ignored {says(child.dispositions.get(SIGUSR2) == 'ignore')},"
        f" SIGTERM blocked {says(SIGTERM in child.blocked_signals)}"
    )
    m.chdir(shell, "/tmp/inherit")
    child = m.fork(shell)
    m.execve(child, "/bin/sh-c")
    if child.cwd == shell.cwd:
        lines.append("after exec, the working directory is the one the parent chose")
    return lines


def test_the_kernel_and_the_model_keep_the_same_things() -> None:
    assert output_of("inherit") == model_lines()


def test_clone_files_shares_the_table_on_the_kernel_and_in_the_model() -> None:
    """C43: with CLONE_FILES a descriptor the child closes is closed for the parent too."""
    m = Machine(mmu="none", ram="8 MiB")
    shell = m.start("/bin/sh", image="256 KiB")
    lines = []
    for files, label in (("copy", "own table:"), ("share", "CLONE_FILES:")):
        fd = m.open(shell, "/dev/null")
        child = m.clone(shell, stack="new", suspend=True, files=files)
        m.close(child, fd)
        m._exit(child, 0)
        m.waitpid(shell, child.pid)
        state = "still open" if fd in shell.fds else "closed too"
        lines.append(f"{label:<12} the child closed fd {fd}; in the parent it is {state}")
        if fd in shell.fds:
            m.close(shell, fd)
    assert output_of("clone_files") == lines
