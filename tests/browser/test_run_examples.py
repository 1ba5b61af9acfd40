"""The examples run in the reader's browser (Pyodide in headless Chromium) as under CPython.

The site is built with no network at all where the machine allows it (``unshare -n``), so
these tests also show that the build needs nothing but the fetched Pyodide tarball.

Chromium sends every request that is not for 127.0.0.1 to a local proxy that refuses it, and
the tests watch every request the page and its workers make (over the DevTools protocol): one
for another host fails the test. Measurements
(sizes, time to first result, comparison counts) go to build/in-page-run.json.
"""

from __future__ import annotations

import json
import re
import time
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from forkdocs.doctools.run.pagerun import NOT_RUN, Outcome, PageRun, Step, normalise, output_diff

from .chromium import NEEDS_CHROMIUM, ROOT, Quiet, Served, start
from .conftest import manifests

pytestmark = NEEDS_CHROMIUM

MEASURED = ROOT / "build" / "in-page-run.json"


def elsewhere(tab: Any, site: str) -> list[str]:
    """What the page and its workers asked for that is not on ``site``."""
    assert tab.requests, "the page's requests were not watched"
    return [url for url in tab.requests if not url.startswith((site, "data:", "blob:"))]


def record(**measured: Any) -> None:
    """Add ``measured`` to build/in-page-run.json."""
    MEASURED.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(MEASURED.read_text()) if MEASURED.is_file() else {}
    MEASURED.write_text(json.dumps({**known, **measured}, indent=2))


def difference(where: str, cpython: Outcome, browser: dict[str, Any]) -> str:
    """How one example's run in the browser differs from its run under CPython."""
    if cpython.status != browser["status"]:
        said = browser["error"] or browser["reason"] or browser["printed"]
        return (
            f"{where}: {cpython.status} under CPython, {browser['status']} in the browser:\n{said}"
        )
    delta = output_diff(cpython.printed, browser["printed"], "CPython", "browser")
    return f"{where}: printed differently:\n{delta}"


def first_run(tab: Any) -> tuple[dict[str, Any], float]:
    """Click the page's first Run; what it showed (it passed) and the seconds it took."""
    name_buttons(tab)
    began = time.monotonic()
    tab.click("#run-0")
    shown = wait_for_result(tab, 0)
    seconds = time.monotonic() - began
    assert "fd-run__output--passed" in shown["cls"], shown
    return shown, seconds


def test_every_page_runs_its_examples_in_pyodide_as_cpython_does(
    served: Served, offline: Any
) -> None:
    pages = manifests(served.folder)
    assert len(pages) >= 20, sorted(pages)
    tab = offline.open(served.url, scheme="light", width=1280, watch=True)
    began = time.monotonic()
    browser: dict[str, list[dict[str, Any]]] = {}
    try:
        for path, manifest in pages.items():
            browser[path] = tab.evaluate(f"forkdocsRunner.run({json.dumps(manifest)})")
        version = tab.evaluate("forkdocsRunner.status().version")
        assert not elsewhere(tab, served.url), elsewhere(tab, served.url)
        assert any(url.endswith("pyodide.asm.wasm") for url in tab.requests), tab.requests
    finally:
        tab.close()
    seconds = time.monotonic() - began
    counts = {"identical": 0, "not-in-browser": 0, "different": 0}
    differences = []
    for path, manifest in pages.items():
        steps = [Step(**fields) for fields in manifest["steps"]]
        cpython = PageRun(manifest["page"], steps, manifest["flags"]).outcomes()
        for step, here, there in zip(steps, cpython, browser[path], strict=True):
            if step.kind == "clear":
                continue
            where = f"{manifest['page']}:{step.line}"
            assert here.status != "failed", f"{where} fails under CPython:\n{here.error}"
            if here.status == NOT_RUN:
                assert there["status"] == NOT_RUN, where
                counts["not-in-browser"] += 1
            elif (here.status, normalise(here.printed)) == (
                there["status"],
                normalise(there["printed"]),
            ):
                counts["identical"] += 1
            else:
                counts["different"] += 1
                differences.append(difference(where, here, there))
    record(browser_python=version, all_pages_seconds=round(seconds, 2), comparison=counts)
    assert not differences, "\n\n".join(differences) + (
        "\n\nAn example that cannot run in a browser (it reads the repository's files, starts"
        " a process...) says so above its fence: <!-- not-in-browser: why -->"
    )
    assert counts["identical"] >= 100, counts


