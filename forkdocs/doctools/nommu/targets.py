"""The no-MMU machines the examples can boot: for each, the kernel configuration, the cross
compiler, the QEMU command and the Debian packages that provide them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Target:
    """One no-MMU machine.

    ``arch`` and ``defconfig`` configure Linux (``make ARCH=... defconfig``), ``fragment``
    names the file beside this module merged on top, ``image`` is the kernel file QEMU
    boots, ``cross`` the prefix of the cross tools, ``cflags`` what every program is built
    with (freestanding, position-independent by construction), ``qemu`` the machine's
    command line before ``-kernel`` and ``-initrd``, and ``packages`` the Debian packages
    of all of these.
    """

    name: str
    title: str
    arch: str
    defconfig: str
    fragment: str
    image: str
    cross: str
    cflags: tuple[str, ...]
    qemu: tuple[str, ...]
    packages: tuple[str, ...]

    @property
    def fragment_text(self) -> str:
        """The committed configuration fragment."""
        return (HERE / self.fragment).read_text()


#: Flags every no-MMU program is built with, after cprograms' BASE_FLAGS and before the
#: target's and the page's own.
COMMON_CFLAGS = (
    "-ffreestanding",
    "-fno-builtin",
    "-fno-pic",
    "-fno-pie",
    "-no-pie",
    "-fno-jump-tables",
    "-fno-asynchronous-unwind-tables",
    "-nostdlib",
    "-static",
    "-Wl,-q",  # keep the relocations, so the converter can refuse absolute ones
    "-Wl,--build-id=none",
    "-Wl,--no-warn-rwx-segments",
)

RISCV64 = Target(
    name="riscv64-nommu",
    title="RISC-V 64 without an MMU",
    arch="riscv",
    defconfig="nommu_virt_defconfig",
    fragment="riscv64.config",
    image="arch/riscv/boot/Image",
    cross="riscv64-linux-gnu-",
    cflags=("-mcmodel=medany", "-mno-relax", "-Wl,--no-relax"),
    qemu=(
        "qemu-system-riscv64",
        "-M",
        "virt",
        "-bios",
        "none",
        "-m",
        "128M",
        "-smp",
        "1",
        "-nographic",
        "-no-reboot",
        "-monitor",
        "none",
    ),
    packages=(
        "linux-source-6.1",
        "gcc-riscv64-linux-gnu",
        "qemu-system-misc",
        "flex",
        "bison",
        "bc",
        "xz-utils",
        "make",
    ),
)

TARGETS = {target.name: target for target in (RISCV64,)}
