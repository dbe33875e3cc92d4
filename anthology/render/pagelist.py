"""The printed edition's page numbers in the e-book, so a reader can cite "p. 137" as in print.

The layout knows where every chapter starts and how many pages it fills (assemble.Printed);
the text at the top of each of its pages, read from each document's layout when it is laid
out (`page_openings`), is found again in the chapter's e-book text and marked there with an
EPUB page break. A chapter's first page is marked at its start.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any
from xml.etree import ElementTree as ET

WORDS = 5  # words of a page's first lines that find it in the e-book's text
_HYPHENS = ("-", "\u00ad", "\u2010", "\x02")


@dataclass(frozen=True)
class PageBreak:
    folio: str  # the printed page number
    words: tuple[str, ...]  # the first whole words printed on the page; () for a chapter's first page


def page_openings(pages: Sequence[Any]) -> tuple[str, ...]:
    """The first two lines of text of each of WeasyPrint's laid-out `pages` (what
    `_opening_words` reads), from its line boxes: in reading order, so a right-to-left name in
    a left-to-right line comes out as the e-book has it (text read back from the PDF comes in
    visual order), and without parsing the PDF."""
    from weasyprint.formatting_structure import boxes

    def lines(box: Any) -> Iterator[Any]:
        if isinstance(box, boxes.LineBox):
            yield box
            return
        for child in getattr(box, "children", ()):
            yield from lines(child)

    openings = []
    for page in pages:
        found: list[str] = []
        for line in lines(page._page_box):
            text = "".join(box.text for box in line.descendants() if isinstance(box, boxes.TextBox)).strip()
            if text:
                found.append(text)
            if len(found) == 2:
                break
        openings.append("\n".join(found))
    return tuple(openings)


def page_breaks(
    chapter_pages: dict[str, tuple[int, int]], folios: dict[str, str], openings: tuple[str, ...]
) -> dict[str, list[PageBreak]]:
    """Chapter id -> its printed pages, in order, each with the words that begin it.

    `chapter_pages` gives each chapter's first physical page and length, `folios` each piece's
    printed number, `openings` every physical page's first lines (`page_openings`)."""
    breaks: dict[str, list[PageBreak]] = {}
    for chapter_id, (first, count) in chapter_pages.items():
        folio = folios.get(f"ch-{chapter_id}", "")
        if not folio.isdigit():
            continue
        pages = [PageBreak(folio, ())]
        for offset in range(1, count):
            pages.append(PageBreak(str(int(folio) + offset), _opening_words(openings[first + offset])))
        breaks[chapter_id] = pages
    return breaks


def _opening_words(opening: str) -> tuple[str, ...]:
    """Whole words from a page's first lines (`page_openings`): the first word may end a word
    hyphenated on the page before, and a word broken at a line end is where they stop."""
    words: list[str] = []
    for word in opening.split()[1:]:
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
