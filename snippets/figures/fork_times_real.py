"""Figure: real times of fork, vfork and posix_spawn on this project's machine, read
from snippets/data/fork_times.json (made by `make bench-kernel`; docs/explanation/fork-
cost.md)."""

import json
from pathlib import Path

from forkdocs.draw.chart import bars

DATA = Path(__file__).resolve().parent.parent / "data" / "fork_times.json"


def scene():
    return json.loads(DATA.read_text())


def figure() -> str:
    data = scene()
    rows = [r for r in data["rows"] if r["pages"] == "4k"]
    sizes = sorted({r["size_mib"] for r in rows})
    calls = [
        c for c in ("fork", "vfork", "posix_spawn") if any(r["call"] == c for r in rows)
    ]
    value = {(r["call"], r["size_mib"]): r["return_us_min"] for r in rows}
    series = {call: [value.get((call, size)) for size in sizes] for call in calls}
    return bars(
        [f"{size} MiB" for size in sizes],
        series,
        unit="microseconds until the call returns in the parent (fastest run)",
        log=True,
        title="Real fork, vfork and posix_spawn times"
        f" ({data['kernel']}, {data['libc']})",
        desc=f"Fastest of {data['runs']} runs on {data['machine']}"
        f" with {data['cpus']} CPUs, by"
        " the size of the parent's touched memory: "
        + "; ".join(
            f"{call}: {', '.join(f'{v:g} us' for v in vals if v is not None)}"
            for call, vals in series.items()
        )
        + ".",
    )


if __name__ == "__main__":
    print(figure())
