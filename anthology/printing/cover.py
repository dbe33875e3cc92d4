"""The printed cover: back, spine and front on one sheet.

It is an HTML page laid out by WeasyPrint whose @page is the whole spread: the page box is the
trimmed cover (so WeasyPrint writes the TrimBox) and `bleed` adds what lies beyond it. For a
paperback that is the 0.125 in the printer cuts off; for a hardcover (case laminate) it is the
wrap folded over the boards, and the panels are the boards, with a hinge beside the spine where
the service gives it a band of its own. The spine's width comes from the interior's final page
count and the paper (paperback) or the service's hardcover table (profile.py); the spine carries
the title and editors only when the service allows text on a spine that thin. With an ISBN a
white 2 x 1.2 in area is kept clear on the back for the printer's barcode.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from html import escape

from ..fileio import inside
from ..fonts import SERIF_STACK, css_family
from ..model import IMAGES_DIR
from ..render.content import Content, name_attributes
from ..render.theme import TRIMS, page_size
from .interior import move
from .profile import BARCODE, BLEED, POINTS, PrintProfile

_UNITS = {"in": 1.0, "mm": 1 / 25.4, "cm": 1 / 2.54, "pt": 1 / 72}
SAFE = 0.375  # inches between the cover's text and a trim edge or fold (KDP asks 0.125 in; we keep more)
INK, PAPER = "#1d2b36", "#f4efe4"  # the typographic cover's ground and lettering


def inches(length: str) -> float:
    """'6in', '148mm', '15cm' or '432pt' in inches."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(in|mm|cm|pt)", length.strip())
    if match is None:
        raise ValueError(f"not a length: {length!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def trim_inches(trim: str) -> tuple[float, float]:
    width, height = page_size(trim) or TRIMS["6x9"]
    return inches(width), inches(height)


@dataclass(frozen=True)
class Geometry:
    """Where the cover's parts lie, in inches from the trimmed cover's left and bottom edges.

    The trimmed cover (the TrimBox) is what shows of the finished book: the back and front
    panels, the hinges and the spine. For a case that is the covered boards, as the services'
    casewrap templates draw the "book cover size"; `margin` (bleed or wrap) lies beyond it on
    all four edges and the MediaBox and BleedBox include it.
    """

    width: float  # one panel: the trimmed page (paperback) or the board (hardcover)
    height: float
    spine: float
    margin: float = BLEED  # beyond the trim on every edge: the bleed, or a hardcover's wrap
    hinge: float = 0.0  # a band beside each side of the spine (hardcover)

    @property
    def spread(self) -> float:
        """The trimmed cover's width: back, hinges, spine and front."""
        return 2 * (self.width + self.hinge) + self.spine

    @property
    def spine_left(self) -> float:
        return self.width + self.hinge

    @property
    def front_left(self) -> float:
        return self.spine_left + self.spine + self.hinge

    def barcode(self, profile: PrintProfile) -> tuple[float, float, float, float]:
        """The barcode area (left, bottom, right, top) on the back, at the service's place."""
        from_spine, from_bottom = profile.service.barcode
        right = self.width - from_spine
        return (right - BARCODE[0], from_bottom, right, from_bottom + BARCODE[1])


def geometry(trim: str, profile: PrintProfile, pages: int) -> Geometry:
    """The paperback's cover, or the hardcover's case where the service's figures are known
    (edition.py warns with P019 where they are not and makes no cover)."""
    width, height = trim_inches(trim)
    service = profile.service
    wrap = service.case_wrap if profile.binding == "hardcover" and service.makes_case else None
    if wrap is not None:
        board = service.case_overhang
        return Geometry(width + board, height + 2 * board, service.case_spine_width(pages), wrap, service.case_hinge)
    return Geometry(width, height, service.spine(pages, profile.paper))


def cover_html(content: Content, profile: PrintProfile, shape: Geometry, spine_text: bool) -> str:
    """The cover as one HTML page (positions in inches from the trimmed cover's top left)."""
    settings = content.book.settings
    editors = " and ".join(settings.editors) if settings and settings.editors else ""
    language = settings.language if settings else "en"
    isbn = bool(settings and settings.isbn)
    css = f"""
@page {{ size: {shape.spread:.4f}in {shape.height:.4f}in; margin: 0; bleed: {shape.margin:.4f}in; marks: none;
  background: {INK}; }}
html {{ font-family: {css_family(SERIF_STACK)}; color: {PAPER}; }}
body {{ margin: 0; }}
.panel {{ position: absolute; top: 0; height: {shape.height:.4f}in; width: {shape.width:.4f}in; }}
.back {{ left: 0; }}
.front {{ left: {shape.front_left:.4f}in; }}
.art {{ position: absolute; top: -{shape.margin:.4f}in; left: {shape.front_left:.4f}in;
  width: {shape.width + shape.margin:.4f}in; height: {shape.height + 2 * shape.margin:.4f}in; object-fit: cover; }}
.front .title {{ position: absolute; top: 1.6in; left: {SAFE + 0.2}in; right: {SAFE + 0.2}in; font-size: 30pt;
  line-height: 1.15; margin: 0; font-weight: normal; }}
.front .subtitle {{ position: absolute; top: 4.2in; left: {SAFE + 0.2}in; right: {SAFE + 0.2}in; font-size: 14pt;
  font-style: italic; margin: 0; }}
.front .editors {{ position: absolute; bottom: {SAFE + 0.6}in; left: {SAFE + 0.2}in; right: {SAFE + 0.2}in;
  font-size: 13pt; font-variant: small-caps; letter-spacing: 0.05em; margin: 0; }}
.back .text {{ position: absolute; top: {SAFE + 0.4}in; left: {SAFE + 0.2}in; right: {SAFE + 0.2}in;
  bottom: {SAFE + (BARCODE[1] + 0.6 if isbn else 0.2)}in; font-size: 10.5pt; line-height: 1.45; overflow: hidden; }}
.back p {{ margin: 0 0 0.7em; }}
.back .names {{ font-size: 8.5pt; font-style: italic; }}
.barcode {{ position: absolute; background: white; }}
.spine {{ position: absolute; left: {shape.spine_left + shape.spine / 2 - shape.height / 2:.4f}in;
  top: {shape.height / 2 - shape.spine / 2:.4f}in; width: {shape.height:.4f}in; height: {shape.spine:.4f}in;
  transform: rotate(90deg); display: flex; justify-content: center; align-items: center; white-space: nowrap;
  overflow: hidden;
  font-size: {min(12.0, shape.spine * POINTS * 0.45):.1f}pt; }}
.spine .by {{ font-variant: small-caps; margin-left: 1.5em; }}
"""
    art = (
        f'<img class="art" src="{escape(profile.cover_image or "")}" alt=""/>'
        if _usable(content, profile.cover_image)
        else ""
    )
    front = (
        ""
        if art
        else (
            f'<h1 class="title">{escape(content.title)}</h1>'
            + (f'<p class="subtitle">{escape(settings.subtitle)}</p>' if settings and settings.subtitle else "")
            + (f'<p class="editors">Edited by {escape(editors)}</p>' if editors else "")
        )
    )
    spine = (
        f'<div class="spine">{escape(content.title)}<span class="by">{escape(editors)}</span></div>'
        if spine_text
        else ""
    )
    barcode = ""
    if isbn:
        left, bottom, right, top = shape.barcode(profile)
        barcode = (
            f'<div class="barcode" style="left: {left:.4f}in; top: {shape.height - top:.4f}in; '
            f'width: {right - left:.4f}in; height: {top - bottom:.4f}in"></div>'
        )
    return (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8"/>'
        f"<title>{escape(content.title)}</title><style>{css}</style></head><body>"
        f'{art}<div class="panel back"><div class="text">{_back_text(content, profile)}</div></div>'
        f'{barcode}{spine}<div class="panel front">{front}</div></body></html>'
    )


def _usable(content: Content, picture: str | None) -> bool:
    """Whether the cover picture is a file under images/ (K002 reports it otherwise)."""
    if picture is None:
        return False
    real = inside(content.book.root, picture)
    return real is not None and real.is_relative_to((content.book.root / IMAGES_DIR).resolve()) and real.is_file()


def _back_text(content: Content, profile: PrintProfile) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", profile.blurb) if p.strip()]
    text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    if profile.contributors:
        names = ", ".join(
            f"<span{name_attributes(e.author.name or e.author.id, content.labels)}>{escape(e.author.name or e.author.id)}</span>"
            for e in content.contributors()
        )
        text += f'<p class="names">{content.labels.html("with_names", names=names)}</p>'
    return text


def cover(content: Content, profile: PrintProfile, pages: int) -> tuple[bytes, Geometry]:
    """The cover PDF for an interior of `pages` pages, and its geometry."""
    import pikepdf

    from ..render.layout import lay_out

    settings = content.book.settings
    shape = geometry(settings.trim if settings else "6x9", profile, pages)
    html = cover_html(content, profile, shape, profile.service.spine_text(pages))
    laid = lay_out(html, content.book.root)
    bleed = shape.margin * POINTS
    with pikepdf.open(io.BytesIO(laid.pdf)) as pdf:
        # WeasyPrint puts the bleed (or wrap) at negative coordinates; printers' tools prefer the origin at 0, 0.
        page = pdf.pages[0]
        move(pdf, page, bleed, bleed)
        width, height = shape.spread * POINTS, shape.height * POINTS
        page.obj.MediaBox = [0, 0, round(width + 2 * bleed, 3), round(height + 2 * bleed, 3)]
        page.obj.BleedBox = page.obj.MediaBox
        page.obj.TrimBox = [bleed, bleed, round(width + bleed, 3), round(height + bleed, 3)]
        pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(f"{content.title} (cover)")))
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue(), shape


def front_png(content: Content, profile: PrintProfile, width_px: int = 1600) -> bytes:
    """The printed cover's front as a PNG picture: the e-book's cover when book.yaml names none."""
    import pypdfium2

    # The front does not depend on the spine; a paperback's is the page's size (no boards).
    data, shape = cover(content, replace(profile, binding="paperback"), pages=0)
    document = pypdfium2.PdfDocument(data)
    try:
        scale = width_px / (shape.width * POINTS)
        image = document[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    left = round((shape.margin + shape.front_left) * POINTS * scale)
    top = round(shape.margin * POINTS * scale)
    front = image.crop((left, top, left + width_px, top + round(shape.height * POINTS * scale)))
    buffer = io.BytesIO()
    front.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
