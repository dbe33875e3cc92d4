"""The printed edition's page numbers in the e-book, so a reader can cite "p. 137" as in print.

The layout knows where every chapter starts and how many pages it fills (`Printed`); the text
at the top of each of its pages is read back from the PDF, found again in the chapter's e-book
text, and marked there with an EPUB page break. A chapter's first page is marked at its start.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from xml.etree import ElementTree as ET

from .assemble import Printed

WORDS = 5  # words of a page's first lines that find it in the e-book's text
_HYPHENS = ("-", "\u00ad", "\u2010", "\x02")


@dataclass(frozen=True)
class PageBreak:
    folio: str  # the printed page number
    words: tuple[str, ...]  # the first whole words printed on the page; () for a chapter's first page


def page_breaks(printed: Printed) -> dict[str, list[PageBreak]]:
    """Chapter id -> its printed pages, in order, each with the words that begin it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(printed.pdf)
    try:
        breaks: dict[str, list[PageBreak]] = {}
        for chapter_id, (first, count) in printed.chapter_pages.items():
            folio = printed.folios.get(f"ch-{chapter_id}", "")
            if not folio.isdigit():
                continue
            pages = [PageBreak(folio, ())]
            for offset in range(1, count):
                textpage = document[first + offset].get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
                pages.append(PageBreak(str(int(folio) + offset), _opening_words(text)))
            breaks[chapter_id] = pages
        return breaks
    finally:
        document.close()


def _opening_words(text: str) -> tuple[str, ...]:
    """Whole words from a page's first lines: the first word may end a word hyphenated on the
    page before, and a word broken at a line end is where they stop."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    words: list[str] = []
    for word in " ".join(lines[:2]).split()[1:]:
        if word.endswith(_HYPHENS):
            break
        words.append(word)
        if len(words) == WORDS:
            break
    return tuple(words) if len(words) >= 2 else ()


def anchor(page: PageBreak) -> str:
    """The id of a page's marker: ASCII digits whatever digits the folio is printed in (۱۳۷ -> page-137)."""
    return f"page-{int(page.folio)}"


def marker(page: PageBreak) -> ET.Element:
    return ET.Element(
        "span", {"epub:type": "pagebreak", "role": "doc-pagebreak", "id": anchor(page), "aria-label": page.folio}
    )


Piece = tuple[ET.Element, "ET.Element | None", str]  # (element, parent, "text" or "tail")


def _slots(element: ET.Element) -> Iterator[Piece]:
    """Every place text can sit, in reading order: an element's text, its children, their tails."""
    yield element, None, "text"
    for child in element:
        yield from _slots(child)
        yield child, element, "tail"


def mark(root: ET.Element, pages: list[PageBreak]) -> int:
    """Put a page-break marker in `root` (a chapter's text) where each of `pages` begins.

    A page whose opening words are not found (it opens with a picture, say) is marked where the
    page before it was found; how many were is returned.
    """
    pieces = list(_slots(root))
    texts = [(getattr(element, slot) or "") for element, _, slot in pieces]
    full = "".join(texts)
    starts = list(accumulate((len(text) for text in texts[:-1]), initial=0))
    cursor, placed, unfound = 0, [], 0
    for page in pages:
        pattern = r"\s+".join(re.escape(word) for word in page.words)
        found = re.compile(pattern).search(full, cursor) if page.words else None
        if found is None:
            unfound += 1
            placed.append((cursor, page))
            continue
        before = re.search(r"(\S+)\s*$", full[cursor : found.start()])  # the page's first word, skipped above
        placed.append((cursor + before.start(1) if before else found.start(), page))
        cursor = found.end()
    for offset, page in reversed(placed):  # from the end, so earlier offsets stay valid
        index = bisect_right(starts, offset) - 1
        _insert(pieces[index], offset - starts[index], marker(page))
    return unfound


def _insert(piece: Piece, offset: int, span: ET.Element) -> None:
    """Put `span` into the text slot `piece` at `offset`."""
    element, parent, slot = piece
    text = getattr(element, slot) or ""
    span.tail = text[offset:]
    if slot == "text":
        element.text = text[:offset]
        element.insert(0, span)
    else:
        assert parent is not None
        element.tail = text[:offset]
        parent.insert(list(parent).index(element) + 1, span)
