"""Out of memory with memory free, without an MMU (C53): every allocation is one
run of physical memory, so a machine whose free memory is scattered refuses a block far
smaller than what is free in all."""

from __future__ import annotations

from forkdocs.doctools.run.nommu import Target

from .conftest import reported
from .model import machine, result, yes


def model_fragmentation(target: Target) -> dict[str, str]:
    """Memory full of 256 KiB blocks (processes whose writable image is one such run, as
    mmap's is), every other one freed: plenty free in all, no room for 1 MiB."""
    m, _ = machine(target.model_arch, ram="12 MiB")  # 64 processes at most: fewer blocks than that
    m.install("/bin/block", text="4 KiB", data="252 KiB", stack="4 KiB", format="flat")
    m.install("/bin/big", text="4 KiB", data="1020 KiB", stack="4 KiB", format="flat")
    blocks = []
    refused = ""
    while not refused:
        refused = result(lambda: blocks.append(m.start("/bin/block")))
        refused = refused if refused.startswith("-1") else ""
    lines = {"the next 256 KiB block, once memory is full": refused}
    for block in blocks[::2]:
        m.kill(block, 9)
    use = m.memory_use()
    free = (use.total - use.used) * use.page_size
    lines["after freeing every other block, over 4 MiB is free in all"] = yes(
        free > 4 * 1024 * 1024
    )
    lines["a 1 MiB block"] = result(lambda: m.start("/bin/big") and 0)
    lines["a 256 KiB block"] = result(lambda: m.start("/bin/block") and 0)
    return lines


def test_out_of_memory_with_memory_free(target: Target) -> None:
    assert model_fragmentation(target) == reported("fragmentation", target)
