"""Laying out HTML documents with WeasyPrint: in parallel worker processes, through a cache.

Every piece of the printed book starts on a new page, so a piece's layout depends only on its
own HTML (and the fonts, images and the tool's version): that is the cache key. Entries are
checked against their recorded SHA-256 before use; a corrupt or stale entry is laid out again.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import logging
import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TypeVar

from .. import __version__
from .content import source_date
from .pagelist import page_openings

T = TypeVar("T")

PX_TO_PT = 0.75
# Documents are tagged (an accessible PDF, see tagging.py), except page furniture that says so.
UNTAGGED = '<meta name="anthology-layer" content="artifact"/>'


@dataclass(frozen=True)
class Link:
    """An internal link: on `page` (0-based, within its document), to `target`, at `rect` (PDF points)."""

    page: int
    target: str
    rect: tuple[float, float, float, float]


@dataclass(frozen=True)
class LaidOut:
    pdf: bytes
    pages: int
    starts: dict[str, int]  # element id -> first page it appears on
    links: tuple[Link, ...]
    # Each page's first lines of text (pagelist.py): read here, in parallel and cached, rather
    # than from the assembled book. Empty for page furniture.
    openings: tuple[str, ...] = ()

    def meta(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "starts": self.starts,
            "links": [[link.page, link.target, list(link.rect)] for link in self.links],
            "openings": list(self.openings),
            "sha256": hashlib.sha256(self.pdf).hexdigest(),
        }


class _NoMissingAnchors(logging.Filter):
    """The contents and index link to pieces laid out elsewhere; assemble.py makes those links."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No anchor #")


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


class _Worker:
    """What a layout process keeps between documents: one font configuration, parsed stylesheets.

    WeasyPrint otherwise builds a new fontconfig set-up and parses the stylesheet for every
    document, which costs about a quarter of a unit's layout time.
    """

    def __init__(self) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()
        self.sheets: dict[str, object] = {}

    def stylesheet(self, css: str) -> object:
        import weasyprint

        if css not in self.sheets:
            if len(self.sheets) >= 8:  # a long-lived process (tests) sees many books' themes
                self.sheets.clear()
            self.sheets[css] = weasyprint.CSS(string=css, font_config=self.fonts)
        return self.sheets[css]


_WORKER: _Worker | None = None


def import_weasyprint() -> ModuleType:
    """WeasyPrint, imported the first time with C libraries looked up in the loader's cache only,
    and adjusted for anthology's layouts (below).

    WeasyPrint tries each library under its Windows, macOS and Linux names; on Linux each name
    ctypes does not find makes it run the C compiler and the linker to search (16 misses, 0.2 s
    of every build). The names WeasyPrint can load are in the cache (or found by dlopen itself,
    which it tries next), so nothing is lost; other systems keep the usual lookup.
    """
    import ctypes.util
    import sys

    module: ModuleType | None = sys.modules.get("weasyprint")
    if module is None:
        cached = getattr(ctypes.util, "_findSoname_ldconfig", None)
        original = ctypes.util.find_library
        if sys.platform.startswith("linux") and cached is not None:
            ctypes.util.find_library = cached
        try:
            import weasyprint
        finally:
            ctypes.util.find_library = original
        module = weasyprint
    # WeasyPrint as anthology lays out with it (each adjustment is made once per process, also
    # when something imported WeasyPrint first): cffi's array types, the tagging (tagging.py).
    from .tagging import adjust_tagging

    _share_array_types()
    adjust_tagging()
    return module


_SIZED_ARRAY = re.compile(r"(.+)\[(\d+)\]")


def _share_array_types() -> None:
    """Let cffi parse the C type of WeasyPrint's glyph arrays once, not once per length.

    WeasyPrint subsets each font of each document with arrays typed `hb_codepoint_t[N]`, N
    being how many glyphs it keeps; cffi runs its C parser on every type string it has not
    seen (about 10 ms), over a hundred times per worker in a 300-chapter build. An array of
    exactly as many items as its list is the same array when typed `hb_codepoint_t[]`.
    """
    from weasyprint.text.ffi import ffi

    new = ffi.new
    if getattr(new, "shares_array_types", False):
        return

    def sized(cdecl: object, init: object = None) -> object:
        if isinstance(cdecl, str) and isinstance(init, list | tuple):
            match = _SIZED_ARRAY.fullmatch(cdecl)
            if match and int(match[2]) == len(init):
                cdecl = f"{match[1]}[]"
        return new(cdecl, init)

    sized.shares_array_types = True  # type: ignore[attr-defined]
    ffi.new = sized


def lay_out(html: str, root: Path) -> LaidOut:
    """One WeasyPrint run. Only ids of `.piece` and stamp elements matter to callers."""
    global _WORKER
    weasyprint = import_weasyprint()

    logging.getLogger("weasyprint").addFilter(_NO_MISSING_ANCHORS)

    from .fetcher import VIRTUAL_ROOT, book_fetcher

    if _WORKER is None:
        _WORKER = _Worker()
    sheets = [_WORKER.stylesheet(css) for css in _STYLE.findall(html)]
    document = weasyprint.HTML(
        string=_STYLE.sub("", html), base_url=VIRTUAL_ROOT.as_uri() + "/", url_fetcher=book_fetcher(root)
    ).render(font_config=_WORKER.fonts, stylesheets=sheets)
    starts: dict[str, int] = {}
    links = []
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            starts.setdefault(name, number)
        height = page.height * PX_TO_PT
        for kind, target, (x1, y1, x2, y2), _box in page.links:
            if kind == "internal":
                rect = (x1 * PX_TO_PT, height - y2 * PX_TO_PT, x2 * PX_TO_PT, height - y1 * PX_TO_PT)
                links.append(Link(number, target, tuple(round(v, 2) for v in rect)))
    tagged = UNTAGGED not in html
    # fontTools stamps subset fonts with the time unless SOURCE_DATE_EPOCH is set (a build sets it).
    with nullcontext() if "SOURCE_DATE_EPOCH" in os.environ else source_date(0):
        pdf = document.write_pdf(pdf_tags=tagged)
    return LaidOut(pdf, len(document.pages), starts, tuple(links), page_openings(document.pages) if tagged else ())


