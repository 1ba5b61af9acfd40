"""Where the harness keeps what it can compute again: one folder per kind, named by an
environment variable or under the system's temporary directory, per user.

Entries are written under a temporary name and renamed into place, so parallel workers never
read half an entry; an entry that cannot be written only makes the next run slower.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from pathlib import Path


def cache_dir(kind: str, variable: str) -> Path:
    """The folder of one kind of cache: ``$variable`` if set, else
    ``<temporary directory>/forkdocs-<kind>-<uid>``."""
    return _folder(kind, os.environ.get(variable, ""))


@functools.lru_cache(maxsize=16)
def _folder(kind: str, configured: str) -> Path:
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"forkdocs-{kind}-{os.getuid()}"


def write_quietly(path: Path, data: bytes) -> None:
    """Write a cache entry by rename; failing to write is not an error."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
