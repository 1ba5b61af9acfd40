"""Figure: the tutorial's shell forks, the child execs ls and exits, and the shell reaps
it (docs/tutorial/first-fork.md)."""

from forkdocs import Machine
from forkdocs.draw.timeline import lanes


def scene():
    m = Machine(mmu="paging", ram="8 MiB")
    shell = m.start("/bin/sh", image="64 KiB")
    m.install("/bin/ls", image="64 KiB")
    mark = len(m.trace)
    child = m.fork(shell)
    m.execve(child, "/bin/ls")
    m._exit(child, 0)
    m.waitpid(shell)
    return m, shell, child, list(m.trace)[mark:]


def figure() -> str:
    _m, shell, child, events = scene()
    return lanes(
        events,
        {shell.pid: f"shell {shell.pid}", child.pid: f"child {child.pid}"},
        title="fork, exec, exit, wait",
        desc=(
            f"The shell (pid {shell.pid}) forks; the child (pid {child.pid}) execs ls "
            "and"
            " exits with status 0; the shell keeps running, and reaps it with waitpid."
        ),
    )


if __name__ == "__main__":
    print(figure())
