"""The kernel of the simulated machine, one concern per module; :class:`forkdocs.machine.Machine`
puts them together (and adds the C library's functions on top).

- :mod:`~forkdocs.kernel.table`: the process table, ownership and "may it act?" checks;
- :mod:`~forkdocs.kernel.loader`: installed programs, loading, commit accounting;
- :mod:`~forkdocs.kernel.access`: memory reads and writes through the MMU;
- :mod:`~forkdocs.kernel.lifecycle`: fork, vfork, clone, exec, _exit, wait;
- :mod:`~forkdocs.kernel.delivery`: signals;
- :mod:`~forkdocs.kernel.files`: file descriptors.

Below the kernel is the hardware (:mod:`forkdocs.runs`, :mod:`forkdocs.memory`,
:mod:`forkdocs.mmu`); nothing here imports the userland (the C library, call stacks, heaps,
BusyBox, posix_spawn), which ``tests/test_layers.py`` checks.
"""
