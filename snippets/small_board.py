"""The small board: a process using two thirds of RAM runs a 64 KiB helper.

Included by docs/explanation/fork-cost.md; also runs on its own, with forkdocs
installed:
``.venv/bin/python snippets/small_board.py``.
"""

# --8<-- [start:helper]
from forkdocs import Machine, OutOfMemory


def run_helper(mmu: str, call: str) -> str:
    """What happens when a 4 MiB process on a 6 MiB board starts /bin/helper."""
    m = Machine(mmu=mmu, ram="6 MiB")
    big = m.start("/bin/big", image="4 MiB")
    m.install("/bin/helper", image="64 KiB")
    try:
        child = getattr(m, call)(big)
    except OutOfMemory:
        return f"{big.errno}, {len(m.children(big))} children"
    m.execve(child, "/bin/helper")
    return "ran"


# --8<-- [end:helper]


# --8<-- [start:outcomes]
assert run_helper("base+length", "fork") == "ENOMEM, 0 children"
assert run_helper("paging", "fork") == "ran"
assert run_helper("base+length", "vfork") == "ran"
assert run_helper("none", "vfork") == "ran"
for mmu, call in [("base+length", "fork"), ("paging", "fork"), ("none", "vfork")]:
    print(f"{call} on {mmu}: {run_helper(mmu, call)}")
# --8<-- [end:outcomes]
