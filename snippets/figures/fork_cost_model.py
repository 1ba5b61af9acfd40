"""Figure: how far memory use rises when a parent of each size forks (or vforks) a child
that execs /bin/true, by MMU, in the model (docs/explanation/fork-cost.md)."""

import runpy
from pathlib import Path

from forkdocs.draw.chart import bars

TABLE = runpy.run_path(
    str(Path(__file__).resolve().parent.parent / "tables" / "fork_cost.py")
)
CASES = (
    ("paging", "fork"),
    ("base+length", "fork"),
    ("paging", "vfork"),
    ("none", "vfork"),
)


def scene():
    """series name -> peak rise in KiB for each parent size."""
    measure = TABLE["peak_and_copies"]
    return {
        f"{call}, {'no MMU' if mmu == 'none' else mmu}": [
            measure(mmu, size, call)[0] for size in TABLE["SIZES"]
        ]
        for mmu, call in CASES
    }


def figure() -> str:
    series = scene()
    return bars(
        TABLE["SIZES"],
        series,
        unit="KiB of extra memory at the peak",
        log=True,
        title="Peak memory of fork then exec, by MMU",
        desc="Extra memory at the peak when a parent of 1, 4 or 16 MiB starts"
        " /bin/true: "
        + "; ".join(
            f"{name}: {', '.join(f'{v} KiB' for v in values)}"
            for name, values in series.items()
        )
        + ".",
    )


if __name__ == "__main__":
    print(figure())
