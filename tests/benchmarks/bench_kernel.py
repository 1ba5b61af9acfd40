"""Benchmark: real fork, vfork and posix_spawn times on this machine's kernel.

Run with ``make bench-kernel`` (``make bench`` runs every benchmark). It builds
``snippets/c/fork_time.c``, which times each call for parents holding 0, 64, 256 MiB and
1 GiB of written memory, with 4 KiB pages and again with transparent huge pages, each call
in turn so that noise hits them alike; then it writes the medians and minimums, with the
machine, kernel, C library and date, to ``snippets/data/fork_times.json``, which the page
"What fork costs" shows. The file is replaced atomically.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
from pathlib import Path

from forkdocs.doctools.run.cprograms import build, run
from forkdocs.doctools.run.update import write_atomically

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "snippets" / "data" / "fork_times.json"
RUNS = 20


def measure(mode: str) -> list[dict[str, object]]:
    """The rows fork_time.c prints for ``mode`` ("4k" or "thp"), parsed."""
    source = (ROOT / "snippets" / "c" / "fork_time.c").read_text()
    binary = build(source, "fork_time", ("-O2",), origin="snippets/c/fork_time.c")
    args = [str(RUNS)] + (["thp"] if mode == "thp" else [])
    finished = run(binary, args, timeout=600)
    assert finished.returncode == 0, finished.output
    rows: list[dict[str, object]] = []
    for line in finished.output.splitlines():
        if "call=" not in line:
            continue
        fields = dict(re.findall(r"(\w+)=(\S+)", line))
        rows.append(
            {
                "pages": mode,
                "size_mib": int(fields["size_mib"]),
                "call": fields["call"],
                **{
                    key: float(value)
                    for key, value in fields.items()
                    if key.endswith(("_median", "_min"))
                },
                "runs": int(fields["runs"]),
            }
        )
    return rows


def test_kernel_fork_times() -> None:
    rows = measure("4k") + measure("thp")
    libc = " ".join(platform.libc_ver())
    data = {
        "what": "microseconds for the parent: return = until the call returns in the parent;"
        " roundtrip = until waitpid returns (the child execs /bin/true)",
        "command": "make bench-kernel",
        "machine": platform.machine(),
        "kernel": platform.release(),
        "libc": libc,
        "cpus": os.cpu_count(),
        "date": datetime.date.today().isoformat(),
        "runs": RUNS,
        "rows": rows,
    }
    write_atomically(DATA, json.dumps(data, indent=1) + "\n")
    by = {(r["pages"], r["size_mib"], r["call"]): r for r in rows}
    print(f"\nwritten {DATA.relative_to(ROOT)} ({len(rows)} rows)")
    for size in (0, 64, 256, 1024):
        cells = [
            f"{by['4k', size, call]['return_us_min']:>9.0f}"
            for call in ("fork", "vfork", "posix_spawn")
        ]
        print(f"{size:>5} MiB  fork/vfork/posix_spawn min us: {' '.join(cells)}")
    # the claim the page makes: fork grows with the parent, vfork and posix_spawn do not
    assert by["4k", 1024, "fork"]["return_us_min"] > 10 * by["4k", 1024, "vfork"]["return_us_min"]
