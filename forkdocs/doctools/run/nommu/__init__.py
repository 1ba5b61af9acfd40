"""Examples run on a real Linux built without an MMU, under QEMU.

``targets`` names the machines, ``kernel`` builds and keeps each one's kernel, ``program``
cross-compiles an example and ``bflt`` converts it to the format the kernel loads,
``initramfs`` packs it as ``/init`` and ``boot`` starts QEMU and reads the console. A page
runs one with ``<!-- run-c: VM=riscv64-nommu -Os -->`` above its ``c`` fence; the no-MMU
suite (``tests/nommu/``) runs the same programs and compares them with the model.
"""

from forkdocs.doctools.run.nommu.boot import boot
from forkdocs.doctools.run.nommu.kernel import MissingTools, kernel, need_tools
from forkdocs.doctools.run.nommu.program import Built, build_program
from forkdocs.doctools.run.nommu.targets import TARGETS, Target

__all__ = [
    "TARGETS",
    "Built",
    "MissingTools",
    "Target",
    "boot",
    "build_program",
    "kernel",
    "need_tools",
]
