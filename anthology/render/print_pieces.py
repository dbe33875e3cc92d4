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

from ..labels import Labels
from ..model import Author, Chapter
from .content import Content, IndexEntry, isolated, key_language, name_attributes
from .theme import MARGINS, Margins, print_css


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


def name_span(labels: Labels, name: str, lang: str | None = None) -> str:
    return f"<span{name_attributes(name, labels, lang)}>{escape(name)}</span>"


def name_html(labels: Labels, author: Author) -> str:
    return name_span(labels, author.name or author.id, author.lang)


def byline(content: Content, chapter: Chapter) -> str:
    return content.labels.names([name_html(content.labels, a) for a in content.authors_of(chapter)])


def bio_html(content: Content, author: Author) -> str:
    """A contributor's entry: name, affiliation, bio, website and handle (never the e-mail)."""
    details = [escape(author.affiliation)] if author.affiliation else []
    if author.website:
        details.append(f'<a href="{escape(author.website)}">{escape(author.website)}</a>')
    if author.social:
        details.append(escape(author.social))
    photo = f'<img src="{escape(author.photo)}" alt="" />' if author.photo and author.photo in content.images else ""
    return (
        f'<div class="contributor">{photo}<h2>{name_html(content.labels, author)}</h2>'
        f"<p>{content.bios[author.id].print}</p>"
        + (f'<p class="details">{" · ".join(details)}</p>' if details else "")
        + "</div>"
    )


def copyright_lines(content: Content) -> str:
    """Publisher, ISBN, edition, rights, version and date: one paragraph each."""
    from stdnum import isbn

    settings = content.book.settings
    labels = content.labels
    lines = [f"<em>{escape(content.title)}</em>"]
    if settings and settings.publisher:
        lines.append(labels.html("published_by", publisher=escape(settings.publisher)))
    if settings and settings.isbn and isbn.is_valid(settings.isbn):
        lines.append(labels.html("isbn", isbn=f'<span dir="ltr">{escape(isbn.format(settings.isbn))}</span>'))
    if settings and settings.edition:
        lines.append(labels.html("edition", edition=escape(settings.edition)))
    lines.append(escape(settings.rights) if settings and settings.rights else labels.html("rights"))
    stamp = f'<span dir="ltr">{labels.number(content.date.strftime("%Y-%m-%d"))}</span>'
    version = f'<span dir="ltr">{escape(content.version)}</span>'
    lines.append(
        labels.html("version", version=version, date=stamp) if content.version else labels.html("built", date=stamp)
    )
    return "".join(f"<p>{line}</p>" for line in lines)


