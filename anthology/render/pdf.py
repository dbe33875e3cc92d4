"""What WeasyPrint may read, and what a finished PDF must not contain.

WeasyPrint's default URL fetcher reads any local file or URL a document names (and can
attach local files to the PDF). Ours serves only files under the book's images/ folder.
"""

from __future__ import annotations

import io
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..model import IMAGES_DIR

# Documents see the book at this fixed location, so where the book lies on disk never changes
# the output bytes (WeasyPrint names images after their URL).
VIRTUAL_ROOT = Path("/book")


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
