"""The harness's second stage: running a page's examples.

- [`document`][forkdocs.doctools.run.document]: a page with its snippets expanded and lines traced;
- [`session`][forkdocs.doctools.run.session]: one harness run's settings;
- [`parsers`][forkdocs.doctools.run.parsers]: the Sybil parser of a page, from the classifier;
- one module per evaluator: [`python`][forkdocs.doctools.run.python] (Python blocks),
  [`pycon`][forkdocs.doctools.run.pycon] (``>>>`` examples), [`scripts`][forkdocs.doctools.run.scripts]
  (figure and table scripts), [`cevaluator`][forkdocs.doctools.run.cevaluator] (C programs),
  [`exercise`][forkdocs.doctools.run.exercise] (an exercise, tried three ways);
  and what they share: [`compiling`][forkdocs.doctools.run.compiling] and
  [`output`][forkdocs.doctools.run.output];
- [`failclosed`][forkdocs.doctools.run.failclosed]: an example cannot end the run green, escape or hang it;
- [`pagestate`][forkdocs.doctools.run.pagestate]: one page cannot change a later page's verdict;
- [`pagerun`][forkdocs.doctools.run.pagerun]: a page run outside pytest (in the browser); standard library only;
- [`update`][forkdocs.doctools.run.update]: update mode's edits, written atomically;
- [`cprograms`][forkdocs.doctools.run.cprograms] and [`nommu`][forkdocs.doctools.run.nommu]:
  C programs on this kernel and on a no-MMU Linux under QEMU;
- [`cache`][forkdocs.doctools.run.cache]: where what can be computed again is kept.
"""
