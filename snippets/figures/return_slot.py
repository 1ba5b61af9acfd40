"""Figure: the parent's stack before and after its vforked child returned from spawner()
and called helper(42) and _exit(0): the child's calls overwrote spawner()'s saved return
address (x86-64, no frame pointer; docs/vfork/why-wait.md)."""

from forkdocs import Machine
from forkdocs.draw.stack import snapshot, stacks
from forkdocs.userland import callstack


def scene():
    m = Machine(mmu="none", ram="8 MiB")
    shell = m.start("/bin/sh", image="64 KiB")
    callstack.call(shell, "main")
    spawner = callstack.call(shell, "spawner", locals=("pid",))
    low, high = spawner.top - 16, shell.stack_frames[0].top
    before = snapshot(shell, low, high, "parent, in spawner()")
    child = m.vfork(shell, pid_at=spawner.address_of("pid"))
    callstack.ret(child)
    callstack.call(child, "helper", args=(42,))
    callstack.ret(child)
    callstack.call_through_lazy_plt(child, "_exit", 0)
    after = snapshot(child, low, high, "after the child's calls")  # shared memory
    m._exit(child, 0)
    return m, shell, spawner, (before, after)


def figure() -> str:
    _m, shell, spawner, snapshots = scene()
    return stacks(
        shell,
        snapshots,
        marks={
            spawner.return_slot: "spawner's return address",
            spawner.address_of("pid"): "spawner's pid",
        },
        title="The child's calls land on the parent's return address",
        desc=(
            "Stack words of the parent before and after its vforked child returned from"
            " spawner() and called helper(42) and _exit(0); the word that held "
            "spawner()'s"
            " return address now holds an address in the child's path."
        ),
    )


if __name__ == "__main__":
    print(figure())
