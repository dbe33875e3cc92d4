"""The printed book, assembled from pieces laid out apart (in parallel, through a cache).

1. The pieces that do not depend on page numbers (title pages, front pages, parts and
   chapters, back pages) are laid out in *units*: the body is cut into runs of a few chapters
   at boundaries chosen by the chapters' ids, so editing one chapter re-lays out one unit and
   adding one shifts no boundary elsewhere.
2. Their lengths give every page its number: front matter in roman numerals, the body from 1
   on a right-hand page (a blank page is added before it when needed).
3. The contents and the author index are laid out with those numbers written in (the
   contents twice if its own length changes the roman folios after it).
4. The folio and running-head layer (folios.py) is laid out in runs of pages.
5. pikepdf joins the units, shifts each page towards its outer edge (mirrored margins),
   lays the stamps over them, and adds links, bookmarks and metadata.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import print_pieces
from .content import Content, pdf_date
from .folios import RUN, Stamp
from .folios import documents as folio_documents
from .fontmerge import merge_fonts
from .layout import LaidOut, Layouter
from .pagelist import PageBreak, page_breaks
from .print_pieces import Piece
from .tagging import Structure, as_artifact
from .theme import MARGINS, Margins

if TYPE_CHECKING:
    import pikepdf

UNIT_SPREAD = 4  # on average one body unit per this many pieces
# A first guess of the author index's length (fitted on generated 6 x 9 in books); it is
# checked after layout, and a wrong guess costs one more, mostly cached, run.
INDEX_NAMES_PER_PAGE, INDEX_LETTERS_PER_PAGE = 75, 36.5
STAMP = "/AnthologyStamp"  # the resource name of the folio/running-head layer on every page


class PlaceholderFolios(dict):  # type: ignore[type-arg]
    """Page numbers as wide as real ones, for measuring the contents before they are known."""

    def __missing__(self, key: str) -> str:
        return "888"

    def __contains__(self, key: object) -> bool:
        return True


@dataclass
class Unit:
    """Pieces laid out as one document, and where they landed in the book."""

    pieces: list[Piece]
    result: LaidOut | None = None
    first: int = 0  # physical index of the unit's first page in the book

    @property
    def laid(self) -> LaidOut:
        if self.result is None:
            raise RuntimeError("unit used before it was laid out")
        return self.result

    def starts(self) -> list[tuple[int, Piece]]:
        """(physical first page, piece) for each piece, in order."""
        return [(self.first + self.laid.starts[p.key], p) for p in self.pieces]

    def spans(self) -> list[tuple[int, int, Piece]]:
        """(first page, page count, piece) for each piece."""
        starts = self.starts()
        ends = [start for start, _ in starts[1:]] + [self.first + self.laid.pages]
        return [(start, end - start, piece) for (start, piece), end in zip(starts, ends)]


@dataclass(frozen=True)
class Printed:
    """The assembled PDF, where each chapter landed and every piece's printed page number, and
    what was read from the book while it was assembled (so the build reads its PDF once)."""

    pdf: bytes
    pages: int
    chapter_pages: dict[str, tuple[int, int]]  # chapter id -> (first physical page, page count)
    folios: dict[str, str] = field(default_factory=dict)  # piece key -> printed page number
    problems: tuple[str, ...] = ()  # what the safety check found (pdf_check.problems)
    faces: tuple[dict[str, str], ...] = ()  # the embedded fonts (manifest.embedded_faces)
    margins: Margins = MARGINS  # what the pages were laid out with (the print interior moves them from there)


@dataclass(frozen=True)
class Placed:
    """The book laid out and every page numbered, before its PDF is joined: enough for the
    EPUB's page list, which can then be made while the PDF is joined."""

    sequence: list[Unit | None]  # the units in page order (None: a blank page)
    stamps: list[Stamp]  # every page's folio and running head
    layers: list[LaidOut]  # the folio and running-head layer, laid out
    chapter_pages: dict[str, tuple[int, int]]  # chapter id -> (first physical page, page count)
    folios: dict[str, str]  # piece key -> printed page number
    openings: tuple[str, ...]  # every physical page's first lines (pagelist.page_openings)
    margins: Margins  # what the pages were laid out with

    def page_breaks(self) -> dict[str, list[PageBreak]]:
        """Each chapter's printed pages and the words that begin them (the EPUB's page list)."""
        return page_breaks(self.chapter_pages, self.folios, self.openings)