def _fingerprint() -> str:
    """What besides the HTML changes a layout: tool and WeasyPrint versions, the installed fonts
    (each file's path, size and modification time, so an updated font is laid out again)."""
    weasyprint = import_weasyprint()

    from ..fonts import font_files, stamps

    _, files = stamps(font_files() or [])
    return hashlib.sha256(
        json.dumps(
            [__version__, weasyprint.__version__, "tagged with languages, inline text, openings from the layout", files]
        ).encode()
    ).hexdigest()


_NO_MISSING_ANCHORS = _NoMissingAnchors()
_IMAGE = re.compile(r'src="([^"]+)"')


class Layouter:
    """Lays out many documents at once, reusing what the cache already holds."""

    def __init__(
        self, root: Path, cache: Path | None, jobs: int, progress: Callable[[int, int], None] | None = None
    ) -> None:
        self.progress = progress or (lambda done, total: None)
        self.root = root
        self.cache = cache
        self.jobs = max(1, jobs)
        self.fingerprint = _fingerprint() if cache is not None else ""
        self.memo: dict[str, LaidOut] = {}  # this run's layouts, also when there is no cache
        self.used: set[str] = set()  # cache files this run read or wrote
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Layouter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None
        if self.cache is not None and self.cache.is_dir():
            from ..fileio import remove_stale

            remove_stale(self.cache, self.used)

    def _pool(self) -> ProcessPoolExecutor:
        """One set of worker processes for the whole build (they keep fonts and stylesheets)."""
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"))
        return self.pool

    def submit(self, function: Callable[..., T], *args: object) -> Future[T]:
        """`function(*args)` run in a worker process while this one goes on (here when jobs is 1)."""
        if self.jobs > 1:
            return self._pool().submit(function, *args)
        future: Future[T] = Future()
        try:
            future.set_result(function(*args))
        except Exception as error:  # raised again by future.result(), as from a worker
            future.set_exception(error)
        return future

    def key(self, html: str) -> str:
        digest = hashlib.sha256(self.fingerprint.encode())
        digest.update(html.encode())
        for src in sorted(set(_IMAGE.findall(html))):
            path = self.root / src
            digest.update(src.encode() + (path.read_bytes() if path.is_file() else b""))
        return digest.hexdigest()

    def _read(self, key: str) -> LaidOut | None:
        if key in self.memo:
            return self.memo[key]
        if self.cache is None:
            return None
        try:
            meta = json.loads((self.cache / f"{key}.json").read_text())
            pdf = (self.cache / f"{key}.pdf").read_bytes()
            if hashlib.sha256(pdf).hexdigest() != meta["sha256"]:
                return None
            links = tuple(Link(int(p), str(t), tuple(r)) for p, t, r in meta["links"])
            starts = {str(k): int(v) for k, v in meta["starts"].items()}
            result = LaidOut(pdf, int(meta["pages"]), starts, links, tuple(str(t) for t in meta["openings"]))
            for name in (f"{key}.json", f"{key}.pdf"):
                self.used.add(name)
                os.utime(self.cache / name)  # in use: not stale
            return result
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or corrupt: lay it out again

    def _write(self, key: str, result: LaidOut) -> None:
        self.memo[key] = result
        if self.cache is None:
            return
        from ..fileio import write_atomically

        write_atomically(self.cache / f"{key}.pdf", result.pdf)
        write_atomically(self.cache / f"{key}.json", json.dumps(result.meta()).encode())
        self.used.update((f"{key}.pdf", f"{key}.json"))

    def run(self, documents: Sequence[str | Callable[[], str]]) -> list[LaidOut]:
        """Lay out every document (in the worker processes when jobs > 1); results in the same order.

        A document may be given as a function that makes it: it is made only when its turn
        comes, so documents already made are being laid out meanwhile. The workers are given
        the longest document made so far first (a few at a time, so the order can still change):
        the contents and the contributors grow with the book and are made last, when every bio
        is converted, and would otherwise keep one worker busy while the others wait.
        """
        results: dict[int, LaidOut] = {}
        keys: dict[int, str] = {}
        ready: list[tuple[int, int, str]] = []  # a heap: (-length, index, html)
        running: dict[Future[LaidOut], int] = {}
        total = len(documents)

        def laid_out(index: int, result: LaidOut) -> None:
            results[index] = result
            self._write(keys[index], result)
            self.progress(len(results), total)

        def collect(block: bool) -> None:
            finished, _ = wait(running, timeout=None if block else 0, return_when=FIRST_COMPLETED)
            for future in finished:
                laid_out(running.pop(future), future.result())
            while ready and len(running) < 2 * self.jobs:
                _, index, html = heapq.heappop(ready)
                running[self._pool().submit(lay_out, html, self.root)] = index

        for index, document in enumerate(documents):
            html = document if isinstance(document, str) else document()
            keys[index] = self.key(html)
            cached = self._read(keys[index])
            if cached is not None:
                results[index] = cached
            elif self.jobs > 1:
                heapq.heappush(ready, (-len(html), index, html))
                collect(block=False)
            else:
                laid_out(index, lay_out(html, self.root))
        while ready or running:
            collect(block=True)
        return [results[i] for i in range(total)]
