"""Figure of docs/tutorial/first-fork.md's own scene: the page's trace as two lanes (the
page's ``m``, ``shell`` and ``child``)."""

from forkdocs.draw.timeline import lanes


def draw(page) -> str:
    m, shell, child = page["m"], page["shell"], page["child"]
    kinds = [e.kind for e in m.trace if e.pid in (shell.pid, child.pid)]
    return lanes(
        m.trace,
        {shell.pid: f"shell {shell.pid}", child.pid: f"child {child.pid}"},
        title="The first fork, as two lanes",
        desc=(
            f"The shell (pid {shell.pid}) and its child (pid {child.pid}), event by "
            f"event as the page's trace records them: {', '.join(kinds)}."
        ),
    )
