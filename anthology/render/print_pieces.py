"""The printed edition as a sequence of pieces of HTML, each starting on a new page.

A piece is laid out on its own (see layout.py), so a chapter's layout depends only on its own
text: that is what lets chapters be laid out in parallel and cached. A piece's HTML is made
when first asked for, so the first units are laid out while pandoc converts the rest.
Folios and running heads are not part of a piece; folios.py adds them once every page's number
is known. The contents and the author index are made last, with the real page numbers written in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from html import escape

from ..model import Author, Chapter
from .content import Content, IndexEntry, name_attributes
from .theme import print_css

RIGHTS = "Each chapter © its author(s). All rights reserved."


@dataclass(frozen=True)
class Piece:
    """Part of the printed book that starts on a new page.

    matter: "plain" (no folio, no running head: title pages), "part" (counted, nothing shown),
    "front" (roman folios) or "body" (arabic folios).
    """

    key: str  # unique: "titles", "contents", "page-0", "part-<id>", "ch-<id>", "contributors", "index"
    source: str | Callable[[], str]  # the HTML, or how to make it once the texts it shows are converted
    matter: str
    head: str = ""  # the running head on right-hand pages (left-hand pages show the book title)

    @cached_property
    def html(self) -> str:
        return self.source if isinstance(self.source, str) else self.source()


def anchor(chapter: Chapter) -> str:
    return f"ch-{chapter.id}"


def name_html(author: Author) -> str:
    name = author.name or author.id
    return f"<span{name_attributes(name)}>{escape(name)}</span>"


def byline(content: Content, chapter: Chapter) -> str:
    names = [name_html(a) for a in content.authors_of(chapter)]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def bio_html(content: Content, author: Author) -> str:
    """A contributor's entry: name, affiliation, bio, website and handle (never the e-mail)."""
    details = [escape(author.affiliation)] if author.affiliation else []
    if author.website:
        details.append(f'<a href="{escape(author.website)}">{escape(author.website)}</a>')
    if author.social:
        details.append(escape(author.social))
    photo = f'<img src="{escape(author.photo)}" alt="" />' if author.photo and author.photo in content.images else ""
    return (
        f'<div class="contributor">{photo}<h2>{name_html(author)}</h2>'
        f"<p>{content.bios[author.id].print}</p>"
        + (f'<p class="details">{" · ".join(details)}</p>' if details else "")
        + "</div>"
    )


def copyright_lines(content: Content) -> str:
    """Publisher, ISBN, edition, rights, version and date: one paragraph each."""
    from stdnum import isbn

    settings = content.book.settings
    lines = [f"<em>{escape(content.title)}</em>"]
    if settings and settings.publisher:
        lines.append(f"Published by {escape(settings.publisher)}")
    if settings and settings.isbn and isbn.is_valid(settings.isbn):
        lines.append(f"ISBN {escape(isbn.format(settings.isbn))}")
    if settings and settings.edition:
        lines.append(f"Edition {escape(settings.edition)}")
    lines.append(escape(settings.rights if settings and settings.rights else RIGHTS))
    stamp = content.date.strftime("%Y-%m-%d")
    lines.append(f"Version {escape(content.version)}, {stamp}" if content.version else f"Built {stamp}")
    return "".join(f"<p>{line}</p>" for line in lines)


def titles(content: Content) -> Piece:
    """Half title, title page and copyright page."""
    settings = content.book.settings
    title = escape(content.title)
    subtitle = escape(settings.subtitle) if settings and settings.subtitle else ""
    editors = " and ".join(escape(e) for e in settings.editors) if settings else ""
    publisher = escape(settings.publisher) if settings and settings.publisher else ""
    html = (
        f'<section class="half-title"><h1>{title}</h1></section>'
        f'<section class="title-page"><h1>{title}</h1>'
        + (f'<p class="subtitle">{subtitle}</p>' if subtitle else "")
        + (f'<p class="editors">Edited by {editors}</p>' if editors else "")
        + (f'<p class="publisher">{publisher}</p>' if publisher else "")
        + "</section>"
        + f'<section class="copyright">{copyright_lines(content)}</section>'
    )
    return Piece("titles", html, "plain")


def _toc_line(key: str, label: str, folio: str, css_class: str, extra: str = "") -> str:
    return (
        f'<li class="{css_class}"><a href="#{escape(key)}"><span class="toc-title">{label}</span>'
        f'<span class="toc-page">{escape(folio)}</span></a>{extra}</li>'
    )


