"""Figure of docs/vfork/why-wait.md's own scene: a vfork that does not suspend the
parent, as lanes (the page's last ``m``, ``shell``, ``child`` and ``pid_at``)."""

from forkdocs.draw.timeline import lanes


def draw(page) -> str:
    m, shell, child, pid_at = page["m"], page["shell"], page["child"], page["pid_at"]
    stores = [e for e in m.trace if e.kind == "store"]
    last = stores[-1]
    loser = shell if last.pid == child.pid else child
    return lanes(
        m.trace,
        {shell.pid: f"parent {shell.pid}", child.pid: f"child {child.pid}"},
        title="Without the wait, the second store wins",
        desc=(
            f"Both processes return from vfork at once; pid {last.pid} stores "
            f"{last.detail['value']} last, so pid {loser.pid} reads "
            f"{loser.read_word(pid_at)} as well and takes the wrong branch."
        ),
    )
