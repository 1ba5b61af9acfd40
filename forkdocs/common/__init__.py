"""What every layer of the simulation uses, and which imports nothing else of it.

- [`errors`][forkdocs.common.errors]: the forkdocs errors, each an errno a system call returns;
- [`units`][forkdocs.common.units]: sizes (``"8 MiB"``) and addresses, read and written;
- [`trace`][forkdocs.common.trace]: the events the machine records, as data;
- [`stats`][forkdocs.common.stats]: counters of what process creation cost (copies, faults,
  page tables);
- [`guard`][forkdocs.common.guard]: argument types checked at every public function.
"""
