"""The hardware of the simulated machine: physical memory and the MMU that maps it.

- [`memory`][forkdocs.hardware.memory]: physical memory, in frames;
- [`runs`][forkdocs.hardware.runs]: run-length maps (page tables, reference counts and the
  free list are mostly long runs);
- [`segments`][forkdocs.hardware.segments]: where a loaded image's segments are;
- [`mmu`][forkdocs.hardware.mmu]: the three kinds of MMU behind one address-space interface.

It imports only [`forkdocs.common`][forkdocs.common]; the kernel above it decides what is mapped.
"""
