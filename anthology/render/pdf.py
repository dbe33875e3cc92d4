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


_ACTIONS = ("/Launch", "/JavaScript", "/ImportData", "/SubmitForm")


def inspect_pdf(data: bytes) -> list[str]:
    """What must never be in a release PDF: attachments, scripts, launch actions, unembedded fonts.

    Every object of the file is looked at, not only what the pages reach directly, so a font
    inside a form (the folio layer) or an action on any annotation is found too.
    """
    import pikepdf

    problems = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        names = root.get("/Names", pikepdf.Dictionary())
        if "/EmbeddedFiles" in names:
            problems.add("the PDF has file attachments")
        if "/JavaScript" in names or "/OpenAction" in root or "/AA" in root:
            problems.add("the PDF has scripts or automatic actions")
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            kind, subtype = obj.get("/Type"), obj.get("/Subtype")
            if subtype == "/FileAttachment" or kind == "/Filespec" or "/EmbeddedFile" in (kind, subtype):
                problems.add("the PDF has file attachments")
            action = obj.get("/A")
            if isinstance(action, pikepdf.Dictionary) and action.get("/S") in _ACTIONS:
                problems.add(f"the PDF has a {action.get('/S')} action")
            if "/AA" in obj and kind != "/Catalog":
                problems.add("the PDF has scripts or automatic actions")
            if kind == "/Font" and not _embedded(obj):
                problems.add(f"the PDF uses font {obj.get('/BaseFont')} without embedding it")
    return sorted(problems)


def _embedded(font: object) -> bool:
    if font.get("/Subtype") == "/Type3":  # type: ignore[attr-defined]
        return True  # drawn with PDF operators: nothing to embed
    if font.get("/Subtype") == "/Type0":  # type: ignore[attr-defined]
        return all(_embedded(d) for d in font.get("/DescendantFonts", []))  # type: ignore[attr-defined]
    descriptor = font.get("/FontDescriptor")  # type: ignore[attr-defined]
    return descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
