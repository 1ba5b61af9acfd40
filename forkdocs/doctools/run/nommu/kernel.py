"""A no-MMU Linux kernel built once from Debian's packaged source and kept.

The kernel is the target's defconfig with the committed fragment merged on top, built from
``/usr/src/linux-source-*.tar.xz`` by the target's cross compiler. It is kept under
``FORKDOCS_NOMMU_CACHE`` (default ``~/.cache/forkdocs/nommu``), named by the target and a hash of the
source package, the fragment, the target and the compiler, so that a second run boots in a
second and any change to one of them builds anew. Parallel workers wait on a lock file
rather than build twice; the source is unpacked in a temporary folder that goes with the
build, and the kernel is renamed into place only once whole.

``python -m forkdocs.doctools.run.nommu [TARGET]`` builds it with progress (``make
nommu-kernel``).
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from forkdocs.doctools.run.cprograms import CProgramError, compiler
from forkdocs.doctools.run.nommu.targets import Target

Progress = Callable[[str], None]


class MissingTools(CProgramError):
    """The packages a no-MMU run needs are not installed; the message names them."""


def cache_root() -> Path:
    """Where built kernels are kept."""
    configured = os.environ.get("FORKDOCS_NOMMU_CACHE", "")
    return Path(configured) if configured else Path.home() / ".cache" / "forkdocs" / "nommu"


def source_tarball() -> Path | None:
    """Debian's packaged Linux source (``linux-source-X.Y``), the newest if several."""
    found = sorted(Path("/usr/src").glob("linux-source-*.tar.xz"))
    return found[-1] if found else None


def missing_packages(target: Target) -> list[str]:
    """The Debian packages of ``target`` whose tools are not on this machine."""
    tools = {
        f"{target.cross}gcc": f"gcc-{target.cross.rstrip('-')}",
        target.qemu[0]: "qemu-system-misc",
        "flex": "flex",
        "bison": "bison",
        "bc": "bc",
        "make": "make",
        "xz": "xz-utils",
    }
    missing = [package for tool, package in tools.items() if shutil.which(tool) is None]
    if source_tarball() is None:
        missing.insert(0, "linux-source-6.1")
    return missing


def need_tools(target: Target) -> None:
    """MissingTools naming the packages to install, unless all of them are here."""
    missing = missing_packages(target)
    if missing:
        raise MissingTools(
            f"the {target.title} examples need Debian packages that are not installed:"
            f" apt-get install {' '.join(missing)} (or make nommu-install)"
        )


def _package_version(tarball: Path) -> str:
    """The source package's version (dpkg's), or the tarball's size where dpkg is absent."""
    package = tarball.name.removesuffix(".tar.xz")
    try:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", package],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        done = None
    if done is not None and done.returncode == 0 and done.stdout:
        return f"{package} {done.stdout}"
    return f"{package} {tarball.stat().st_size}"


@functools.cache  # asked at every boot; it runs dpkg-query and the compiler
def kernel_key(target: Target) -> str:
    """What names a built kernel: the source package, the fragment, the target, the compiler."""
    tarball = source_tarball()
    found = compiler(f"{target.cross}gcc")
    if tarball is None or found is None:
        need_tools(target)
        raise AssertionError("need_tools raises when a tool is missing")  # pragma: no cover
    parts = [
        target.name,
        target.defconfig,
        target.fragment_text,
        _package_version(tarball),
        found[1],
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def kernel(target: Target, progress: Progress | None = None) -> Path:
    """The kernel image of ``target``, built first if it is not kept yet."""
    need_tools(target)
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    image = root / f"{target.name}-{kernel_key(target)}.{target.image.rsplit('/', 1)[-1]}"
    if image.exists():
        return image
    with open(root / f"{image.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building it right now
        if not image.exists():
            _build(target, image, progress or _to_stderr)
    return image


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _build(target: Target, image: Path, progress: Progress) -> None:
    tarball = source_tarball()
    assert tarball is not None, "need_tools checked it"
    started = time.monotonic()

    def say(what: str) -> None:
        progress(f"nommu: {what} ({time.monotonic() - started:.0f} s)")

    make = ["make", f"ARCH={target.arch}", f"CROSS_COMPILE={target.cross}"]
    with tempfile.TemporaryDirectory(dir=image.parent, prefix=f"{target.name}-build-") as work:
        say(f"unpacking {tarball}")
        subprocess.run(["tar", "xJf", str(tarball), "-C", work], check=True)
        source = next(path for path in Path(work).iterdir() if path.is_dir())
        out = Path(work) / "out"
        _make(source, [*make, f"O={out}", target.defconfig], say)
        with open(out / ".config", "a") as config:
            config.write("\n" + target.fragment_text)
        _make(source, [*make, f"O={out}", "olddefconfig"], say)
        _check_fragment(target, (out / ".config").read_text())
        jobs = str(os.cpu_count() or 1)
        say(f"building Linux for {target.title} on {jobs} cores (about 2 minutes on 2)")
        _make(source, [*make, f"O={out}", f"-j{jobs}", target.image.rsplit("/", 1)[-1]], say)
        partial = image.with_suffix(".partial")
        shutil.copyfile(out / target.image, partial)
        os.replace(partial, image)
        say(f"kernel ready: {image}")


def _make(source: Path, command: list[str], say: Progress) -> None:
    """Run ``command`` in ``source``, saying every 200 lines how far it got; on failure the
    end of its output is in the error."""
    lines: list[str] = []
    with subprocess.Popen(
        command, cwd=source, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as running:
        assert running.stdout is not None
        for line in running.stdout:
            lines.append(line.rstrip())
            if len(lines) % 200 == 0:
                say(f"{len(lines)} build steps, now {line.strip()}")
    if running.returncode:
        tail = "\n".join(lines[-30:])
        raise CProgramError(f"{' '.join(command)} failed ({running.returncode}):\n{tail}")


def _check_fragment(target: Target, config: str) -> None:
    """Every ``CONFIG_X=...`` line of the fragment made it into the final configuration (an
    option whose dependencies are missing is dropped by Kconfig without a word)."""
    have = set(config.splitlines())
    lost = [
        line
        for line in target.fragment_text.splitlines()
        if line.startswith("CONFIG_") and line not in have
    ]
    if lost:
        raise CProgramError(
            f"{target.fragment}: Kconfig dropped {', '.join(lost)} (a dependency is not set)"
        )
