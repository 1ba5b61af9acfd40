"""A small client of the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (standard
library only): Chromium reads commands on its fd 3 and writes answers on its fd 4, each a
JSON message ending in a NUL byte. Enough to open a page with an emulated colour scheme and
width, evaluate a script in it (awaiting a promise), click in it, and take a screenshot."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any


class Browser:
    """One headless Chromium for a series of pages; ``close()`` ends it."""

    def __init__(self, chromium: str, flags: list[str]) -> None:
        self.profile = tempfile.TemporaryDirectory()
        to_chrome, self._write = os.pipe()
        self._read, from_chrome = os.pipe()
        command = " ".join(
            [
                f'exec "{chromium}"',
                *flags,
                f"--user-data-dir={self.profile.name}",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                "about:blank",
                f"3<&{to_chrome} 4>&{from_chrome}",
            ]
        )
        # bash moves the pipes to fds 3 and 4 (no preexec_fn in a threaded process; dash
        # takes only one-digit descriptors)
        self.process = subprocess.Popen(
            ["bash", "-c", command], pass_fds=(to_chrome, from_chrome), stderr=subprocess.DEVNULL
        )
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer = b""
        self._next = 0
        self._answers: dict[int, dict[str, Any]] = {}
        #: sessions (a page's, its workers') whose requests are recorded, and their page
        self._watching: dict[str, Page] = {}

    def send(
        self, method: str, session: str | None = None, timeout: float = 120, **params: Any
    ) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile go to
        ``on_event`` (which may send commands itself). TimeoutError when no answer comes
        within ``timeout`` seconds."""
        self._next += 1
        mine = self._next
        message: dict[str, Any] = {"id": mine, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while mine not in self._answers:
            while b"\0" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._read], [], [], left)[0]:
                    raise TimeoutError(f"Chromium did not answer {method} within {timeout:g} s")
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"Chromium closed the pipe during {method}")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            received = json.loads(raw)
            if "id" in received:
                self._answers[received["id"]] = received
            else:
                self.on_event(received)
        answer = self._answers.pop(mine)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return dict(answer["result"])

    def on_event(self, event: dict[str, Any]) -> None:
        """An event: requests of pages that watch theirs are recorded; others are dropped."""
        page = self._watching.get(event.get("sessionId", ""))
        if page is not None:
            page.observe(event)

    def measure(self, url: str, expression: str, *, width: int, scheme: str = "light") -> Any:
        """What ``expression`` gives on ``url`` in a tab of its own (closed afterwards)."""
        tab = self.open(url, scheme=scheme, width=width)
        try:
            return tab.evaluate(expression)
        finally:
            tab.close()

    def open(
        self, url: str, *, scheme: str, width: int, height: int = 844, watch: bool = False
    ) -> Page:
        """A new tab showing ``url`` with ``prefers-color-scheme: scheme`` at ``width`` px;
        with ``watch``, every request the page and its workers make is recorded in
        ``page.requests`` from the start."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        page = Page(self, target, session)
        if watch:
            page.watch(session)
        self.send(
            "Emulation.setEmulatedMedia",
            session,
            features=[{"name": "prefers-color-scheme", "value": scheme}],
        )
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        self.send("Page.navigate", session, url=url)
        deadline = time.monotonic() + 30
        while page.evaluate("document.readyState") != "complete" or not page.evaluate(
            "document.body && document.body.dataset.mdColorScheme"
        ):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading")
            time.sleep(0.05)
        return page

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.send("Browser.close")
        self.process.wait(10)
        os.close(self._write)
        os.close(self._read)
        self.profile.cleanup()


class Page:
    """One tab of a :class:`Browser`."""

    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser = browser
        self.target = target
        self.session = session
        #: the URLs the page and its workers asked for, when watched
        self.requests: list[str] = []

    def watch(self, session: str) -> None:
        """Record the requests made in ``session`` (the page's, or a worker's), and attach to
        every worker it starts, paused until its requests are watched too."""
        self.browser._watching[session] = self
        self.browser.send("Network.enable", session)
        self.browser.send(
            "Target.setAutoAttach",
            session,
            autoAttach=True,
            waitForDebuggerOnStart=True,
            flatten=True,
        )

    def observe(self, event: dict[str, Any]) -> None:
        """One event of a watched session."""
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Target.attachedToTarget":
            worker = params["sessionId"]
            self.watch(worker)
            self.browser.send("Runtime.runIfWaitingForDebugger", worker)

    def evaluate(self, expression: str, timeout: float = 120) -> Any:
        """The JSON-able value of ``expression`` in the page (awaited, if it is a promise);
        a JavaScript exception is raised as RuntimeError."""
        result = self.browser.send(
            "Runtime.evaluate",
            self.session,
            timeout=timeout,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise RuntimeError(details.get("exception", {}).get("description") or str(details))
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click (pressed and released) at the middle of the first element
        matching ``selector``, scrolled into view first."""
        box = self.evaluate(
            f"""(() => {{
              const target = document.querySelector({json.dumps(selector)});
              if (!target) throw new Error("nothing matches {selector}");
              target.scrollIntoView({{block: "center"}});
              const box = target.getBoundingClientRect();
              return [box.left + box.width / 2, box.top + box.height / 2];
            }})()"""
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.browser.send(
                "Input.dispatchMouseEvent",
                self.session,
                type=kind,
                x=box[0],
                y=box[1],
                button="left",
                clickCount=1,
            )

    def screenshot(self, path: Path) -> None:
        """A PNG of the viewport."""
        data = self.browser.send("Page.captureScreenshot", self.session, format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.browser.send("Target.closeTarget", targetId=self.target)
