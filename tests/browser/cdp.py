"""A small client of the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (standard
library only): Chromium reads commands on its fd 3 and writes answers on its fd 4, each a
JSON message ending in a NUL byte. Enough to open a page with an emulated colour scheme and
width, evaluate a script in it, and take a screenshot."""

from __future__ import annotations

import base64
import contextlib
import json
import os
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

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are dropped)."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"Chromium closed the pipe during {method}")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return dict(answer["result"])

    def open(self, url: str, *, scheme: str, width: int, height: int = 844) -> Page:
        """A new tab showing ``url`` with ``prefers-color-scheme: scheme`` at ``width`` px."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        page = Page(self, target, session)
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

    def evaluate(self, expression: str) -> Any:
        """The JSON-able value of ``expression`` in the page."""
        result = self.browser.send(
            "Runtime.evaluate", self.session, expression=expression, returnByValue=True
        )
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        """A PNG of the viewport."""
        data = self.browser.send("Page.captureScreenshot", self.session, format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.browser.send("Target.closeTarget", targetId=self.target)
