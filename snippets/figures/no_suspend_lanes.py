"""Figure: a vfork that does not suspend the parent (a hypothetical): both processes
run, and the parent's store of the shared pid variable comes second and wins
(docs/vfork/why-wait.md)."""

from forkdocs import Machine
from forkdocs.draw.timeline import lanes
from forkdocs.userland import callstack


def scene():
    m = Machine(mmu="none", ram="8 MiB")
    shell = m.start("/bin/sh", image="64 KiB")
    m.install("/bin/ls", image="64 KiB")
    callstack.call(shell, "main")
    frame = callstack.call(shell, "spawner", locals=("pid",))
    mark = len(m.trace)
    child = m.vfork(shell, pid_at=frame.address_of("pid"), suspend=False, first="child")
    return m, shell, child, list(m.trace)[mark:], frame.address_of("pid")


def figure() -> str:
    _m, shell, child, events, pid_at = scene()
    return lanes(
        events,
        {shell.pid: f"parent {shell.pid}", child.pid: f"child {child.pid}"},
        title="Without the wait, the second store wins",
        desc=(
            f"Both processes return from vfork at once; the child stores 0, then the "
            "parent"
            f" stores {child.pid}, so the child reads {child.read_word(pid_at)} and "
            "takes the"
            " parent's branch."
        ),
    )


if __name__ == "__main__":
    print(figure())
