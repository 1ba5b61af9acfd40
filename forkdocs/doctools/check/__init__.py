"""The harness's third stage: the run checked against what the site shows.

- [`rendered`][forkdocs.doctools.check.rendered]: the code blocks of a page as the site renders them;
- [`crosscheck`][forkdocs.doctools.check.crosscheck]: the blocks run are the Python blocks shown;
- [`inventory`][forkdocs.doctools.check.inventory]: every block of every page accounted for.
"""
