"""The kernel of the simulated machine, one concern per module; [`forkdocs.machine.Machine`][forkdocs.machine.Machine]
puts them together (and adds the C library's functions on top).

- [`table`][forkdocs.kernel.table]: the process table, ownership and "may it act?" checks;
- [`loader`][forkdocs.kernel.loader]: installed programs, loading, commit accounting;
- [`access`][forkdocs.kernel.access]: memory reads and writes through the MMU;
- [`ending`][forkdocs.kernel.ending]: _exit, wait, SIGCHLD, zombies and orphans;
- [`lifecycle`][forkdocs.kernel.lifecycle]: fork, vfork, clone, spawn, exec;
- [`delivery`][forkdocs.kernel.delivery]: signals;
- [`files`][forkdocs.kernel.files]: file descriptors.

Below the kernel is the hardware ([`forkdocs.hardware.runs`][forkdocs.hardware.runs], [`forkdocs.hardware.memory`][forkdocs.hardware.memory],
[`forkdocs.hardware.mmu`][forkdocs.hardware.mmu]); nothing here imports the userland (the C library, call stacks, heaps,
BusyBox, posix_spawn), which ``tests/test_layers.py`` checks.
"""
