"""The printed edition as one HTML document, laid out by WeasyPrint with theme/print.css.

Page numbers in the contents and the author index are `target-counter()`s resolved by the
layout engine itself, so they are the pages where the chapters really start.
"""

from __future__ import annotations

from html import escape

from ..model import Author, Chapter
from .content import Content, IndexEntry, name_attributes
from .theme import print_css


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


def bio_html(content: Content, author: Author, heading: str = "h2") -> str:
    """A contributor's entry: name, affiliation, bio, website and handle (never the e-mail)."""
    details = [escape(x) for x in (author.affiliation,) if x]
    if author.website:
        details.append(f'<a href="{escape(author.website)}">{escape(author.website)}</a>')
    if author.social:
        details.append(escape(author.social))
    photo = (
        f'<img src="{escape(author.photo)}" alt="" />' if author.photo and author.photo in content.images else ""
    )
    return (
        f'<div class="contributor">{photo}<{heading}>{name_html(author)}</{heading}>'
        f"<p>{content.bios[author.id].print}</p>"
        + (f'<p class="details">{" · ".join(details)}</p>' if details else "")
        + "</div>"
    )


def front_matter(content: Content) -> str:
    settings = content.book.settings
    title = escape(content.title)
    subtitle = escape(settings.subtitle) if settings and settings.subtitle else ""
    editors = " and ".join(escape(e) for e in settings.editors) if settings else ""
    publisher = escape(settings.publisher) if settings and settings.publisher else ""
    return (
        f'<section class="front-matter half-title"><h1>{title}</h1></section>'
        f'<section class="front-matter title-page"><h1>{title}</h1>'
        + (f'<p class="subtitle">{subtitle}</p>' if subtitle else "")
        + (f'<p class="editors">Edited by {editors}</p>' if editors else "")
        + (f'<p class="publisher">{publisher}</p>' if publisher else "")
        + "</section>"
        + f'<section class="front-matter copyright">{copyright_lines(content)}</section>'
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
    rights = settings.rights if settings and settings.rights else "Each chapter © its author(s). All rights reserved."
    lines.append(escape(rights))
    stamp = content.date.strftime("%Y-%m-%d")
    lines.append(f"Version {escape(content.version)}, {stamp}" if content.version else f"Built {stamp}")
    return "".join(f"<p>{line}</p>" for line in lines)


def contents(content: Content) -> str:
    items = [
        f'<li class="front"><a class="roman" href="#page-{index}"><span class="toc-title">{escape(page.title or "")}</span></a></li>'
        for index, page in enumerate(content.book.front)
    ]
    for part in content.parts:
        if part.section is not None:
            items.append(
                f'<li class="part"><a href="#part-{escape(part.section.id)}"><span class="toc-title">'
                f"{escape(part.section.title)}</span></a></li>"
            )
        for entry in part.entries:
            chapter = entry.chapter
            number = f"{entry.number}. " if entry.number is not None else ""
            items.append(
                f'<li class="chapter"><a href="#{anchor(chapter)}"><span class="toc-title">{number}'
                f'{escape(chapter.title or chapter.id)}</span></a><span class="toc-by">{byline(content, chapter)}</span></li>'
            )
    offset = len(content.book.front)
    for index, page in enumerate(content.book.back):
        items.append(
            f'<li class="back"><a href="#page-{offset + index}"><span class="toc-title">{escape(page.title or "")}</span></a></li>'
        )
    items.append('<li class="back"><a href="#contributors"><span class="toc-title">Contributors</span></a></li>')
    items.append('<li class="back"><a href="#author-index"><span class="toc-title">Index of Authors</span></a></li>')
    return f'<nav class="toc front-matter" id="contents"><h1>Contents</h1><ol>{"".join(items)}</ol></nav>'


def page_html(content: Content, index: int, css_class: str) -> str:
    page = [*content.book.front, *content.book.back][index]
    return (
        f'<section class="{css_class}" id="page-{index}" data-book="{escape(content.title)}">'
        f"<h1>{escape(page.title or '')}</h1>{content.pages[page.path].print}</section>"
    )


def chapter_html(content: Content, chapter: Chapter, number: int | None) -> str:
    settings = content.book.settings
    bios = settings.bios if settings else "contributors"
    header = (
        '<header class="chapter-header">'
        + (f'<p class="chapter-number">Chapter {number}</p>' if number is not None else "")
        + f'<h1 data-book="{escape(content.title)}">{escape(chapter.title or chapter.id)}</h1>'
        + (f'<p class="subtitle">{escape(chapter.subtitle)}</p>' if chapter.subtitle else "")
        + f'<p class="byline">{byline(content, chapter)}</p></header>'
    )
    after = ""
    if bios in ("chapter", "both"):
        after = "".join(
            f'<p class="chapter-bio">{name_html(a)}: {content.bios[a.id].print}</p>' for a in content.authors_of(chapter)
        )
    return f'<article class="chapter" id="{anchor(chapter)}">{header}{content.chapters[chapter.id].print}{after}</article>'


def index_entry(entry: IndexEntry) -> str:
    links = ", ".join(f'<a href="#{anchor(e.chapter)}"></a>' for e in entry.entries)
    attributes = name_attributes(entry.key)
    return f"<p><span{attributes}>{escape(entry.key)}</span> {links}</p>"


def back_matter(content: Content) -> str:
    settings = content.book.settings
    offset = len(content.book.front)
    pages = "".join(page_html(content, offset + i, "back-page") for i in range(len(content.book.back)))
    bios = settings.bios if settings else "contributors"
    contributors = ""
    if bios in ("contributors", "both", "chapter"):
        contributors = (
            f'<section class="contributors" id="contributors"><h1 data-book="{escape(content.title)}">Contributors</h1>'
            + "".join(bio_html(content, e.author) for e in content.contributors())
            + "</section>"
        )
    letters = "".join(
        f"<h2>{escape(letter)}</h2>" + "".join(index_entry(e) for e in entries) for letter, entries in content.index()
    )
    index = (
        f'<section class="author-index" id="author-index"><h1 data-book="{escape(content.title)}">Index of Authors</h1>'
        f'<div class="columns">{letters}</div></section>'
    )
    return pages + contributors + index


def document(content: Content, draft: bool = False) -> str:
    """The whole printed book as one HTML string."""
    settings = content.book.settings
    language = settings.language if settings else "en"
    editors = ", ".join(settings.editors) if settings else ""
    stamp = content.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    front_pages = "".join(page_html(content, i, "front-page front-matter") for i in range(len(content.book.front)))
    body: list[str] = []
    for part in content.parts:
        if part.section is not None:
            body.append(
                f'<section class="part-title" id="part-{escape(part.section.id)}">'
                f'<h1 data-book="{escape(content.title)}">{escape(part.section.title)}</h1></section>'
            )
        body.extend(chapter_html(content, e.chapter, e.number) for e in part.entries)
    authors = ", ".join(sorted({a.name or a.id for a in content.book.authors.values()}))
    return (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8"/>'
        f"<title>{escape(content.title)}</title>"
        f'<meta name="author" content="{escape(editors or authors)}"/>'
        f'<meta name="keywords" content="{escape(authors)}"/>'
        f'<meta name="generator" content="anthology"/>'
        f'<meta name="dcterms.created" content="{stamp}"/><meta name="dcterms.modified" content="{stamp}"/>'
        f"<style>{print_css(settings.trim if settings else '6x9', draft)}</style></head><body>"
        + front_matter(content)
        + contents(content)
        + front_pages
        + f'<div class="main">{"".join(body)}{back_matter(content)}</div>'
        + "</body></html>"
    )
