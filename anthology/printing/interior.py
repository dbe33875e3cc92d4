"""The print interior: the book's pages moved to the service's margins, padded, and boxed.

The printed edition is laid out once (render/assemble.py) with the margins `layout_margins`
chooses for the book's print profile and page count (the service's inside margin, at least the
theme's); here each page is shifted further towards its outer edge when the service asks for a
wider inside margin at the padded page count, grown by the bleed on its outer edges when the
book bleeds, and given its TrimBox and BleedBox, so the printer knows where to cut.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ..render.theme import MARGINS, Margins
from .profile import BLEED, POINTS, PrintProfile

SLACK = 0.05  # inches kept beyond a service's margin: glyphs (italics, punctuation) overhang the text block


@dataclass(frozen=True)
class Interior:
    pdf: bytes
    pages: int  # after padding: what the spine is computed from
    inside: float  # the inside margin (inches) the pages were moved to


def layout_margins(profile: PrintProfile, pages: int) -> Margins:
    """The margins a book of `pages` pages is laid out with so its interior keeps the service's:
    its inside margin at that page count and its outer one, never less than the theme's.
    (Lulu asks 1 in inside from 151 pages and 0.5 in outside: a narrower text block.)"""
    service = profile.service
    inside = service.inside_margin(service.padded(pages, last_blank=False))
    outside = service.outside_margin(profile.bleed)
    return Margins(max(MARGINS.inner, inside + SLACK), max(MARGINS.outer, outside + SLACK))


def interior(book_pdf: bytes, profile: PrintProfile, margins: Margins = MARGINS) -> Interior:
    """The print interior made from the assembled book PDF (whose last page, the index, has text),
    laid out with `margins`."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(book_pdf))
    box = pdf.pages[0].mediabox
    width, height = float(box[2]), float(box[3])
    service = profile.service
    pages = service.padded(len(pdf.pages), last_blank=False)
    while len(pdf.pages) < pages:
        pdf.add_blank_page(page_size=(width, height))
    inside = max(margins.inner, service.inside_margin(pages))
    extra = (inside - margins.inner) * POINTS
    bleed = BLEED * POINTS if profile.bleed else 0.0
    for number, page in enumerate(pdf.pages):
        recto = number % 2 == 0  # the first page is a right-hand page; its outer edge is on the right
        dx = extra if recto else bleed - extra
        move(pdf, page, dx, bleed)
        left = 0.0 if recto else bleed
        page.obj.MediaBox = [0, 0, round(width + bleed, 3), round(height + 2 * bleed, 3)]
        page.obj.BleedBox = page.obj.MediaBox
        page.obj.TrimBox = [left, bleed, round(left + width, 3), round(bleed + height, 3)]
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    pdf.close()
    return Interior(buffer.getvalue(), pages, inside)


def move(pdf: object, page: object, dx: float, dy: float) -> None:
    """Draw the page's content (and put its links) `dx`, `dy` points further right and up."""
    import pikepdf

    if not dx and not dy:
        return
    page.contents_add(pikepdf.Stream(pdf, f"q 1 0 0 1 {dx:.2f} {dy:.2f} cm\n".encode()), prepend=True)  # type: ignore[attr-defined]
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))  # type: ignore[attr-defined]
    for annotation in page.obj.get("/Annots", []):  # type: ignore[attr-defined]
        x1, y1, x2, y2 = (float(v) for v in annotation.Rect)
        annotation.Rect = [x1 + dx, y1 + dy, x2 + dx, y2 + dy]
