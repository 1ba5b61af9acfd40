"""Running one example so that it cannot end the run green, escape it, or hang it.

[`evaluate()`][forkdocs.doctools.run.failclosed.evaluate] runs a Sybil example with these guards:

- a ``skip`` that covers it (``skip: next "why"``, or ``if(COND)`` true in the page's
  namespace) reports it as skipped;
- ``sys.exit()``, ``exit()``, ``raise SystemExit`` in the example fail it
  ([`ExampleExited`][forkdocs.doctools.run.failclosed.ExampleExited]), and the run goes on;
- a ``KeyboardInterrupt`` raised by the example's own code fails it
  ([`ExampleInterrupted`][forkdocs.doctools.run.failclosed.ExampleInterrupted]); a person's Ctrl-C (a SIGINT that arrives while it runs)
  still stops the run, as pytest always does;
- an example that runs longer than the timeout fails ([`ExampleTimeout`][forkdocs.doctools.run.failclosed.ExampleTimeout]), naming
  page:line (on the main thread, with SIGALRM; 0 means no limit);
- a child made with ``os.fork()`` that returns from the example into the harness exits at
  once (status 0 when the example's code finished, else 1, or the code it passed to
  ``sys.exit``), so it never runs the rest of the test session.

``os._exit`` cannot be caught in the process; the plugin's completion record covers it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any
from unittest import SkipTest

from sybil import Example

from forkdocs.doctools.errors import ExampleFailed


class ExampleExited(ExampleFailed):
    """The example asked the process to exit."""


class ExampleInterrupted(ExampleFailed):
    """The example's own code raised KeyboardInterrupt."""


class ExampleTimeout(ExampleFailed):
    """The example ran longer than the timeout."""


def evaluate(example: Example, where: Callable[[Example], str], timeout: float = 0.0) -> None:
    """Run ``example`` under the guards above; ``where(example)`` names its page:line (only
    computed for a message)."""
    __tracebackhide__ = True
    check_skip(example)
    parent = os.getpid()
    status = 1
    pressed = _Presses()
    try:
        with pressed.watching(), _deadline(timeout, lambda: where(example)), _as_main(example):
            example.evaluate()
        status = 0
    except SystemExit as leaving:
        status = _exit_status(leaving.code)
        if os.getpid() == parent:
            raise ExampleExited(
                f"{where(example)}: the example called sys.exit({leaving.code!r}) (or exit(), or raised"
                " SystemExit); an example must not end the test run"
            ) from None
    except KeyboardInterrupt:
        if pressed.count or os.getpid() != parent:
            raise
        raise ExampleInterrupted(
            f"{where(example)}: the example raised KeyboardInterrupt itself; that would stop the test run"
        ) from None
    finally:
        if os.getpid() != parent:
            os._exit(status)  # a fork() child must not go on running the test session


@contextlib.contextmanager
def _as_main(example: Example) -> Iterator[None]:
    """``sys.modules["__main__"]`` is the page's module while ``example`` runs (a page
    read without one keeps the interpreter's), and is put back after."""
    main = getattr(example.document, "main", None)
    if main is None:
        yield
        return
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = main
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


def check_skip(example: Example) -> None:
    """Raise SkipTest when a skip covers ``example`` (a reasonless skip says so)."""
    skip = example.region.lexemes.get("skip")
    if skip is None:
        return
    if skip.condition and not eval(skip.condition, example.namespace):
        return
    raise SkipTest(skip.reason or "skipped by a skip directive that gives no reason")


def _exit_status(code: Any) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


class _Presses:
    """Counts SIGINTs that arrive while an example runs (a person's Ctrl-C)."""

    def __init__(self) -> None:
        self.count = 0

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def pressed(number: int, frame: Any) -> None:
            self.count += 1
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGINT, pressed)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _deadline(timeout: float, where: Callable[[], str]) -> Iterator[None]:
    if timeout <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(number: int, frame: Any) -> None:
        raise ExampleTimeout(
            f"{where()}: the example did not finish within {timeout:g} s (--docs-timeout)"
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
