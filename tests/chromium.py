"""Headless Chromium driven over the DevTools protocol, and axe-core run in its pages.

Needs Debian's `chromium` (or CHROMIUM=/path/to/chrome) and axe-core in tests/tools (both
installed by `scripts/bootstrap test`; or AXE_CORE=/path/to/axe.min.js); tests
that use them are skipped, saying which is missing, when they are not there.
Nothing is downloaded: the browser runs with its network features off and a fresh profile.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

TESTS = Path(__file__).parent
AXE = Path(os.environ.get("AXE_CORE", TESTS / "tools" / "node_modules" / "axe-core" / "axe.min.js"))
ARTIFACTS = TESTS.parent / "build" / "test-artifacts" / "browser"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
    "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
]  # fmt: skip


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if chromium_path() is None:
        return "no Chromium: apt-get install chromium (or set CHROMIUM=/path/to/chrome)"
    if not AXE.is_file():
        return f"no axe-core at {AXE}: scripts/bootstrap test (npm ci --ignore-scripts in tests/tools)"
    try:
        import websocket  # noqa: F401
    except ImportError:
        return "no websocket-client: pip install -e '.[test]'"
    return None


class Browser:
    """One headless Chromium with one tab, driven by DevTools protocol commands."""

    def __init__(self, width: int = 1100, height: int = 800) -> None:
        import websocket

        self.profile = Path(tempfile.mkdtemp(prefix="anthology-chromium-"))
        self.process = subprocess.Popen(
            [
                str(chromium_path()),
                *FLAGS,
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().count("\n") >= 1):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not start")
            time.sleep(0.05)
        port = port_file.read_text().split("\n")[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Run one command and return its result; events that arrive meanwhile are kept."""
        ident = next(self.ids)
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = next((e for e in self.events if e.get("method") == method), None)
            if found is not None:
                self.events.remove(found)
                return found
            self.socket.settimeout(max(0.01, deadline - time.monotonic()))
            self.events.append(json.loads(self.socket.recv()))
        raise TimeoutError(method)

    def open(self, url: str) -> None:
        """Load `url` and wait for its load event."""
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def requested(self) -> list[str]:
        """The URLs the page asked for since it was opened."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, name: str) -> Path:
        """Save a PNG of the viewport as build/test-artifacts/browser/<name>.png."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"]))
        return path

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's violations on the open page (WCAG 2.x A and AA and best practices)."""
        self.send("Runtime.evaluate", expression=AXE.read_text(encoding="utf-8"))
        return list(
            self.evaluate(
                "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
                "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))"
            )
        )

    def close(self) -> None:
        if getattr(self, "socket", None) is not None:
            self.socket.close()
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]
