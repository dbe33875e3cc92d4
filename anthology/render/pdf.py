"""The printed edition: WeasyPrint lays out print_html's document; we check what it wrote.

WeasyPrint's default URL fetcher reads any local file or URL a document names (and can
attach local files to the PDF). Ours serves only files under the book's images/ folder.
"""

from __future__ import annotations

import io
import mimetypes
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..model import IMAGES_DIR

# Documents see the book at this fixed location, so where the book lies on disk never changes
# the output bytes (WeasyPrint names images after their URL).
VIRTUAL_ROOT = Path("/book")
# Ids of the other elements that start on a new page (see print_html): they end a chapter.
PAGE_STARTS = re.compile(r"part-.+|page-\d+|contributors|author-index")


@dataclass(frozen=True)
class Layout:
    """The PDF bytes and where each chapter landed (physical, 0-based page indexes)."""

    pdf: bytes
    pages: int
    chapter_pages: dict[str, tuple[int, int]]  # chapter id -> (first page, page count)


def book_fetcher(root: Path):  # type: ignore[no-untyped-def]
    """A WeasyPrint URL fetcher that serves only regular files under <root>/images."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    images = (root / IMAGES_DIR).resolve()

    class BookFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            parsed = urlparse(url)
            if parsed.scheme != "file":
                raise ValueError(f"refused to fetch {url}: only the book's own images are used")
            virtual = Path(unquote(parsed.path))
            if not virtual.is_relative_to(VIRTUAL_ROOT):
                raise ValueError(f"refused to read {virtual}: outside the book")
            path = (root / virtual.relative_to(VIRTUAL_ROOT)).resolve()
            if not path.is_relative_to(images) or not path.is_file():
                raise ValueError(f"refused to read {path}: outside the book's images/ folder")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return BookFetcher()


def render_pdf(html: str, root: Path, anchors: list[str]) -> Layout:
    """Lay out the book. `anchors` are chapter ids (their elements are `#ch-<id>`)."""
    import weasyprint

    # fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    document = weasyprint.HTML(
        string=html, base_url=VIRTUAL_ROOT.as_uri() + "/", url_fetcher=book_fetcher(root)
    ).render()
    wanted = {f"ch-{chapter}": chapter for chapter in anchors}
    starts: dict[str, int] = {}
    firsts: dict[str, int] = {}  # an element's anchor is listed on every page it spans: keep the first
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            firsts.setdefault(name, number)
    starts = {wanted[name]: number for name, number in firsts.items() if name in wanted}
    boundaries = {len(document.pages)} | {  # pages where something that starts a new page begins
        number
        for name, number in firsts.items()
        if name in wanted or PAGE_STARTS.fullmatch(name)
    }
    pages = {chapter: (start, min(b for b in boundaries if b > start) - start) for chapter, start in starts.items()}
    pdf = document.write_pdf(pdf_identifier=True)  # derived from the content: deterministic
    return Layout(pdf=pdf, pages=len(document.pages), chapter_pages=pages)


def inspect_pdf(data: bytes) -> list[str]:
    """What must never be in a release PDF: attachments, scripts, launch actions, unembedded fonts."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    problems = []
    root = reader.trailer["/Root"]
    names = root.get("/Names", {})
    if "/EmbeddedFiles" in names:
        problems.append("the PDF has file attachments")
    if "/JavaScript" in names or "/OpenAction" in root or "/AA" in root:
        problems.append("the PDF has scripts or automatic actions")
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A", {})
            if action.get("/S") in ("/Launch", "/JavaScript", "/ImportData", "/SubmitForm"):
                problems.append(f"page {number} has a {action.get('/S')} action")
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                problems.append(f"page {number} has a file attachment")
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            if not _embedded(font.get_object()):
                problems.append(f"page {number} uses font {font.get_object().get('/BaseFont')} without embedding it")
    return sorted(set(problems))


def _embedded(font: dict) -> bool:  # type: ignore[type-arg]
    if font.get("/Subtype") == "/Type3":
        return True  # drawn with PDF operators: nothing to embed
    if font.get("/Subtype") == "/Type0":
        return all(_embedded(d.get_object()) for d in font.get("/DescendantFonts", []))
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
