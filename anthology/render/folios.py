"""The folio and running-head layer: one empty page per book page, laid over the pages.

Pieces are laid out without folios or heads (their page numbers are unknown then); once every
piece's length is known, this layer is laid out in runs of pages (cached like the pieces) and
merged onto the book by assemble.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..labels import Labels
from .content import title_attributes
from .layout import UNTAGGED
from .theme import Margins, folio_css

RUN = 32  # pages per folio document: small runs are cached and reused when page counts hold


@dataclass(frozen=True)
class Stamp:
    recto: bool
    folio: str = ""
    head: str = ""


def document(stamps: list[Stamp], trim: str, labels: Labels, draft: bool, margins: Margins) -> str:
    mark = f'<div class="draft">{escape(labels.text("draft"))}</div>' if draft else ""
    pages = "".join(
        f'<div class="page {"recto" if s.recto else "verso"}">'
        + (f'<div class="head"{title_attributes(s.head, labels)}>{escape(s.head)}</div>' if s.head else "")
        + (f'<div class="folio">{escape(s.folio)}</div>' if s.folio else "")
        + f"{mark}</div>"
        for s in stamps
    )
    return (
        f'<!DOCTYPE html><html lang="{escape(labels.language)}" dir="{labels.dir}"><head><meta charset="utf-8"/>{UNTAGGED}'
        f"<style>{folio_css(trim, labels, margins)}</style></head><body>{pages}</body></html>"
    )


def documents(stamps: list[Stamp], trim: str, labels: Labels, draft: bool, margins: Margins) -> list[str]:
    """The folio layer in runs of RUN pages."""
    return [document(stamps[i : i + RUN], trim, labels, draft, margins) for i in range(0, len(stamps), RUN)]
