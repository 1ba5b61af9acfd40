"""The no-MMU machines the examples can boot: for each, the kernel configuration, the cross
compiler, the QEMU command and the Debian packages that provide them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Target:
    """One no-MMU machine.

    ``arch`` and ``defconfig`` configure Linux (``make ARCH=... defconfig``), ``fragment``
    names the file beside this module merged on top, ``image`` is the kernel file QEMU
    boots, ``cross`` the prefix of the cross tools, ``cflags`` what every program is built
    with (freestanding, position-independent by construction), ``qemu`` the machine's
    command line before ``-kernel``, and ``packages`` the Debian packages of all of these.
    ``initramfs`` says how QEMU hands the kernel its initial RAM file system: ``"initrd"``
    (``-initrd``) or ``"uboot"`` (the board ignores ``-initrd``: the archive is loaded into
    RAM at ``INITRD_AT`` and a U-Boot argument block saying where it lies into the boot ROM
    at 0, which a kernel built with ``CONFIG_UBOOT`` reads). ``powers_off`` is False for a
    board QEMU cannot switch off: the boot ends QEMU once the program's end line is out.
    ``model_arch`` is the ``Machine(arch=...)`` that models its system calls.
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
    model_arch: Literal["riscv64", "m68k"]
    initramfs: Literal["initrd", "uboot"] = "initrd"
    powers_off: bool = True

    @property
    def fragment_text(self) -> str:
        """The committed configuration fragment."""
        return (HERE / self.fragment).read_text()

    def shown_boot(self, name: str) -> str:
        """The boot of program ``name`` as a transcript shows it (the essential options)."""
        kernel = self.image.rsplit("/", 1)[-1]
        start = f"{self.qemu[0]} -M {self.qemu[self.qemu.index('-M') + 1]} -kernel {kernel}"
        if self.initramfs == "initrd":
            return f"{start} -initrd {name}.cpio"
        return f"{start} -device loader,file={name}.cpio"  # and a U-Boot block


#: The Debian packages every target needs besides its cross compiler: the kernel source,
#: QEMU, and the kernel build's own tools.
BUILD_PACKAGES = ("linux-source-6.1", "qemu-system-misc", "flex", "bison", "bc", "xz-utils", "make")

#: Where a ``"uboot"`` target's initramfs is loaded: inside the 32 MiB of RAM of QEMU's
#: mcf5208evb board (0x40000000 up), clear of the kernel, which frees it once unpacked.
INITRD_AT = 0x41000000


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
    packages=("gcc-riscv64-linux-gnu", *BUILD_PACKAGES),
    model_arch="riscv64",
)
M68K = Target(
    name="m68k-nommu",
    title="m68k ColdFire without an MMU",
    arch="m68k",
    defconfig="m5208evb_defconfig",
    fragment="m68k.config",
    image="vmlinux",
    cross="m68k-linux-gnu-",
    cflags=("-mcpu=5208", "-mpcrel"),
    qemu=(
        "qemu-system-m68k",
        "-M",
        "mcf5208evb",
        "-cpu",
        "m5208",
        "-nographic",
        "-no-reboot",
        "-monitor",
        "none",
    ),
    packages=("gcc-m68k-linux-gnu", *BUILD_PACKAGES),
    model_arch="m68k",
    initramfs="uboot",
    powers_off=False,
)

TARGETS = {target.name: target for target in (RISCV64, M68K)}
