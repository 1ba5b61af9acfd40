"""Every exercise of the site, clicked through in Chromium as a reader would: Check on the
starting code shows the message the page promises ("Not yet: ..."); the model solution,
typed into the editor, gets "Solved" and a tick that the page's count takes in; a predict
exercise's Run prints its answer and opens it. The timings of Check go to
build/in-page-run.json."""

from __future__ import annotations

import json
import time
from typing import Any

from forkdocs.doctools.run.pagerun import normalise

from .chromium import NEEDS_CHROMIUM, Served
from .conftest import manifests
from .test_run_examples import record, replace_code, wait_for_result

pytestmark = NEEDS_CHROMIUM

#: Each exercise's Run bar: its index among the page's bars, and its step.
BARS = """
[...document.querySelectorAll('.fd-run')].map((bar, index) => {
  const block = bar.previousElementSibling;
  const pre = block.matches('pre') ? block : block.querySelector('pre[data-fd-step]');
  bar.querySelectorAll('button').forEach(button =>
    button.id = `${button.textContent.toLowerCase()}-${index}`);
  return [index, pre ? +pre.dataset.fdStep : -1];
})
"""
STATE = """(bar => {
  const badge = bar.previousElementSibling.previousElementSibling;
  let answer = null;
  for (let next = bar.nextElementSibling; next; next = next.nextElementSibling) {
    if (next.matches('details') && /answer/i.test(next.querySelector('summary').textContent)) {
      answer = next.open; break;
    }
  }
  return {solved: badge.classList.contains('fd-exercise__badge--solved'), answer,
          count: (document.querySelector('.fd-exercise__count') || {}).textContent};
})(document.querySelectorAll('.fd-run')[BAR])"""


def test_every_exercise_checks_as_its_page_promises(served: Served, offline: Any) -> None:
    pages = {
        path: manifest
        for path, manifest in manifests(served.folder).items()
        if any(step["kind"] == "exercise" for step in manifest["steps"])
    }
    problems: list[str] = []
    timings: list[float] = []
    first_check = None
    total = 0
    for path, manifest in pages.items():
        tab = offline.open(served.url + path + "/", scheme="light", width=1280)
        try:
            steps = manifest["steps"]
            bars = [(bar, steps[i]) for bar, i in tab.evaluate(BARS) if i >= 0]
            exercises = [(bar, step) for bar, step in bars if step["kind"] == "exercise"]
            for bar, step in exercises:
                total += 1
                where = f"{manifest['page']}:{step['line']}"
                graded = step["check"] is not None
                began = time.monotonic()
                tab.click(f"#{'check' if graded else 'run'}-{bar}")
                shown = wait_for_result(tab, bar)
                seconds = time.monotonic() - began
                if first_check is None:
                    first_check = seconds  # the interpreter loads on this one
                else:
                    timings.append(seconds)
                if not graded:
                    state = tab.evaluate(STATE.replace("BAR", str(bar)))
                    if normalise(shown["text"]) != normalise(step["answer"]):
                        problems.append(f"{where}: Run shows {shown['text']!r}")
                    if not (state["answer"] and state["solved"]):
                        problems.append(f"{where}: after Run, answer and tick: {state}")
                    continue
                promised = f"Not yet: {step['promise']}"
                if not shown["text"].startswith(promised) or "unsolved" not in shown["cls"]:
                    problems.append(f"{where}: Check on the starting code shows {shown['text']!r}")
                tab.click(f"#edit-{bar}")
                replace_code(tab, step["solution"])
                tab.click(f"#check-{bar}")
                shown = wait_for_result(tab, bar)
                state = tab.evaluate(STATE.replace("BAR", str(bar)))
                if not shown["text"].startswith("✓ Solved") or not state["solved"]:
                    problems.append(f"{where}: Check on the solution shows {shown['text']!r}")
                tab.click(f"#reset-{bar}")
            count = tab.evaluate(STATE.replace("BAR", str(exercises[-1][0])))["count"]
            if f"{len(exercises)} of {len(exercises)}" not in (count or ""):
                problems.append(f"{path}: the page's count says {count!r}")
        finally:
            tab.close()
    assert total >= 15, total
    assert not problems, "\n".join(problems)
    timings.sort()
    record(
        exercises_clicked=total,
        exercise_first_check_seconds=round(first_check or 0, 2),
        exercise_check_median_seconds=round(timings[len(timings) // 2], 3),
        exercise_check_max_seconds=round(timings[-1], 3),
    )
    print(
        json.dumps({"exercises": total, "first": first_check, "median": timings[len(timings) // 2]})
    )