def contents(content: Content, folios: dict[str, str]) -> Piece:
    """The contents, with the folio where each piece starts written in."""
    book = content.book
    items = [
        _toc_line(f"page-{i}", escape(page.title or ""), folios.get(f"page-{i}", ""), "front")
        for i, page in enumerate(book.front)
    ]
    for part in content.parts:
        if part.section is not None:
            key = f"part-{part.section.id}"
            items.append(_toc_line(key, escape(part.section.title), folios.get(key, ""), "part"))
        for entry in part.entries:
            chapter = entry.chapter
            number = f"{entry.number}. " if entry.number is not None else ""
            by = f'<span class="toc-by">{byline(content, chapter)}</span>'
            label = number + escape(chapter.title or chapter.id)
            items.append(_toc_line(anchor(chapter), label, folios.get(anchor(chapter), ""), "chapter", by))
    offset = len(book.front)
    for i, page in enumerate(book.back):
        key = f"page-{offset + i}"
        items.append(_toc_line(key, escape(page.title or ""), folios.get(key, ""), "back"))
    if "contributors" in folios:
        items.append(_toc_line("contributors", "Contributors", folios["contributors"], "back"))
    items.append(_toc_line("index", "Index of Authors", folios.get("index", ""), "back"))
    return Piece("contents", f'<nav class="toc"><h1>Contents</h1><ol>{"".join(items)}</ol></nav>', "front", "Contents")


def page_piece(content: Content, index: int, matter: str) -> Piece:
    page = [*content.book.front, *content.book.back][index]
    title = escape(page.title or "")

    def html() -> str:
        return f'<section class="editor-page"><h1>{title}</h1>{content.pages[page.path].print}</section>'

    return Piece(f"page-{index}", html, matter, page.title or "")


def part_piece(section_id: str, title: str) -> Piece:
    return Piece(f"part-{section_id}", f'<section class="part-title"><h1>{escape(title)}</h1></section>', "part")


def chapter_header(chapter: Chapter, number: int | None, byline_html: str) -> str:
    """Chapter number, title, subtitle and byline: the same in both editions."""
    return (
        '<header class="chapter-header">'
        + (f'<p class="chapter-number">Chapter {number}</p>' if number is not None else "")
        + f"<h1>{escape(chapter.title or chapter.id)}</h1>"
        + (f'<p class="subtitle" role="doc-subtitle">{escape(chapter.subtitle)}</p>' if chapter.subtitle else "")
        + f'<p class="byline">{byline_html}</p></header>'
    )


def chapter_piece(content: Content, chapter: Chapter, number: int | None) -> Piece:
    settings = content.book.settings
    header = chapter_header(chapter, number, byline(content, chapter))

    def html() -> str:
        after = ""
        if settings and settings.bios in ("chapter", "both"):
            after = "".join(
                f'<p class="chapter-bio">{name_html(a)}: {content.bios[a.id].print}</p>' for a in content.authors_of(chapter)
            )
        return f'<article class="chapter">{header}{content.chapters[chapter.id].print}{after}</article>'

    return Piece(anchor(chapter), html, "body", chapter.title or chapter.id)


def contributors(content: Content) -> Piece:
    def html() -> str:
        return (
            '<section class="contributors"><h1>Contributors</h1>'
            + "".join(bio_html(content, e.author) for e in content.contributors())
            + "</section>"
        )

    return Piece("contributors", html, "body", "Contributors")


def index_entry(entry: IndexEntry, folios: dict[str, str]) -> str:
    links = ", ".join(
        f'<a href="#{anchor(e.chapter)}">{escape(folios.get(anchor(e.chapter), ""))}</a>' for e in entry.entries
    )
    return f"<p><span{name_attributes(entry.key)}>{escape(entry.key)}</span> {links}</p>"


def author_index(content: Content, folios: dict[str, str]) -> Piece:
    """The author index, with each chapter's starting folio written in."""
    letters = "".join(
        f"<h2>{escape(letter)}</h2>" + "".join(index_entry(e, folios) for e in entries)
        for letter, entries in content.index()
    )
    html = f'<section class="author-index"><h1>Index of Authors</h1><div class="columns">{letters}</div></section>'
    return Piece("index", html, "body", "Index of Authors")


def static_pieces(content: Content) -> tuple[list[Piece], list[Piece], list[Piece]]:
    """(before the contents, the body, the back matter before the index) in reading order."""
    settings = content.book.settings
    front = [page_piece(content, i, "front") for i in range(len(content.book.front))]
    body: list[Piece] = []
    for part in content.parts:
        if part.section is not None:
            body.append(part_piece(part.section.id, part.section.title))
        body.extend(chapter_piece(content, e.chapter, e.number) for e in part.entries)
    offset = len(content.book.front)
    back = [page_piece(content, offset + i, "body") for i in range(len(content.book.back))]
    if not settings or settings.bios in ("contributors", "both", "chapter"):
        back.append(contributors(content))
    return front, body, back


def document(content: Content, pieces: list[Piece]) -> str:
    """A standalone HTML document holding `pieces`, styled with the book's print CSS."""
    settings = content.book.settings
    language = settings.language if settings else "en"
    css = print_css(settings.trim if settings else "6x9")
    body = "".join(f'<div class="piece" id="{escape(p.key)}">{p.html}</div>' for p in pieces)
    return (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8"/>'
        f"<title>{escape(content.title)}</title><style>{css}</style></head><body>{body}</body></html>"
    )
