"""What `anthology preview` shows: the book as last saved, checked and converted, and its pages.

A refresh reads again only the chapters whose files changed (the others, already scanned and
measured, are kept), runs the checks, and converts only the texts that changed (the build's
conversion cache in OUT/.cache/convert holds the rest). The pages are those of the web edition (render/site.py),
made when a browser asks for one. Pages that are open wait in `wait()` for the next version.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Report
from ..errors import AnthologyError
from ..model import CHAPTERS_DIR, Book, Chapter

if TYPE_CHECKING:  # importing the site pulls in the renderers: done at the first refresh
    from ..render.site import Site


@dataclass(frozen=True)
class Snapshot:
    """One version of the book as the preview shows it."""

    version: int
    book: Book | None = None
    report: Report = field(default_factory=Report)
    site: Site | None = None
    failure: str = ""  # why the book could not be read or converted (the last good pages stay)


class Session:
    """The preview's book, refreshed on every save; thread-safe."""

    def __init__(self, root: Path, out_dir: Path) -> None:
        self.root = root
        self.out_dir = out_dir
        self.snapshot = Snapshot(0)
        self._changed = threading.Condition()
        self._refreshing = threading.Lock()
        self._proofing = threading.Lock()
        self.stopping = False
        self._stamps: dict[str, tuple[int, int]] = {}  # chapter path -> (mtime in ns, size) when last read

    def refresh(self) -> Snapshot:
        """Read, check and convert the book again, then wake every open page."""
        from ..load import load_book
        from ..render.content import prepare
        from ..render.site import Site
        from ..validate import validate

        with self._refreshing:
            previous = self.snapshot
            try:
                stamps = chapter_stamps(self.root)
                unchanged = frozenset(path for path, stamp in stamps.items() if self._stamps.get(path) == stamp)
                book = load_book(self.root, previous.book, unchanged)
                self._stamps = stamps
                content = prepare(book, self.out_dir / ".cache" / "convert")  # pandoc starts on the changed texts...
                report = validate(book)  # ...while the book is checked
                for texts in (content.chapters, content.bios, content.pages):
                    for key in texts:
                        texts[key]  # read every conversion now: pages are served from several threads
                site = Site(content, book.settings.site_url if book.settings else None)
                snapshot = Snapshot(previous.version + 1, book, report, site)
            except AnthologyError as error:
                snapshot = Snapshot(previous.version + 1, previous.book, previous.report, previous.site, error.message)
            except Exception:  # a bug must not stop the preview: it is shown and printed
                print(traceback.format_exc(), file=sys.stderr)
                failure = "anthology failed on this version of the book; the details are in the terminal."
                snapshot = Snapshot(previous.version + 1, previous.book, previous.report, previous.site, failure)
            with self._changed:
                self.snapshot = snapshot
                self._changed.notify_all()
            return snapshot

    def wait(self, version: int, timeout: float) -> int:
        """The current version once it is newer than `version`, or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.snapshot.version > version or self.stopping, timeout)
            return self.snapshot.version

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()

    def diagnostics(self, chapter: Chapter | None) -> list[Diagnostic]:
        """The book's diagnostics, or those of one chapter and its authors' entries."""
        from ..validate import relevant

        snapshot = self.snapshot
        found = snapshot.report.sorted()
        if chapter is None or snapshot.book is None:
            return found
        return [d for d in found if relevant(d, [chapter], snapshot.book)]

    def proof(self, chapter: Chapter) -> tuple[list[Path], str]:
        """Typeset one chapter with `anthology proof` in its own process: (PNG pages, error text)."""
        folder = self.out_dir / "proofs"
        command = [
            sys.executable, "-c", "from anthology.cli import main; main()",
            "proof", "--root", str(self.root), "--out", str(self.out_dir), str(self.root / chapter.path),
        ]  # fmt: skip
        with self._proofing:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            pngs = sorted(folder.glob(f"{chapter.id}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if result.returncode != 0:
            return [], (result.stderr or result.stdout).strip()[-2000:]
        return pngs, ""


def chapter_stamps(root: Path) -> dict[str, tuple[int, int]]:
    """(modification time, size) of each chapter file: a chapter whose stamp is unchanged is not read again."""
    stamps = {}
    for path in (root / CHAPTERS_DIR).glob("*.md"):
        try:
            status = path.stat()
        except OSError:
            continue
        stamps[f"{CHAPTERS_DIR}/{path.name}"] = (status.st_mtime_ns, status.st_size)
    return stamps


def chapter_named(book: Book | None, chapter_id: str) -> Chapter | None:
    return next((c for c in book.chapters if c.id == chapter_id), None) if book else None
