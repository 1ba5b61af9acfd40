"""Figure of docs/vfork/borrowing.md's own scene: the page's trace from its ``mark`` on,
as lanes (the page's ``m``, ``shell``, ``child`` and ``mark``)."""

from forkdocs.draw.timeline import lanes


def draw(page) -> str:
    m, shell, child = page["m"], page["shell"], page["child"]
    events = list(m.trace)[page["mark"] :]
    return lanes(
        events,
        {shell.pid: f"parent {shell.pid}", child.pid: f"child {child.pid}"},
        title="vfork: the parent waits for the child's exec",
        desc=(
            f"The parent (pid {shell.pid}) vforks and is suspended; its child (pid "
            f"{child.pid}) runs on its memory: "
            + ", ".join(f"{e.kind} by pid {e.pid}" for e in events)
            + "."
        ),
    )
