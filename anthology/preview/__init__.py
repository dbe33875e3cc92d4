"""`anthology preview`: the book in a browser, as it is saved.

The session (session.py) holds the book as last saved, checked and converted; the server
(server.py) shows it as the web edition's pages with a panel of diagnostics; the watcher
(watch.py) refreshes the session on every save, and open pages reload themselves.
"""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import AnthologyError
from .server import LOOPBACK, PreviewServer
from .session import Session

__all__ = ["Preview", "start"]


class Preview:
    """A running preview: its watcher in a thread, its server in another.

    The folder is watched before the book is first read, so no save is missed in between.
    """

    def __init__(self, session: Session, server: PreviewServer, say: Callable[[str], None]) -> None:
        self.session = session
        self.server = server
        self.say = say
        self.stopped = threading.Event()
        self.watching = threading.Event()
        self.threads = [threading.Thread(target=self._watch, daemon=True)]
        self.threads[0].start()
        self.watching.wait(timeout=10)
        snapshot = session.refresh()
        if snapshot.site is None:
            self.stop()
            raise AnthologyError(
                snapshot.failure or f"Could not read the book in {session.root}", "Run 'anthology validate'."
            )
        self.threads.append(threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True))
        self.threads[1].start()

    @property
    def url(self) -> str:
        return self.server.url

    def _watch(self) -> None:
        from .watch import watch

        watch(self.session.root, self.session.out_dir, self._changed, self.stopped, self.watching)

    def _changed(self, paths: set[str]) -> None:
        started = time.perf_counter()
        snapshot = self.session.refresh()
        shown = ", ".join(sorted(paths)[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        report = snapshot.report
        problems = f"{report.errors} errors, {report.warnings} warnings"
        note = f" ({snapshot.failure})" if snapshot.failure else ""
        self.say(f"{shown} changed: updated in {time.perf_counter() - started:.2f} s, {problems}{note}")

    def stop(self) -> None:
        """Stop watching and serving; open pages' event streams end."""
        self.stopped.set()
        self.session.stop()
        if len(self.threads) > 1:
            self.server.shutdown()  # waits for serve_forever, so only once it runs
        self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)


def start(root: Path, out_dir: Path, host: str, port: int, say: Callable[[str], None]) -> Preview:
    """Read the book, then serve it at http://host:port/ and watch it. Port 0 picks a free port."""
    from ..load import load_book

    load_book(root)  # no book, no preview: exit 2 before anything is started
    session = Session(root, out_dir)
    try:
        server = PreviewServer((host, port), session)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise AnthologyError(
                f"Port {port} on {host} is already in use",
                f"Stop the other server, or choose another port: --port {port + 1}.",
            ) from None
        raise AnthologyError(f"Cannot serve on {host}:{port}: {error.strerror}", "Check --host and --port.") from None
    if host not in LOOPBACK:
        say(
            f"Warning: serving on {host}: anyone who can reach this computer on port {server.server_address[1]} "
            "can read the book, unpublished chapters included. Use --host 127.0.0.1 to keep it to yourself."
        )
    return Preview(session, server, say)
