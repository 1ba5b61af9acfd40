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

import importlib
import os
import signal
import sys
import threading
from collections.abc import Callable
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
    guard = _Guard(example, timeout, lambda: where(example))
    try:
        with guard:
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
        if guard.presses or os.getpid() != parent:
            raise
        raise ExampleInterrupted(
            f"{where(example)}: the example raised KeyboardInterrupt itself; that would stop the test run"
        ) from None
    finally:
        if os.getpid() != parent:
            os._exit(status)  # a fork() child must not go on running the test session


#: ``signal.signal`` without its enum wrapping: the C function of CPython's ``_signal``,
#: which the ``signal`` module wraps, taking and returning plain handlers. A handler is set
#: and put back for every example, and the wrapping's conversions cost 20 times the call.
_set_handler: Callable[[int, Any], Any] = importlib.import_module("_signal").signal


class _Guard:
    """While an example runs: ``sys.modules["__main__"]`` is the page's module (a page read
    without one keeps the interpreter's); on the main thread, SIGINTs that arrive are
    counted (a person's Ctrl-C, told from the example's own KeyboardInterrupt) and, with a
    ``timeout`` over 0, SIGALRM ends an example that runs longer. All is put back after.
    (A plain context object, not three generators: it runs once for every example.)"""

    def __init__(self, example: Example, timeout: float, where: Callable[[], str]) -> None:
        self.main = getattr(example.document, "main", None)
        self.timeout = timeout
        self.where = where
        self.presses = 0
        self.saved_main: Any = None
        self.on_main_thread = threading.current_thread() is threading.main_thread()
        self.saved_int: Any = None
        self.saved_alarm: Any = None

    def __enter__(self) -> None:
        if self.main is not None:
            self.saved_main = sys.modules.get("__main__")
            sys.modules["__main__"] = self.main
        if not self.on_main_thread:
            return
        self.saved_int = _set_handler(signal.SIGINT, self._pressed)
        if self.timeout > 0:
            self.saved_alarm = _set_handler(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.timeout)

    def __exit__(self, *exc: object) -> None:
        if self.on_main_thread:
            if self.timeout > 0:
                signal.setitimer(signal.ITIMER_REAL, 0)
                _set_handler(signal.SIGALRM, self.saved_alarm)
            _set_handler(signal.SIGINT, self.saved_int)
        if self.main is not None and self.saved_main is not None:
            sys.modules["__main__"] = self.saved_main

    def _pressed(self, number: int, frame: Any) -> None:
        self.presses += 1
        raise KeyboardInterrupt

    def _expired(self, number: int, frame: Any) -> None:
        raise ExampleTimeout(
            f"{self.where()}: the example did not finish within {self.timeout:g} s (--docs-timeout)"
        )


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
