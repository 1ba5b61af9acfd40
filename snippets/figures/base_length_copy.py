"""Figure: fork on a base+length MMU copies the whole process into one new contiguous
region (docs/explanation/base-length.md)."""

from forkdocs import Machine
from forkdocs.draw.memory import physical_memory


def scene():
    m = Machine(mmu="base+length", ram="4 MiB")
    shell = m.start("/bin/sh", image="1 MiB")
    child = m.fork(shell)
    return m, shell, child


def figure() -> str:
    m, shell, child = scene()
    return physical_memory(
        m,
        title="fork with a base+length MMU: a full copy",
        desc=(
            f"Physical memory after the fork: the parent's region (pid {shell.pid}) "
            "and a"
            f" copy of the same size for the child (pid {child.pid}), each in one "
            "piece."
        ),
    )


if __name__ == "__main__":
    print(figure())
