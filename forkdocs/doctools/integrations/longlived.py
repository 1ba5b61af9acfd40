"""Objects that live as long as the test process, kept out of the garbage collector's work.

Python's cyclic garbage collector walks the objects of its oldest generation again whenever
enough new ones were allocated, and once more at interpreter exit. A harness run keeps
everything it collects (modules, parsed pages, items) until the process ends, so walking them
finds nothing to free: [`freeze_long_lived`][forkdocs.doctools.integrations.longlived.freeze_long_lived]
moves them out of its reach (``gc.freeze()``, which the standard library documents for
objects that live as long as the process).
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Move every object alive now out of the garbage collector's reach.

    Called when the plugin is configured (the modules pytest and the harness imported), after
    each page is collected (its parsed blocks and items) and after collection: objects that
    live until the process ends anyway. The collector then stops walking them again and again
    as the run allocates (about 11 ms of 1,200 examples' collection here, and as much at
    interpreter exit); an example's own objects are collected as usual (``gc.collect()`` in
    an example still finds the cycles it made). They are not unfrozen at the session's end:
    that would give the exit's last collection all of them to walk.
    """
    gc.freeze()