def wait_for_result(tab: Any, bar: int, seconds: float = 90) -> dict[str, str]:
    """The output under the ``bar``-th example once its run has finished."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen = tab.evaluate(
            f"""(() => {{
              const output = document.querySelectorAll('.fd-run')[{bar}]
                .querySelector('.fd-run__output');
              return {{cls: output.className, text: output.textContent, hidden: output.hidden}};
            }})()"""
        )
        if "--running" not in seen["cls"] and not seen["hidden"]:
            return dict(seen)
        time.sleep(0.05)
    raise TimeoutError(f"example {bar} did not finish within {seconds} s")


def replace_code(tab: Any, code: str) -> None:
    """Type ``code`` over everything in the open editor, as a reader would."""
    tab.evaluate("(e => {e.focus(); e.select()})(document.querySelector('.fd-run__editor'))")
    tab.browser.send("Input.insertText", tab.session, text=code)


def name_buttons(tab: Any) -> None:
    """Give the tutorial's controls ids the clicks can name (run-0, edit-0, reset-0...)."""
    tab.evaluate(
        """document.querySelectorAll('.fd-run').forEach((bar, index) =>
             bar.querySelectorAll('button').forEach(button =>
               button.id = `${button.textContent.toLowerCase()}-${index}`))"""
    )


def static_output(tab: Any, number: int) -> dict[str, bool]:
    """Whether the page's own Output box after Run bar ``number`` is shown, and whether the
    bar's note says it is hidden."""
    return json.loads(
        tab.evaluate(
            f"""JSON.stringify((() => {{
              const bar = document.querySelectorAll('.fd-run')[{number}];
              const shown = e => !!e && getComputedStyle(e).display !== 'none' && e.offsetHeight > 0;
              return {{outputShown: shown(bar.nextElementSibling),
                       noteShown: shown(bar.querySelector('.fd-run__stale'))}};
            }})())"""
        )
    )


def test_run_edit_and_reset_on_the_tutorial(served: Served, offline: Any) -> None:
    page = served.url + "tutorial/first-fork/"
    tab = offline.open(page, scheme="light", width=1280, watch=True)
    try:
        manifest = json.loads(
            tab.evaluate("document.querySelector('template.fd-steps').content.textContent")
        )
        marked = tab.evaluate(
            "[...document.querySelectorAll('pre[data-fd-step]')].map(p => +p.dataset.fdStep)"
        )
        first, fork = manifest["steps"][marked[0]], manifest["steps"][marked[2]]
        assert "m.fork(shell)" in fork["source"], fork
        shown, first_result = first_run(tab)
        assert normalise(shown["text"]) == normalise(first["output"])
        tab.screenshot(ROOT / "build" / "screenshots" / "run-tutorial-first-example.png")

        tab.click("#edit-0")
        assert tab.evaluate("document.activeElement.classList.contains('fd-run__editor')")
        assert (
            tab.evaluate("getComputedStyle(document.querySelector('pre[data-fd-step]')).display")
            == "none"
        ), "the highlighted code gives way to the editor"
        changed = first["source"].replace('image="64 KiB"', 'image="128 KiB"')
        assert changed != first["source"]
        replace_code(tab, changed)
        assert {"outputShown": False, "noteShown": True} == static_output(tab, 0), (
            "the page's Output box is hidden once the code differs from the page's"
        )
        tab.click("#run-2")  # replays the block above it as edited, though it was not run
        assert "3    2     running  /bin/sh  128 KiB" in wait_for_result(tab, 2)["text"]
        tab.click("#run-0")
        assert "2    1     running  /bin/sh  128 KiB" in wait_for_result(tab, 0)["text"]

        tab.click("#reset-0")
        after = tab.evaluate(
            """(() => {
              const bar = document.querySelectorAll('.fd-run')[0];
              const shown = e => getComputedStyle(e).display !== 'none' && e.offsetHeight > 0;
              return {editors: document.querySelectorAll('.fd-run__editor').length,
                      codeShown: shown(bar.previousElementSibling.querySelector('pre')),
                      outputHidden: !shown(bar.querySelector('.fd-run__output'))};
            })()"""
        )
        assert after == {"editors": 0, "codeShown": True, "outputHidden": True}, after
        assert {"outputShown": True, "noteShown": False} == static_output(tab, 0)
        tab.click("#run-2")
        assert "3    2     running  /bin/sh  64 KiB" in wait_for_result(tab, 2)["text"]
        assert not elsewhere(tab, served.url), elsewhere(tab, served.url)
    finally:
        tab.close()
    pyodide = served.folder / "assets" / "pyodide"
    scripts = served.folder / "javascripts"
    record(
        time_to_first_result_seconds=round(first_result, 2),
        extra_site_bytes=sum(f.stat().st_size for f in [*pyodide.iterdir(), *scripts.iterdir()]),
    )