@dataclass(frozen=True)
class Joined:
    """The joined PDF and, for the whole book, its safety check and fonts."""

    pdf: bytes
    problems: tuple[str, ...] = ()
    faces: tuple[dict[str, str], ...] = ()


def index_pages_guess(content: Content) -> int:
    """How many pages the author index will probably take: names fill them, and so do letter headings."""
    groups = content.index()
    names = sum(len(entries) for _, entries in groups)
    return max(1, math.ceil(names / INDEX_NAMES_PER_PAGE + len(groups) / INDEX_LETTERS_PER_PAGE))


def _placeholder(key: str, pages: int) -> LaidOut:
    """A stand-in for a piece not laid out yet, `pages` long: enough to number the pages around it."""
    return LaidOut(b"", pages, {key: 0}, ())


def body_units(pieces: list[Piece]) -> list[list[Piece]]:
    """Cut the body into units at parts and at content-defined boundaries (stable under edits)."""
    units: list[list[Piece]] = []
    for piece in pieces:
        boundary = piece.matter == "part" or int(hashlib.sha1(piece.key.encode()).hexdigest(), 16) % UNIT_SPREAD == 0
        if not units or boundary:
            units.append([])
        units[-1].append(piece)
    return units


class Assembler:
    def __init__(self, content: Content, layouter: Layouter, draft: bool) -> None:
        self.content = content
        self.layouter = layouter
        self.draft = draft
        settings = content.book.settings
        self.trim = settings.trim if settings else "6x9"
        self.language = settings.language if settings else "en"
        self.labels = content.labels
        self.margins = MARGINS  # the theme's, or the print profile's (place)

    @property
    def outward(self) -> float:
        """How far a right-hand page moves towards its outer edge: rightwards, or leftwards when
        the spine is on the right (right-to-left books)."""
        return -self.margins.shift_pt if self.labels.rtl else self.margins.shift_pt

    def lay_out(self, units: list[Unit]) -> None:
        todo = [u for u in units if u.result is None]
        results = self.layouter.run(
            [partial(print_pieces.document, self.content, u.pieces, self.margins) for u in todo]
        )
        for unit, laid in zip(todo, results):
            unit.result = laid

    def place(self) -> Placed:
        """Lay out every piece and number every page: all but the PDF itself.

        A book with a print profile is laid out again when its page count asks the service for
        wider margins than it was laid out with (margins only grow, so this ends); the first
        layout stays cached, so later builds pay only for reading it."""
        from ..printing.interior import layout_margins
        from ..printing.profile import profile_of

        settings = self.content.book.settings
        placed = self._place()
        for _attempt in range(3):
            if settings is None or settings.printing is None:
                break
            wanted = layout_margins(profile_of(settings), len(placed.stamps))
            wider = Margins(max(wanted.inner, self.margins.inner), max(wanted.outer, self.margins.outer))
            if wider == self.margins:
                break
            self.margins = wider
            placed = self._place()
        return placed

    def _place(self) -> Placed:
        content = self.content
        front, body, back = print_pieces.static_pieces(content)
        titles = Unit([print_pieces.titles(content)])
        front_unit = Unit(front) if front else None
        body_part = [Unit(u) for u in body_units(body)]
        back_unit = Unit(back) if back else None
        static = [titles, *([front_unit] if front_unit else []), *body_part, *([back_unit] if back_unit else [])]
        body_units_all = [*body_part, *([back_unit] if back_unit else [])]
        # The contents' length (which the roman folios after it depend on) is measured with
        # placeholder numbers, in the same parallel run as everything else.
        sizing = Unit([print_pieces.contents(content, PlaceholderFolios())])
        self.lay_out([*static, sizing])

        # Body numbers do not depend on the front matter's length: they start at 1.
        folios: dict[str, str] = {}
        page = 1
        for unit in body_units_all:
            for piece in unit.pieces:
                folios[piece.key] = self.labels.number(page + unit.laid.starts[piece.key])
            page += unit.laid.pages
        folios["index"] = self.labels.number(page)
        index_piece = print_pieces.author_index(content, folios)
        # The contents, the index and the folio layer are laid out in one parallel run, the
        # layer for the lengths the contents and index are expected to have (the contents as
        # measured, the index as guessed from its names and letter headings); when one comes
        # out otherwise, the run is made again and only the changed documents are laid out.
        guess = {"contents": sizing.laid.pages, "index": index_pages_guess(content)}
        for _attempt in range(4):
            numbered = dict(folios)
            if front_unit is not None:
                number = titles.laid.pages + 1 + guess["contents"]
                for piece in front_unit.pieces:
                    numbered[piece.key] = self.labels.front_folio(number + front_unit.laid.starts[piece.key])
            contents_unit = Unit([print_pieces.contents(content, numbered)])
            index_unit = Unit([index_piece])
            contents_guess = Unit(contents_unit.pieces, _placeholder("contents", guess["contents"]))
            index_guess = Unit(index_unit.pieces, _placeholder("index", guess["index"]))
            sequence, physical = self.sequence(titles, contents_guess, front_unit, body_units_all, index_guess)
            stamps = self.stamps(sequence, physical)
            documents = folio_documents(stamps, self.trim, self.labels, self.draft, self.margins)
            laid = self.layouter.run(
                [print_pieces.document(content, u.pieces, self.margins) for u in (contents_unit, index_unit)]
                + documents
            )
            contents_unit.result, index_unit.result, stamp_layouts = laid[0], laid[1], laid[2:]
            actual = {"contents": contents_unit.laid.pages, "index": index_unit.laid.pages}
            if actual == guess:
                break
            guess = actual
        sequence, physical = self.sequence(titles, contents_unit, front_unit, body_units_all, index_unit)
        chapters = {
            piece.key[3:]: (start, count)
            for unit in body_part
            for start, count, piece in unit.spans()
            if piece.matter == "body" and piece.key.startswith("ch-")
        }
        openings = tuple(
            opening
            for unit in sequence
            for opening in (unit.laid.openings or ("",) * unit.laid.pages if unit is not None else ("",))
        )
        return Placed(sequence, stamps, stamp_layouts, chapters, numbered, openings, self.margins)

    def finish(self, placed: Placed, only: str | None = None) -> Printed:
        """The whole book's PDF, or with `only` (a chapter id) just that chapter's pages, numbered as in the book."""
        chapters = placed.chapter_pages
        selected = range(chapters[only][0], sum(chapters[only])) if only is not None else range(len(placed.stamps))
        joined = self.join(placed, selected)
        return Printed(
            joined.pdf, len(placed.stamps), chapters, placed.folios, joined.problems, joined.faces, placed.margins
        )

    @staticmethod
    def sequence(
        titles: Unit, contents: Unit, front: Unit | None, body: list[Unit], index: Unit
    ) -> tuple[list[Unit | None], int]:
        """The book's units in order, each given its first physical page (None: a blank page),
        and the physical page on which the body starts."""
        sequence: list[Unit | None] = [titles, contents, *([front] if front else [])]
        physical = sum(u.laid.pages for u in sequence if u is not None)
        if physical % 2:
            sequence.append(None)  # a blank page, so the body starts on a right-hand page
            physical += 1
        sequence += [*body, index]
        first = 0
        for placed in sequence:
            if placed is not None:
                placed.first = first
                first += placed.laid.pages
            else:
                first += 1
        return sequence, physical

    def stamps(self, sequence: list[Unit | None], body_start: int) -> list[Stamp]:
        """Folio and running head of every page of the book."""
        result: list[Stamp] = []
        for unit in sequence:
            if unit is None:
                result.append(Stamp(len(result) % 2 == 0))
                continue
            for start, count, piece in unit.spans():
                for page in range(start, start + count):
                    recto = page % 2 == 0
                    if piece.matter in ("plain", "part"):
                        result.append(Stamp(recto))
                        continue
                    number = page - body_start + 1
                    folio = self.labels.number(number) if piece.matter == "body" else self.labels.front_folio(page + 1)
                    head = "" if page == start else (piece.head if recto else self.content.title)
                    result.append(Stamp(recto, folio, head))
        return result

    def join(self, placed: Placed, selected: range) -> Joined:
        """One PDF of the `selected` physical pages (all of them for the book, a chapter's for a proof)."""
        import pikepdf

        from ..manifest import embedded_faces
        from .pdf_check import dictionaries, problems

        sequence, stamps, layers = placed.sequence, placed.stamps, placed.layers
        units = [unit for unit in sequence if unit is not None]
        out = pikepdf.new()
        whole = len(selected) == len(stamps)
        structure = Structure(out)
        sources: list[pikepdf.Pdf] = []
        physical: list[int] = []  # the physical page number of each page of `out`
        width = height = 0.0
        number = 0
        for unit in sequence:
            count = unit.laid.pages if unit is not None else 1
            if not any(page in selected for page in range(number, number + count)):
                number += count  # a proof opens only the units its chapter lies in
                continue
            physical.extend(range(number, number + count))
            number += count
            if unit is None:
                out.add_blank_page(page_size=(width, height))
                continue
            source = pikepdf.open(io.BytesIO(unit.laid.pdf))
            sources.append(source)
            box = source.pages[0].mediabox
            width, height = float(box[2]), float(box[3])
            first = len(out.pages)
            out.pages.extend(source.pages)
            if whole:
                structure.add(source, first, bool(unit.laid.links))
        layer_forms: dict[int, pikepdf.Object] = {}  # by physical page, for the layer runs that are needed
        for page, number in zip(out.pages, physical):
            if number not in selected:
                continue
            if number not in layer_forms:
                source = pikepdf.open(io.BytesIO(layers[number // RUN].pdf))
                sources.append(source)
                for offset, layer_page in enumerate(source.pages):
                    layer_forms[number // RUN * RUN + offset] = source.make_indirect(layer_page.as_form_xobject())
            self.stamp(out, page, stamps[number], layer_forms[number])
        if whole:
            self.link(out, units, structure)
            self.bookmarks(out, units)
            structure.finish()
        else:
            for index in reversed(range(len(physical))):
                if physical[index] not in selected:
                    del out.pages[index]
        objects = dictionaries(out)  # once for the font merge, the safety check and the manifest
        if whole:  # a proof's few units keep their own subsets
            merge_fonts(out, objects, self.layouter.cache.parent / "fonts" if self.layouter.cache else None)
        self.metadata(out)
        # The book is checked and its fonts listed while it is open (reading it back costs more).
        found = (tuple(problems(out, objects)), tuple(embedded_faces(objects))) if whole else ((), ())
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        for source in sources:
            source.close()
        return Joined(buffer.getvalue(), *found)

    def stamp(self, out: pikepdf.Pdf, page: pikepdf.Page, mark: Stamp, layer: pikepdf.Object) -> None:
        """Move `page` towards its outer edge (mirrored margins) and draw its folio and running
        head (`layer`, a form of the folio layer) over it, as an artifact."""
        import pikepdf

        shift = self.outward if mark.recto else -self.outward
        page.contents_add(pikepdf.Stream(out, f"q 1 0 0 1 {shift:.2f} 0 cm\n".encode()), prepend=True)
        page.contents_add(pikepdf.Stream(out, b"\nQ\n"))
        for annotation in page.obj.get("/Annots", []):
            rect = [float(v) for v in annotation.Rect]
            annotation.Rect = [rect[0] + shift, rect[1], rect[2] + shift, rect[3]]
        # pikepdf's add_overlay names the form randomly; a fixed name keeps builds byte-identical.
        form = out.copy_foreign(layer)
        # Pages of one unit share a /Resources dictionary: give each page its own copy.
        resources = pikepdf.Dictionary(dict(page.obj.get("/Resources", pikepdf.Dictionary()).items()))
        xobjects = pikepdf.Dictionary(dict(resources.get("/XObject", pikepdf.Dictionary()).items()))
        xobjects[STAMP] = form
        resources.XObject = xobjects
        page.obj.Resources = resources
        page.contents_add(pikepdf.Stream(out, as_artifact(f"q {STAMP} Do Q".encode())))

    def link(self, out: pikepdf.Pdf, units: list[Unit], structure: Structure) -> None:
        """Links from the contents and the index to the pages where pieces start, each tagged
        with its link text (a link laid out on several lines has several rectangles)."""
        import pikepdf

        targets = {piece.key: start for unit in units for start, piece in unit.starts()}
        pages = [page.obj for page in out.pages]
        for unit in units:
            tagged: list[list[pikepdf.Dictionary]] = []
            previous = None
            for link in unit.laid.links:
                if link.target not in targets:
                    continue
                page = pages[unit.first + link.page]
                shift = self.outward if (unit.first + link.page) % 2 == 0 else -self.outward
                x1, y1, x2, y2 = link.rect
                annotation = pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[x1 + shift, y1, x2 + shift, y2],
                    Border=[0, 0, 0],
                    Dest=[pages[targets[link.target]], pikepdf.Name.Fit],
                )
                if "/Annots" not in page:
                    page.Annots = pikepdf.Array()
                annotation = out.make_indirect(annotation)
                page.Annots.append(annotation)
                if (link.page, link.target) != previous:
                    tagged.append([])
                tagged[-1].append(annotation)
                previous = (link.page, link.target)
            structure.attach(unit.first, tagged)

    def bookmarks(self, out: pikepdf.Pdf, units: list[Unit]) -> None:
        """PDF bookmarks: front pages, contents, parts with their chapters, back matter, index."""
        import pikepdf

        starts = {piece.key: start for unit in units for start, piece in unit.starts()}
        content = self.content
        with out.open_outline() as outline:
            items = outline.root
            items.append(pikepdf.OutlineItem(self.labels.text("contents"), starts["contents"]))
            for index, page in enumerate(content.book.front):
                items.append(pikepdf.OutlineItem(page.title or "", starts[f"page-{index}"]))
            for part in content.parts:
                children = [
                    pikepdf.OutlineItem(
                        self.label(e.number, e.chapter.title or e.chapter.id), starts[f"ch-{e.chapter.id}"]
                    )
                    for e in part.entries
                ]
                if part.section is None:
                    items.extend(children)
                    continue
                item = pikepdf.OutlineItem(part.section.title, starts[f"part-{part.section.id}"])
                item.children.extend(children)
                items.append(item)
            offset = len(content.book.front)
            for index, page in enumerate(content.book.back):
                items.append(pikepdf.OutlineItem(page.title or "", starts[f"page-{offset + index}"]))
            if "contributors" in starts:
                items.append(pikepdf.OutlineItem(self.labels.text("contributors"), starts["contributors"]))
            items.append(pikepdf.OutlineItem(self.labels.text("index"), starts["index"]))

    def label(self, number: int | None, title: str) -> str:
        return f"{self.labels.toc_number(number)} {title}" if number is not None else title

    def metadata(self, out: pikepdf.Pdf) -> None:
        import pikepdf

        content = self.content
        settings = content.book.settings
        editors = ", ".join(settings.editors) if settings else ""
        authors = ", ".join(sorted({a.name or a.id for a in content.book.authors.values()}))
        stamp_date = pdf_date(content.date)
        out.docinfo = out.make_indirect(
            pikepdf.Dictionary(
                Title=pikepdf.String(content.title),
                Author=pikepdf.String(editors or authors),
                Subject=pikepdf.String(settings.subtitle if settings and settings.subtitle else content.title),
                Keywords=pikepdf.String(authors),
                Creator=pikepdf.String("anthology"),
                Producer=pikepdf.String("anthology (WeasyPrint, pikepdf)"),
                CreationDate=pikepdf.String(stamp_date),
                ModDate=pikepdf.String(stamp_date),
            )
        )
        out.Root.Lang = pikepdf.String(self.language)
        out.Root.PageMode = pikepdf.Name.UseOutlines
        if self.labels.rtl:  # pages progress right to left, as in printed right-to-left books
            out.Root.ViewerPreferences = pikepdf.Dictionary(Direction=pikepdf.Name.R2L)


def render(
    content: Content,
    draft: bool,
    jobs: int,
    cache: Path | None,
    only: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Printed:
    """Lay out and assemble the printed book (or, with `only`, one chapter's pages of it)."""
    with Layouter(content.book.root, cache, jobs, progress) as layouter:
        assembler = Assembler(content, layouter, draft)
        return assembler.finish(assembler.place(), only)
