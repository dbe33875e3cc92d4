"""The book's design: page sizes, margins, typefaces and the CSS files that use them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..fonts import SERIF_STACK, css_family
from ..labels import Labels
from . import writing
from .writing import book_css

THEME_DIR = Path(__file__).with_name("theme")

# Common print-on-demand trim sizes (width, height).
TRIMS = {
    "6x9": ("6in", "9in"),
    "5.5x8.5": ("5.5in", "8.5in"),
    "5x8": ("5in", "8in"),
    "7x10": ("7in", "10in"),
    "8.5x11": ("8.5in", "11in"),
    "letter": ("8.5in", "11in"),
    "a5": ("148mm", "210mm"),
    "a4": ("210mm", "297mm"),
    "b5": ("176mm", "250mm"),
}
_LENGTH = r"\d+(\.\d+)?(in|mm|cm|pt)"
_EXPLICIT = re.compile(rf"^({_LENGTH})\s+({_LENGTH})$")


def page_size(trim: str) -> tuple[str, str] | None:
    """`6x9`, `a5`, `letter` or `6in 9in` -> (width, height); None when not understood."""
    key = trim.strip().lower().replace(" ", "").replace("in", "") if "x" in trim.lower() else trim.strip().lower()
    if key in TRIMS:
        return TRIMS[key]
    match = _EXPLICIT.match(trim.strip())
    return (match.group(1), match.group(4)) if match else None


@dataclass(frozen=True)
class Margins:
    """Where the text block lies across a page, in inches: `inner` on the spine's side.

    The text block is the same width on every page and is laid out centred; assemble.py moves
    each page by `shift_pt` towards its outer edge, so the inner margin is the wider one. A book
    with a print profile gets the service's inside margin for its page count (printing/interior.py).
    """

    inner: float = 0.8
    outer: float = 0.6

    @property
    def shift_pt(self) -> float:
        return (self.inner - self.outer) / 2 * 72


MARGINS = Margins()
TOP, BOTTOM = 0.75, 0.85
HEAD_GAP = 0.1  # inches between the running head's baseline box and the text block


def print_css(trim: str, labels: Labels, margins: Margins = MARGINS) -> str:
    """The stylesheet of every piece: page size, the typeface stack, theme/print.css, then the
    rules of the book's language (writing.py)."""
    width, height = page_size(trim) or TRIMS["6x9"]
    side = (margins.inner + margins.outer) / 2
    return (
        f"@page {{ size: {width} {height}; margin: {TOP}in {side:g}in {BOTTOM}in; }}\n"
        f"body {{ font-family: {css_family(SERIF_STACK)}; }}\n"
        + (THEME_DIR / "print.css").read_text(encoding="utf-8")
        + writing.print_css(labels)
    )


def folio_css(trim: str, labels: Labels, margins: Margins = MARGINS) -> str:
    """The stylesheet of the folio and running-head layer (folios.py), with real mirrored margins.

    The head sits HEAD_GAP above the text block (a long one grows upwards), the folio 0.2in
    below it, DRAFT (when drafted) in the outer top corner; both stay over half an inch from
    the trim, the margin IngramSpark and Lulu keep clear. In a right-to-left book the
    spine is on the right of a right-hand (recto) page, so inner and outer swap sides.
    """
    width, height = page_size(trim) or TRIMS["6x9"]
    recto, verso = ("right", "left") if labels.rtl else ("left", "right")  # the spine's side of each page
    return (
        f"@page {{ size: {width} {height}; }}\n"
        f"html {{ font-family: {css_family(SERIF_STACK)}; }}\n"
        f".page {{ height: {height}; }}\n"
        f".recto .head, .recto .folio {{ {recto}: {margins.inner}in; {verso}: {margins.outer}in; }}\n"
        f".verso .head, .verso .folio {{ {verso}: {margins.inner}in; {recto}: {margins.outer}in; }}\n"
        f".head {{ bottom: calc({height} - {TOP - HEAD_GAP:.2f}in); }}\n"
        f".folio {{ top: calc({height} - {BOTTOM - 0.2:.2f}in); }}\n"
        f".draft {{ top: 0.3in; }} .recto .draft {{ {verso}: 0.2in; }} .verso .draft {{ {recto}: 0.2in; }}\n"
        + (THEME_DIR / "folios.css").read_text(encoding="utf-8")
        + book_css(labels, "html")
    )


def epub_css() -> str:
    return (THEME_DIR / "epub.css").read_text(encoding="utf-8")
