"""Figure of docs/vfork/why-wait.md's own scene: the parent's stack words after its
vforked child's calls, the return slot's old value beside the new (the page's ``shell``,
``spawner``, ``pid_at``, ``saved`` and ``now``)."""

from forkdocs.draw.stack import snapshot, stacks


def draw(page) -> str:
    shell, spawner, saved = page["shell"], page["spawner"], page["saved"]
    low, high = spawner.top - 16, shell.stack_frames[0].top  # two words below spawner()
    now = snapshot(shell, low, high, "the parent's stack now")
    return stacks(
        shell,
        [now],
        marks={spawner.return_slot: "return address", page["pid_at"]: "pid"},
        was={spawner.return_slot: saved},
        title="The child's calls land on the parent's return address",
        desc=(
            "The parent's stack words after its vforked child returned from "
            "spawner() and made its calls: the word that held spawner()'s return "
            f"address ({saved:#x}) now holds {page['now']:#x}, an address in the "
            "child's path."
        ),
    )
