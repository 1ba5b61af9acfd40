"""Benchmark: the docs harness against exec'ing the same extracted code in one process.

Run with ``make bench``. Side by side in one run, each command timed as a whole process
(median of 5, after a warm-up):

- *harness*: ``pytest -p no:xdist <pages>`` on a set of pages;
- *plain*: one Python process that execs the very same examples (and builds and runs the
  same C programs through the same helper), page by page in fresh
  namespaces (doctest statements exec'd without output checks), with the code extracted
  beforehand.

Two page sets are measured, a small one (the real guide) and a large synthetic one, so the
cost splits into a fixed start-up and a cost per example:
``per example = ((H_large - P_large) - (H_small - P_small)) / (N_large - N_small)`` and
``fixed = (H_small - P_small) - N_small * per example``.
Targets: at most 1 ms per example, at most 1 s fixed.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from forkdocs.doctools.collect import make_sybil
from forkdocs.doctools.evaluators import CProgramEvaluator
from forkdocs.doctools.items import is_example

ROOT = Path(__file__).resolve().parents[2]
RUNS = 5


def synthetic_pages(folder: Path, pages: int = 10, blocks: int = 100) -> list[Path]:
    """``pages`` pages of ``blocks`` small code blocks and doctests each."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for page in range(pages):
        parts = ["# Synthetic\n", "```python\ntotal = 0\n```\n"]
        for block in range(blocks):
            if block % 4 == 3:
                parts.append(f"```pycon\n>>> total >= {block}\nTrue\n```\n")
            else:
                parts.append(f"```python\ntotal += {block}\nassert total >= 0, total\n```\n")
        path = folder / f"page{page}.md"
        path.write_text("\n".join(parts), encoding="utf-8")
        written.append(path)
    return written


def extract(pages: list[Path]) -> tuple[list[tuple[str, list[str]]], int]:
    """Each page's path and the source of each of its examples (directives such as skip are
    not examples), in order, and how many examples there are."""
    sybil = make_sybil(ROOT)
    sources: list[tuple[str, list[str]]] = []
    count = 0
    for page in pages:
        document = sybil.parse(page)
        codes = []
        for example in document.examples():
            if not is_example(example):
                continue
            parsed = example.parsed
            if isinstance(example.region.evaluator, CProgramEvaluator):
                # a C program: the baseline builds and runs it too, the same way
                runs, title = parsed
                source = str(example.region.lexemes["source"])
                plan = [[list(run.flags), list(run.args)] for run in runs]
                codes.append(C_RUN.format(spec=repr((source, Path(title).stem, plan))))
            elif getattr(parsed, "exc_msg", None):  # a doctest that expects an exception
                body = "".join(f"    {line}\n" for line in parsed.source.splitlines())
                codes.append(f"try:\n{body}except Exception:\n    pass\n")
            else:
                codes.append(parsed.source if hasattr(parsed, "want") else str(parsed))
            count += 1
        sources.append((str(page), codes))
    return sources, count


C_RUN = """
from forkdocs.doctools.cprograms import build, run
_source, _name, _plan = {spec}
for _flags, _args in _plan:
    run(build(_source, _name, _flags), _args)
"""

PLAIN = """
import json, sys
pages = json.load(open(sys.argv[1]))
for path, codes in pages:
    namespace = {"__name__": "__page__", "__file__": path}
    for code in codes:
        if code.strip():
            exec(compile(code, path, "exec"), namespace)
"""


def median_seconds(command: list[str]) -> float:
    def once() -> float:
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - start

    once()
    return statistics.median(once() for _ in range(RUNS))


def measure(pages: list[Path], tmp: Path, name: str) -> tuple[float, float, int]:
    sources, count = extract(pages)
    dump = tmp / f"{name}.json"
    dump.write_text(json.dumps(sources), encoding="utf-8")
    script = tmp / "plain.py"
    script.write_text(PLAIN, encoding="utf-8")
    harness = [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", *map(str, pages)]
    plain = [sys.executable, str(script), str(dump)]
    return median_seconds(harness), median_seconds(plain), count


def test_harness_overhead(tmp_path: Path) -> None:
    guide = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
    synthetic = synthetic_pages(ROOT / "docs" / "_bench_synthetic")
    try:
        h_small, p_small, n_small = measure(guide, tmp_path, "guide")
        h_large, p_large, n_large = measure(synthetic, tmp_path, "synthetic")
    finally:
        for page in synthetic:
            page.unlink()
        (ROOT / "docs" / "_bench_synthetic").rmdir()
    per_example = ((h_large - p_large) - (h_small - p_small)) / (n_large - n_small)
    fixed = (h_small - p_small) - n_small * per_example
    print()
    print(
        f"guide:     {n_small:5d} examples  harness {h_small:6.3f} s  plain exec {p_small:6.3f} s"
    )
    print(
        f"synthetic: {n_large:5d} examples  harness {h_large:6.3f} s  plain exec {p_large:6.3f} s"
    )
    print(f"harness overhead: {per_example * 1e3:.3f} ms per example, {fixed:.3f} s fixed")
    assert per_example <= 0.001, "at most 1 ms per example"
    assert fixed <= 1.0, "at most 1 s of fixed start-up"
