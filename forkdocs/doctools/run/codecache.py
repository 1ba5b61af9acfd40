"""The compiled blocks of one page, kept in one cache entry.

Rewriting a block's asserts as pytest does costs about 0.3 ms, and reading a cache entry
costs about as much as that on some disks (0.14 ms a file was measured here), so a page's
code objects are one entry, read at the page's first block and written back at its end with
just what this run used (an edited page's old blocks drop out). The entry is named by the
Python and pytest versions and the page's path; each code object inside by its file, first
line and text. Entries live in ``FORKDOCS_CODE_CACHE``, or a per-user temporary folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType

from pytest import __version__ as pytest_version

from forkdocs.doctools.run.cache import cache_dir, write_quietly


class CodeBundle:
    """The code objects of the page at ``page``: [`get()`][forkdocs.doctools.run.codecache.CodeBundle.get]
    finds one or makes it, [`save()`][forkdocs.doctools.run.codecache.CodeBundle.save]
    writes back what was used."""

    def __init__(self, page: str) -> None:
        self.page = page
        self._known: dict[str, CodeType] | None = None
        self._used: dict[str, CodeType] = {}

    def get(
        self, filename: str, first_line: int, code: str, make: Callable[[], CodeType]
    ) -> CodeType:
        """The code object for ``code`` at ``filename:first_line``, made by ``make()`` when
        the cache does not hold it."""
        key = hashlib.sha256(f"{filename}\0{first_line}\0{code}".encode()).hexdigest()[:32]
        found = self._used.get(key) or self._entries().get(key)
        if found is None:
            found = make()
        self._used[key] = found
        return found

    def save(self) -> None:
        """Write back the code objects this run used, if they differ from what was read."""
        if self._used and self._used.keys() != self._entries().keys():
            write_quietly(self._path(), marshal.dumps(self._used))

    def _entries(self) -> dict[str, CodeType]:
        if self._known is None:
            self._known = {}
            with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
                loaded = marshal.loads(self._path().read_bytes())
                if isinstance(loaded, dict):
                    self._known = loaded
        return self._known

    def _path(self) -> Path:
        key = hashlib.sha256(f"{sys.version}\0{pytest_version}\0{self.page}".encode())
        return cache_dir("code", "FORKDOCS_CODE_CACHE") / f"{key.hexdigest()[:32]}.marshal"
