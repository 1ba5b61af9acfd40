"""Three kinds of memory hardware behind one interface, [`AddressSpace`][forkdocs.hardware.mmu.base.AddressSpace], and the view
of a clone(CLONE_VM) child with a stack of its own ([`PrivateStackSpace`][forkdocs.hardware.mmu.private_stack.PrivateStackSpace]).

- [`PagedSpace`][forkdocs.hardware.mmu.paging.PagedSpace] (``"paging"``): a page table per process; fork shares every frame
  copy-on-write and copies a page only when it is written while shared.
- [`RegionSpace`][forkdocs.hardware.mmu.region.RegionSpace] (``"base+length"``): one contiguous physical region per process;
  address ``va`` is ``base + va`` when ``va < length``. fork copies the whole region.
- [`PhysicalSpace`][forkdocs.hardware.mmu.physical.PhysicalSpace] (``"none"``): no translation; addresses are physical and any process
  can reach any memory. fork is not offered.
"""

from __future__ import annotations

from forkdocs.hardware.mmu.base import (
    MMU_KINDS,
    PTE_BYTES,
    AddressSpace,
    Hardware,
    Mapping,
    MmuKind,
    MmuName,
    UserState,
    mmu_kind,
)
from forkdocs.hardware.mmu.paging import PagedSpace
from forkdocs.hardware.mmu.physical import PhysicalSpace
from forkdocs.hardware.mmu.private_stack import PrivateStackSpace
from forkdocs.hardware.mmu.region import RegionSpace

__all__ = [
    "MMU_KINDS",
    "PTE_BYTES",
    "SPACES",
    "AddressSpace",
    "Hardware",
    "Mapping",
    "MmuKind",
    "MmuName",
    "PagedSpace",
    "PhysicalSpace",
    "PrivateStackSpace",
    "RegionSpace",
    "UserState",
    "mmu_kind",
]

SPACES: dict[str, type[PagedSpace] | type[RegionSpace] | type[PhysicalSpace]] = {
    "paging": PagedSpace,
    "base+length": RegionSpace,
    "none": PhysicalSpace,
}
