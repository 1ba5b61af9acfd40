"""``python -m forkdocs.doctools.run.nommu [TARGET...]``: build (or find) the no-MMU kernels."""

from __future__ import annotations

import sys
import time

from forkdocs.doctools.run.cprograms import required
from forkdocs.doctools.run.nommu.kernel import MissingTools, kernel
from forkdocs.doctools.run.nommu.targets import TARGETS


def main(argv: list[str]) -> int:
    """Build (or find) the kernel of each named target (default: all). Without the
    packages it says which to install and exits 0, or 1 when ``FORKDOCS_REALITY=required``."""
    for name in argv or list(TARGETS):
        if name not in TARGETS:
            print(f"nommu: no target {name!r}; the targets are {', '.join(TARGETS)}")
            return 2
        try:
            started = time.monotonic()
            path = kernel(TARGETS[name])
        except MissingTools as error:
            print(f"nommu: {error}")
            return 1 if required() else 0
        print(f"nommu: {name}: {path} ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
