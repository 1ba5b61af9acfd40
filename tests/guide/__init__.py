"""Tests of the pages, the README and the package as published: layout, numbers in prose,
imported names, node ids, sources and the built archives."""