def titles(content: Content) -> Piece:
    """Half title, title page and copyright page."""
    settings = content.book.settings
    title = escape(content.title)
    subtitle = escape(settings.subtitle) if settings and settings.subtitle else ""
    editors = content.labels.names([name_span(content.labels, e) for e in settings.editors]) if settings else ""
    publisher = escape(settings.publisher) if settings and settings.publisher else ""
    html = (
        f'<section class="half-title"><h1>{title}</h1></section>'
        f'<section class="title-page"><h1>{title}</h1>'
        + (f'<p class="subtitle">{subtitle}</p>' if subtitle else "")
        + (f'<p class="editors">{content.labels.html("edited_by", names=editors)}</p>' if editors else "")
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
    labels = content.labels
    items = [
        _toc_line(f"page-{i}", isolated(page.title or "", labels), folios.get(f"page-{i}", ""), "front")
        for i, page in enumerate(book.front)
    ]
    for part in content.parts:
        if part.section is not None:
            key = f"part-{part.section.id}"
            items.append(_toc_line(key, isolated(part.section.title, labels), folios.get(key, ""), "part"))
        for entry in part.entries:
            chapter = entry.chapter
            number = f"{escape(labels.toc_number(entry.number))} " if entry.number is not None else ""
            by = f'<span class="toc-by">{byline(content, chapter)}</span>'
            label = number + isolated(chapter.title or chapter.id, labels)
            items.append(_toc_line(anchor(chapter), label, folios.get(anchor(chapter), ""), "chapter", by))
    offset = len(book.front)
    for i, page in enumerate(book.back):
        key = f"page-{offset + i}"
        items.append(_toc_line(key, isolated(page.title or "", labels), folios.get(key, ""), "back"))
    if "contributors" in folios:
        items.append(_toc_line("contributors", labels.html("contributors"), folios["contributors"], "back"))
    items.append(_toc_line("index", labels.html("index"), folios.get("index", ""), "back"))
    heading = labels.html("contents")
    return Piece(
        "contents",
        f'<nav class="toc"><h1>{heading}</h1><ol>{"".join(items)}</ol></nav>',
        "front",
        labels.text("contents"),
    )


def page_piece(content: Content, index: int, matter: str) -> Piece:
    page = [*content.book.front, *content.book.back][index]
    title = escape(page.title or "")

    def html() -> str:
        return f'<section class="editor-page"><h1>{title}</h1>{content.pages[page.path].print}</section>'

    return Piece(f"page-{index}", html, matter, page.title or "")


def part_piece(section_id: str, title: str) -> Piece:
    return Piece(f"part-{section_id}", f'<section class="part-title"><h1>{escape(title)}</h1></section>', "part")


def chapter_header(labels: Labels, chapter: Chapter, number: int | None, byline_html: str) -> str:
    """Chapter number, title, subtitle and byline: the same in both editions."""
    return (
        '<header class="chapter-header">'
        + (f'<p class="chapter-number">{escape(labels.chapter(number))}</p>' if number is not None else "")
        + f"<h1>{isolated(chapter.title or chapter.id, labels)}</h1>"
        + (
            f'<p class="subtitle" role="doc-subtitle">{isolated(chapter.subtitle, labels)}</p>'
            if chapter.subtitle
            else ""
        )
        + f'<p class="byline">{byline_html}</p></header>'
    )


def chapter_piece(content: Content, chapter: Chapter, number: int | None) -> Piece:
    settings = content.book.settings
    header = chapter_header(content.labels, chapter, number, byline(content, chapter))

    def html() -> str:
        after = ""
        if settings and settings.bios in ("chapter", "both"):
            after = "".join(
                f'<p class="chapter-bio">{name_html(content.labels, a)}: {content.bios[a.id].print}</p>'
                for a in content.authors_of(chapter)
            )
        return f'<article class="chapter">{header}{content.chapters[chapter.id].print}{after}</article>'

    return Piece(anchor(chapter), html, "body", chapter.title or chapter.id)


def contributors(content: Content) -> Piece:
    labels = content.labels

    def html() -> str:
        return (
            f'<section class="contributors"><h1>{labels.html("contributors")}</h1>'
            + "".join(bio_html(content, e.author) for e in content.contributors())
            + "</section>"
        )

    return Piece("contributors", html, "body", labels.text("contributors"))


def index_entry(labels: Labels, entry: IndexEntry, folios: dict[str, str]) -> str:
    links = labels.series(
        [f'<a href="#{anchor(e.chapter)}">{escape(folios.get(anchor(e.chapter), ""))}</a>' for e in entry.entries]
    )
    return f"<p>{name_span(labels, entry.key, key_language(entry))} {links}</p>"


def author_index(content: Content, folios: dict[str, str]) -> Piece:
    """The author index, with each chapter's starting folio written in."""
    letters = "".join(
        f"<h2>{escape(letter)}</h2>" + "".join(index_entry(content.labels, e, folios) for e in entries)
        for letter, entries in content.index()
    )
    heading = content.labels.html("index")
    html = f'<section class="author-index"><h1>{heading}</h1><div class="columns">{letters}</div></section>'
    return Piece("index", html, "body", content.labels.text("index"))


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


def document(content: Content, pieces: list[Piece], margins: Margins = MARGINS) -> str:
    """A standalone HTML document holding `pieces`, styled with the book's print CSS."""
    settings = content.book.settings
    labels = content.labels
    css = print_css(settings.trim if settings else "6x9", labels, margins)
    body = "".join(f'<div class="piece" id="{escape(p.key)}">{p.html}</div>' for p in pieces)
    return (
        f'<!DOCTYPE html><html lang="{escape(labels.language)}" dir="{labels.dir}"><head><meta charset="utf-8"/>'
        f"<title>{escape(content.title)}</title><style>{css}</style></head><body>{body}</body></html>"
    )