def test_a_page_opened_from_a_file_says_how_to_serve_the_site(served: Served, offline: Any) -> None:
    page = (served.folder / "tutorial" / "first-fork" / "index.html").as_uri()
    tab = offline.open(page, scheme="light", width=1280)
    try:
        seen = tab.evaluate(
            """({buttons: document.querySelectorAll('.fd-run button').length,
                 notes: [...document.querySelectorAll('.fd-run__note')].map(n => n.textContent),
                 examples: document.querySelectorAll('pre[data-fd-step]').length})"""
        )
    finally:
        tab.close()
    assert seen["examples"] > 0 and 0 == seen["buttons"], seen
    assert len(seen["notes"]) == seen["examples"]
    assert all("python3 -m http.server" in note for note in seen["notes"]), seen["notes"]


def test_the_page_about_running_examples_tells_the_truth(served: Served, offline: Any) -> None:
    page = served.url + "tutorial/run-in-your-browser/"
    tab = offline.open(page, scheme="light", width=1280, watch=True)
    try:
        name_buttons(tab)
        source = tab.evaluate("document.querySelector('template.fd-steps').content.textContent")
        code = json.loads(source)["steps"][0]["source"]
        tab.click("#edit-0")
        replace_code(tab, code.replace('"96 KiB"', '"160 KiB"'))
        tab.click("#run-0")
        failed = wait_for_result(tab, 0)
        replace_code(tab, code.replace('"96 KiB"', '"160 KiB"').replace("base+length", "paging"))
        tab.click("#run-0")
        paging = wait_for_result(tab, 0)
        version = tab.evaluate("forkdocsRunner.status().version")
        text = tab.evaluate("document.querySelector('.md-content').innerText")
    finally:
        tab.close()
    assert "fd-run__output--failed" in failed["cls"], failed
    assert "OutOfMemory: ENOMEM" in failed["text"] and "largest free hole" in failed["text"]
    assert "used=42" in paging["text"], paging
    python, pyodide = re.fullmatch(r"Python (\S+) \(Pyodide (\S+)\)", version).groups()  # type: ignore[union-attr]
    assert f"Pyodide {pyodide}" in text, f"the page must name the browser's Pyodide, {pyodide}"
    assert f"CPython {python}" in text, f"the page must name the browser's Python, {python}"
    megabytes = float(re.search(r"downloads about (\d+) MB", text).group(1))  # type: ignore[union-attr]
    files = [*(served.folder / "assets" / "pyodide").iterdir()]
    assert abs(sum(f.stat().st_size for f in files) / 1e6 - megabytes) < 1, megabytes


def serve_with_policy(folder: Path, policy: str) -> ThreadingHTTPServer:
    """``folder`` served on a free local port with a Content-Security-Policy header."""

    class WithPolicy(Quiet):
        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

    return start(partial(WithPolicy, directory=str(folder)))


FIRST_STEP = """forkdocsRunner.run(
  JSON.parse(document.querySelector('template.fd-steps').content.textContent), 0
).then(outcomes => outcomes[0].status, error => error.message)"""


@pytest.mark.parametrize("allowed", [False, True])
def test_a_policy_without_wasm_unsafe_eval_gets_a_clear_message_not_a_hang(
    served: Served, offline: Any, allowed: bool
) -> None:
    policy = "script-src 'self' 'unsafe-inline'" + (" 'wasm-unsafe-eval'" if allowed else "")
    server = serve_with_policy(served.folder, policy)
    url = f"http://127.0.0.1:{server.server_address[1]}/tutorial/first-fork/"
    tab = offline.open(url, scheme="light", width=1280)
    try:
        began = time.monotonic()
        said = tab.evaluate(FIRST_STEP, timeout=150)
        seconds = time.monotonic() - began
    finally:
        tab.close()
        server.shutdown()
    if allowed:
        assert said == "passed"
    else:  # at once, not after the 120 s the load may take
        assert "Content-Security-Policy" in said and "'wasm-unsafe-eval'" in said, said
        assert seconds < 10, seconds


def test_an_endless_edit_is_stopped_and_the_next_run_starts_python_again(
    served: Served, offline: Any
) -> None:
    tab = offline.open(served.url + "tutorial/first-fork/", scheme="light", width=1280)
    try:
        name_buttons(tab)
        tab.evaluate("window.forkdocsRunnerOptions = {runSeconds: 3}")
        assert tab.evaluate(FIRST_STEP) == "passed"
        tab.click("#edit-0")
        replace_code(tab, "while True:\n    pass\n")
        tab.click("#run-0")
        stopped = wait_for_result(tab, 0)
        tab.click("#reset-0")
        tab.click("#run-0")
        again = wait_for_result(tab, 0)
    finally:
        tab.close()
    assert "ran longer than 3 s, so Python was stopped" in stopped["text"], stopped
    assert "fd-run__output--passed" in again["cls"], again


