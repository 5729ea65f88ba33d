"""Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``): the
standard library only, no driver to download, no network port.

Chromium reads commands from its file descriptor 3 and writes replies and events to 4, each one JSON
message ended by a NUL byte. :class:`Chromium` starts the browser with a fresh profile, opens one page
and offers what the tests need: navigate, evaluate JavaScript, wait for a condition, screenshot, and
the dialogs (``alert``) and uncaught errors the page raised.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
)  # fmt: skip
TIMEOUT = 60.0


def find_chromium() -> str | None:
    """Debian's ``chromium`` (or ``chromium-browser``, ``google-chrome``) on PATH, or None."""
    return next((path for name in ("chromium", "chromium-browser", "google-chrome") if (path := shutil.which(name))), None)


class Chromium:
    """One headless browser with one page; use as a context manager."""

    def __init__(self, binary: str, profile: Path, width: int = 1280, height: int = 900) -> None:
        to_child, self._send = os.pipe()  # Chromium reads fd 3
        self._receive, from_child = os.pipe()  # Chromium writes fd 4
        # high numbers, so that moving them onto 3 and 4 in the child never overwrites one with the other
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 64) for fd in (to_child, from_child)]
        for fd in (to_child, from_child):
            os.close(fd)
        wrapper = f'exec "$0" "$@" 3<&{high[0]} 4>&{high[1]} {high[0]}<&- {high[1]}>&-'
        args = [*FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"]
        self.process = subprocess.Popen(
            ["bash", "-c", wrapper, binary, *args], pass_fds=high, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for fd in high:
            os.close(fd)
        self._next = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime"):
            self.call(f"{domain}.enable", session=self.session)
        self.call("Emulation.setDeviceMetricsOverride", session=self.session, width=width, height=height, deviceScaleFactor=1, mobile=False)

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._receive, "rb", buffering=0) as pipe:
            while chunk := pipe.read(1 << 16):
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                with self._cond:
                    for raw in messages:
                        message = json.loads(raw)
                        if "id" in message:
                            self._replies[message["id"]] = message
                        else:
                            self.events.append(message)
                            if message.get("method") == "Page.javascriptDialogOpening":  # answer it, or the page hangs
                                self._write("Page.handleJavaScriptDialog", message.get("sessionId"), {"accept": True})
                    self._cond.notify_all()

    def _write(self, method: str, session: str | None, params: dict[str, Any]) -> int:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._send, json.dumps(message).encode() + b"\0")
        return self._next

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its reply; a protocol error raises."""
        with self._cond:
            ident = self._write(method, session, params)
            if not self._cond.wait_for(lambda: ident in self._replies, TIMEOUT):
                raise TimeoutError(f"no reply to {method} within {TIMEOUT} s")
            reply = self._replies.pop(ident)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        return self.call(method, session=self.session, **params)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited); a thrown error raises."""
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, expression: str, timeout: float = TIMEOUT) -> Any:
        """Poll ``expression`` until it is truthy; its value."""
        end = time.monotonic() + timeout
        while not (value := self.evaluate(expression)):
            if time.monotonic() > end:
                raise TimeoutError(f"{expression!r} still false after {timeout} s")
            time.sleep(0.05)
        return value

    def open(self, url: str) -> None:
        """Navigate and wait for the load event."""
        seen = len(self.events)
        self.page("Page.navigate", url=url)
        with self._cond:
            loaded = lambda: any(e.get("method") == "Page.loadEventFired" for e in self.events[seen:])  # noqa: E731
            if not self._cond.wait_for(loaded, TIMEOUT):
                raise TimeoutError(f"{url} did not load within {TIMEOUT} s")

    def screenshot(self, path: Path, max_height: int = 3000) -> Path:
        """A PNG of the whole page (at most ``max_height`` pixels tall)."""
        size = self.page("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], max_height), "scale": 1}
        data = self.page("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def events_of(self, name: str) -> list[dict[str, Any]]:
        """Events of one kind seen so far (e.g. ``Page.javascriptDialogOpening``)."""
        with self._cond:
            return [e for e in self.events if e.get("method") == name]

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.call("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._send)
