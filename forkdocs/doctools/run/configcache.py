"""The site's configuration, read once for each content of its files.

Every harness run reads ``mkdocs.yml``, and reading it needs PyYAML, whose import alone
costs about 11 ms here, more than the reading. So the
[`Reading`][forkdocs.doctools.grammar.siteconfig.Reading] is kept, pickled (its settings
may hold anything YAML makes: dates, ``!relative`` values, objects named by
``!!python/name``, which unpickling imports as reading would), in ``FORKDOCS_CONFIG_CACHE``
or a per-user temporary folder ([`cache`][forkdocs.doctools.run.cache]). An entry is named
by the Python version, the reader's code, the PyYAML installed and the file's path and bytes,
and used only while every file it read and every variable ``!ENV`` consulted are unchanged.
A file with an error is read again each time (errors are never cached); settings that
cannot be pickled are not cached.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import pickle
import sys
from pathlib import Path

from forkdocs.doctools.grammar import siteconfig
from forkdocs.doctools.grammar.siteconfig import Reading, SiteConfig, read
from forkdocs.doctools.run.cache import cache_dir, write_quietly


def load_site(path: Path) -> SiteConfig:
    """[`SiteConfig.load(path)`][forkdocs.doctools.grammar.siteconfig.SiteConfig.load], from
    the cache when it holds a current reading of the file."""
    path = path.resolve()
    try:
        data = path.read_bytes()
    except OSError:
        return SiteConfig.load(path)  # it says what is wrong
    digest = hashlib.sha256(_reader() + str(path).encode() + b"\0" + data).hexdigest()
    entry = cache_dir("config", "FORKDOCS_CONFIG_CACHE") / f"{digest[:32]}.pickle"
    reading = _cached(entry)
    if reading is None or not reading.is_current():
        reading = read(path)
        with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError, RecursionError):
            write_quietly(entry, pickle.dumps(reading))
    return SiteConfig.from_reading(path, reading)


def _cached(entry: Path) -> Reading | None:
    """The reading kept in ``entry``, or None (none, unreadable, or naming what cannot be
    imported any more: the file is then read, and reports it)."""
    try:
        found = pickle.loads(entry.read_bytes())
    except Exception:  # any broken entry is only a miss
        return None
    return found if isinstance(found, Reading) else None


@functools.cache
def _reader() -> bytes:
    """What the reading depends on besides the files: Python, the reader's code, PyYAML."""
    spec = importlib.util.find_spec("yaml")
    origin = spec.origin if spec is not None and spec.origin else ""
    stamp = os.stat(origin).st_mtime_ns if origin else 0
    code = Path(siteconfig.__file__).read_bytes()
    return f"{sys.version}\0{origin}\0{stamp}\0".encode() + code + b"\0"