def test_a_failing_edit_shows_the_readers_line_and_the_message_first(
    served: Served, offline: Any
) -> None:
    """A forkdocs error raised deep in the library reads as a REPL user wants it: the
    page's line it came from and the message, the whole traceback folded one click away."""
    tab = offline.open(served.url + "tutorial/first-fork/", scheme="light", width=1280)
    try:
        name_buttons(tab)
        tab.click("#edit-0")
        failing = 'from forkdocs import Machine\nm = Machine(mmu="base+length", ram="1 MiB")\n'
        failing += 'shell = m.start("/bin/sh", image="768 KiB")\nchild = m.fork(shell)\n'
        replace_code(tab, failing)
        tab.click("#run-0")
        shown = wait_for_result(tab, 0)
        assert "fd-run__output--failed" in shown["cls"], shown
        first = shown["text"].split("\n")[0]
        assert first.startswith("docs/tutorial/first-fork.md:") and "OutOfMemory: ENOMEM" in first
        assert "guard.py" not in shown["text"] and "Traceback" not in shown["text"], shown
        folded = tab.evaluate(
            """(() => {
              const details = document.querySelectorAll('.fd-run')[0]
                .querySelector('.fd-run__traceback');
              return details ? {open: details.open, text: details.textContent} : null;
            })()"""
        )
        assert folded is not None and not folded["open"], folded
        assert "Traceback (most recent call last)" in folded["text"]
        assert "memory.py" in folded["text"], "the library's frames are one click away"
    finally:
        tab.close()


def test_python_stays_loaded_when_the_reader_moves_to_another_page(
    served: Served, offline: Any
) -> None:
    """With Material's instant navigation the page swaps in place: the interpreter the first
    Run started is still loaded for the next page's first Run (its time is recorded in
    build/in-page-run.json; the target is under 0.5 s)."""
    tab = offline.open(served.url + "tutorial/first-fork/", scheme="light", width=1280)
    try:
        name_buttons(tab)
        tab.click("#run-0")
        assert "fd-run__output--passed" in wait_for_result(tab, 0)["cls"]
        tab.evaluate("window.forkdocsMarker = 'still the same document'")
        tab.evaluate("document.querySelector('a[href$=\"paging-cow/\"]').click()")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            # the address changes before the content is swapped in: wait for the new page's
            # own steps, set up (a click on the old page's bars would go nowhere)
            moved = tab.evaluate(
                """(() => {
                  const steps = document.querySelector('template.fd-steps');
                  return !!steps
                    && JSON.parse(steps.content.textContent).page.endsWith('paging-cow.md')
                    && document.querySelectorAll('pre[data-fd-ready]').length > 0
                    && document.querySelectorAll('.fd-run button').length > 0;
                })()"""
            )
            if moved:
                break
            time.sleep(0.1)
        assert moved, tab.evaluate(
            "JSON.stringify({path: location.pathname, bars: document.querySelectorAll('.fd-run').length,"
            " steps: !!document.querySelector('template.fd-steps'), title: document.title})"
        )
        assert "still the same document" == tab.evaluate("window.forkdocsMarker"), (
            "an instant navigation, not a new page load"
        )
        assert tab.evaluate("window.forkdocsRunner.status().ready"), "Python is still loaded"
        _, second_first_run = first_run(tab)
        # a time, recorded, not asserted (the target, 0.5 s, is for the closing note)
        record(second_page_first_run_seconds=round(second_first_run, 2))
    finally:
        tab.close()


def test_the_editor_holds_code_without_annotation_markers(served: Served, offline: Any) -> None:
    """Material shows ``# (1)!`` comments as numbered buttons; the editor shows plain code."""
    tab = offline.open(served.url + "explanation/paging-cow/", scheme="light", width=1280)
    try:
        name_buttons(tab)
        annotated = tab.evaluate(
            """[...document.querySelectorAll('.fd-run')].findIndex(bar =>
                 bar.previousElementSibling.querySelector('.md-annotation'))"""
        )
        assert annotated >= 0, "the page has an annotated example"
        tab.click(f"#edit-{annotated}")
        code = tab.evaluate("document.querySelector('.fd-run__editor').value")
    finally:
        tab.close()
    assert "m.fork(" in code or "Machine(" in code, code
    assert not re.search(r"# \(\d+\)", code), code
