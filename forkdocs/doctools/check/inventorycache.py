"""A page's inventory and its cross-check with the site, kept for each content of what they
are made from.

Taking a page's inventory and comparing its blocks with the rendered site (even with the
rendering cached) costs about 0.8 ms a page of 100 blocks here, in every run, for pages that
rarely change between two runs. So its result, the JSON an inventory item reports
([`PageInventory.as_json`][forkdocs.doctools.check.inventory.PageInventory.as_json]), is
kept in ``FORKDOCS_INVENTORY_CACHE`` or a per-user temporary folder
([`cache`][forkdocs.doctools.run.cache]), named by everything it is computed from: the page's
bytes, its expanded text and where each line of it came from (so the included files), the
site's settings, the working folder (messages name pages relative to it), and what the
rendered reference depends on ([`reference_stamp`][forkdocs.doctools.check.rendered.reference_stamp]:
the harness's own code, Python, and the Markdown, pymdownx, Pygments and Sybil installed).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from typing import Any

from forkdocs.doctools.check.rendered import reference_stamp
from forkdocs.doctools.run.cache import cache_dir, kept_json
from forkdocs.doctools.run.document import PageDocument


def kept_inventory(
    document: PageDocument, settings: str, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """The inventory JSON of ``document``, whose site's settings have the digest ``settings``:
    the kept one, or ``compute()``'s (then kept)."""
    digest = hashlib.sha256(reference_stamp())
    for part in (settings, os.getcwd(), document.path, document.text):
        digest.update(b"\0" + part.encode())
    digest.update(b"\0" + document.raw + b"\0")
    digest.update(json.dumps(document.expanded.origins).encode())
    entry = cache_dir("inventory", "FORKDOCS_INVENTORY_CACHE") / f"{digest.hexdigest()[:32]}.json"
    return kept_json(entry, compute, _mapping)


def _mapping(value: Any) -> dict[str, Any]:
    """``value``, which must be a JSON object (a kept entry of another shape is refused)."""
    if not isinstance(value, dict):
        raise TypeError(f"an inventory is a JSON object, not {type(value).__name__}")
    return value
