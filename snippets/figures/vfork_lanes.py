"""Figure: vfork on a machine without an MMU, as two lanes: the parent is suspended from
the vfork until the child's exec gives the memory back (docs/vfork/borrowing.md)."""

from forkdocs import Machine
from forkdocs.draw.timeline import lanes
from forkdocs.userland import callstack


def scene():
    m = Machine(mmu="none", ram="8 MiB")
    shell = m.start("/bin/sh", image="1 MiB")
    m.install("/bin/ls", image="64 KiB")
    callstack.call(shell, "main")
    frame = callstack.call(shell, "spawner", locals=("pid",))
    mark = len(m.trace)
    child = m.vfork(shell, pid_at=frame.address_of("pid"))
    m.execve(child, "/bin/ls")
    m._exit(child, 0)
    return m, shell, child, list(m.trace)[mark:]


def figure() -> str:
    _m, shell, child, events = scene()
    return lanes(
        events,
        {shell.pid: f"parent {shell.pid}", child.pid: f"child {child.pid}"},
        title="vfork: the parent waits for the child's exec",
        desc=(
            "The parent vforks and is suspended; the child stores its pid variable, "
            "execs"
            " ls, gives the borrowed memory back and wakes the parent, which stores "
            "its own"
            " return value."
        ),
    )


if __name__ == "__main__":
    print(figure())
