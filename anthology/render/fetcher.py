"""What WeasyPrint may read: only the book's pictures.

WeasyPrint's default URL fetcher reads any local file or URL a document names (and can
attach local files to the PDF). Ours serves only files under the book's images/ folder.
"""

from __future__ import annotations

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
