"""K: book.yaml's `print:` profile: a known service, paper and binding, a cover picture under
images/, a printer's colour profile."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import BOOK_FILE, Book
from ..printing.pdfx import book_profile
from ..printing.profile import BINDINGS, PAPERS, SERVICES
from ..sources import YamlMap
from .book import is_cover_picture
from .ids import did_you_mean
from .registry import Finding, rule

CHOICES = {"service": SERVICES, "paper": PAPERS, "binding": BINDINGS}


def _printing(book: Book) -> YamlMap | None:
    return book.settings.printing if book.settings is not None else None


@rule("K001", "unknown-print-choice")
def unknown_print_choice(book: Book) -> Iterator[Finding]:
    """`print: service`, `paper` or `binding` in book.yaml is not one anthology knows.

    `service` is `kdp` (Amazon KDP), `lulu`, `ingram` (IngramSpark) or `generic`; `paper` is
    `white` or `cream`; `binding` is `paperback` or `hardcover`. Each service's rules for
    margins, page counts and the spine are built in (see `anthology build --format print`).
    """
    printing = _printing(book)
    if printing is None:
        return
    for key, allowed in CHOICES.items():
        value = printing.get(key)
        if isinstance(value, str) and value not in allowed:
            yield Finding(
                BOOK_FILE,
                printing.line_of(key),
                f"Print {key} '{value}' is not one of {', '.join(allowed)}",
                did_you_mean(value, list(allowed), f"Write 'print: {{{key}: {allowed[0]}}}' or another of them."),
            )


@rule("K002", "invalid-cover-image")
def invalid_cover_image(book: Book) -> Iterator[Finding]:
    """`print: cover_image` in book.yaml is not a picture file under images/.

    The front of the printed cover is made from this picture (PNG, JPEG, GIF, WebP or SVG in the
    book's images/ folder), scaled to cover the front and its bleed; without it a typographic
    front is set from the title, subtitle and editors.
    """
    printing = _printing(book)
    if printing is None or not isinstance(cover := printing.get("cover_image"), str):
        return
    if not is_cover_picture(book, cover):
        yield Finding(
            BOOK_FILE,
            printing.line_of("cover_image"),
            f"Cover image '{cover}' is not a picture file in images/",
            "Put the picture in images/ and write 'cover_image: images/<name>.jpg' (or .png, .gif, .webp, .svg).",
        )


@rule("K003", "invalid-color-profile")
def invalid_color_profile(book: Book) -> Iterator[Finding]:
    """`print: color_profile` in book.yaml is not a printer's CMYK ICC profile inside the book.

    With IngramSpark the print files declare PDF/X-4 for a printing condition, given as the
    condition's ICC profile: a CMYK output ('prtr') profile, which the service names and offers
    for download. Put the file in the book (for example under print/) and name its path.
    """
    printing = _printing(book)
    if printing is None or not isinstance(name := printing.get("color_profile"), str):
        return
    problem = book_profile(book.root, name)
    if isinstance(problem, str):
        yield Finding(
            BOOK_FILE,
            printing.line_of("color_profile"),
            f"Colour profile '{name}' cannot be used: {problem}",
            "Download the CMYK profile your print service names (an .icc file), put it in the book "
            "and write its path, e.g. 'color_profile: print/coated.icc'.",
        )
