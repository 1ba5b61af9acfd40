"""Where the harness keeps what it can compute again: one folder per kind, named by an
environment variable or under the system's temporary directory, per user.

Entries hold code (compiled blocks, pickled settings), so a folder under the shared temporary
directory is used only if it is this user's own and nobody else may write to it; otherwise
(someone else made it first) the run uses a new private folder of its own instead.

Entries are written under a temporary name and renamed into place, so parallel workers never
read half an entry; an entry that cannot be written only makes the next run slower.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def cache_dir(kind: str, variable: str) -> Path:
    """The folder of one kind of cache: ``$variable`` if set, else
    ``<temporary directory>/forkdocs-<kind>-<uid>``."""
    return _folder(kind, os.environ.get(variable, ""))


@functools.lru_cache(maxsize=16)
def _folder(kind: str, configured: str) -> Path:
    if configured:
        return Path(configured)
    folder = Path(tempfile.gettempdir()) / f"forkdocs-{kind}-{os.getuid()}"
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, exist_ok=True)
        if is_private(folder):
            return folder
    return Path(tempfile.mkdtemp(prefix=f"forkdocs-{kind}-"))


def is_private(folder: Path) -> bool:
    """True for a real folder (not a link) of this user that no one else may write to."""
    status = folder.lstat()
    return (
        stat.S_ISDIR(status.st_mode)
        and status.st_uid == os.getuid()
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


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


def kept_json(entry: Path, compute: Callable[[], Any], read: Callable[[Any], T]) -> T:
    """``read()`` of the JSON value kept in ``entry``; when there is none, or ``read`` refuses
    it (``TypeError`` or ``ValueError``: an entry of another shape), of ``compute()``'s
    value, which is then kept."""
    try:
        return read(json.loads(entry.read_bytes()))
    except (OSError, ValueError, TypeError):
        pass
    value = compute()
    write_quietly(entry, json.dumps(value).encode())
    return read(value)


@functools.cache
def code_stamp() -> bytes:
    """What a cached result depends on in the code that computes it: the Python version, and
    the name, size and modification time of every module of the harness (as Python's own
    bytecode cache judges a source file changed), computed once per process."""
    harness = Path(__file__).resolve().parents[1]
    parts = [sys.version]
    for folder, _, files in sorted(os.walk(harness)):
        for name in sorted(files):
            if name.endswith(".py"):
                status = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name}:{status.st_size}:{status.st_mtime_ns}")
    return "\0".join(parts).encode()


@functools.cache
def package_stamp(name: str) -> bytes:
    """Which installation of the package ``name`` there is (its location and when it was
    installed), found without importing it; empty when it is not installed."""
    spec = importlib.util.find_spec(name)
    origin = spec.origin if spec is not None and spec.origin else ""
    stamp = os.stat(origin).st_mtime_ns if origin and os.path.exists(origin) else 0
    return f"{name}:{origin}:{stamp}".encode()
