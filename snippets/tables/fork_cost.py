"""Table: peak memory rise and pages copied when a parent forks (or vforks) a child that
execs /bin/true, by MMU and parent size (docs/explanation/fork-cost.md)."""

# --8<-- [start:measure]
from forkdocs import Machine, NotSupported


def peak_and_copies(mmu, parent, call):
    """KiB above the starting use at the peak, and pages copied (None: no such call)."""
    m = Machine(mmu=mmu, ram="64 MiB")
    shell = m.start("/bin/sh", image=parent)
    m.install("/bin/true", image="20 KiB")
    m.mark()
    baseline = m.memory_use().used
    try:
        child = getattr(m, call)(shell)
    except NotSupported:
        return None
    child.write_word(child.stack, 0)  # pid = fork(): the child stores its return value
    m.execve(child, "/bin/true")
    m._exit(child, 0)
    m.waitpid(shell)
    return (m.memory_use().peak - baseline) * m.page_size // 1024, m.stats.pages_copied


def fork_then_exec(mmu, parent, call):
    """One cell of the table: "peak rise / pages copied", or ENOSYS."""
    found = peak_and_copies(mmu, parent, call)
    return "ENOSYS" if found is None else f"{found[0]} KiB / {found[1]}"


# --8<-- [end:measure]
COLUMNS = (
    ("paging", "fork"),
    ("base+length", "fork"),
    ("none", "fork"),
    ("paging", "vfork"),
    ("base+length", "vfork"),
    ("none", "vfork"),
)
SIZES = ("1 MiB", "4 MiB", "16 MiB")


def markdown() -> str:
    """The table in Markdown: one row per MMU and call, one column per parent size (four
    columns, so it fits a phone)."""
    names = {"paging": "paging", "base+length": "base+length", "none": "no MMU"}
    lines = [
        "| call, MMU | " + " | ".join(f"parent {size}" for size in SIZES) + " |",
        "|---" + "|--:" * len(SIZES) + "|",
    ]
    for mmu, call in COLUMNS:
        cells = [fork_then_exec(mmu, size, call) for size in SIZES]
        lines.append(f"| {call}, {names[mmu]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
