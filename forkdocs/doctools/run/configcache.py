"""The site's configuration, read once for each content of its files.

Every harness run reads ``mkdocs.yml``, and reading it needs PyYAML, whose import alone
costs about 11 ms here, more than the reading. So the
[`Reading`][forkdocs.doctools.grammar.siteconfig.Reading] is kept, pickled (its settings
may hold anything YAML makes: dates, ``!relative`` values, objects named by
``!!python/name``, which unpickling imports as reading would), in ``FORKDOCS_CONFIG_CACHE``
or a per-user temporary folder ([`cache`][forkdocs.doctools.run.cache]). An entry is named
by the harness's code ([`code_stamp`][forkdocs.doctools.run.cache.code_stamp]), the PyYAML installed and the file's path and bytes,
and used only while every file it read and every variable ``!ENV`` consulted are unchanged.
A file with an error is read again each time (errors are never cached); settings that
cannot be pickled are not cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from pathlib import Path

from forkdocs.doctools.grammar.siteconfig import Reading, SiteConfig, read
from forkdocs.doctools.run.cache import cache_dir, code_stamp, package_stamp, write_quietly


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


def _reader() -> bytes:
    """What the reading depends on besides the files: the harness's code and PyYAML."""
    return code_stamp() + package_stamp("yaml")
