"""A small Chrome DevTools Protocol client for the e2e tests: starts Debian's headless Chromium with the flags
that keep it off the network and a fresh profile, and drives one page over a websocket. Waits are bounded
polls of a DOM condition, never fixed sleeps."""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import websocket

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--disable-default-apps",
    "--window-size=1400,1000",
    "--remote-debugging-port=0",
]


class BrowserError(RuntimeError):
    pass


class Chromium:
    def __init__(self, executable: str, profile: Path, flags: Sequence[str] = ()) -> None:
        """`flags`: more of Chromium's, e.g. --host-resolver-rules to reach the loopback under a host name."""
        self.process = subprocess.Popen(
            [executable, *FLAGS, *flags, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = self._devtools_port(profile)
        deadline = time.monotonic() + 20
        while True:  # bounded: the first page target appears shortly after the port opens
            pages = [t for t in httpx.get(f"http://127.0.0.1:{port}/json/list").json() if t["type"] == "page"]
            if pages or time.monotonic() > deadline:
                break
            self.process_wait(0.05)
        if not pages:
            raise BrowserError("Chromium started but opened no page")
        self.page = Page(pages[0]["webSocketDebuggerUrl"])

    def _devtools_port(self, profile: Path) -> int:
        """Chromium writes the port it chose to DevToolsActivePort in the profile once it listens."""
        marker = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            if marker.is_file() and (lines := marker.read_text().splitlines()) and lines[0].isdigit():
                return int(lines[0])
            self.process_wait(0.05)
        raise BrowserError(f"Chromium did not open its DevTools port (exit code {self.process.poll()})")

    def process_wait(self, seconds: float) -> None:
        """Wait for the process to exit, at most `seconds`: the bounded poll interval while it starts."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=seconds)

    def close(self) -> None:
        self.page.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Page:
    def __init__(self, ws_url: str) -> None:
        # no Origin header: Chromium refuses DevTools websockets from unlisted origins
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.ids = itertools.count(1)
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params or {}}))
        while True:  # events arrive in between; the socket's timeout bounds each read
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r} failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15.0, what: str = "") -> Any:
        """Poll `expression` until it is truthy; fail after `timeout` seconds saying what was awaited."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except BrowserError:  # the page is navigating: its context is gone for a moment
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                url = self.evaluate("location.href")
                raise BrowserError(f"timed out after {timeout} s waiting for {what or expression} (at {url})")
            with contextlib.suppress(BrowserError):  # yield a frame; a navigation ends the wait early
                self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")

    def goto(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})
        self.wait_for(
            f"location.href.startsWith({json.dumps(url)}) && document.readyState === 'complete'",
            what=f"{url} to load",
        )

    def click(self, selector: str) -> None:
        self.wait_for(f"!!document.querySelector({json.dumps(selector)})", what=selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def type(self, selector: str, text: str) -> None:
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", {"text": text})

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.ws.close()
