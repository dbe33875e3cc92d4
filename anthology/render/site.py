"""The web edition: one HTML page per chapter, contributor and editor page, from `Content`.

The pages wrap the HTML that sanitize.lua already made safe (the e-book's variant: notes at the
end of each chapter, linked both ways); nothing else of the authors' reaches a page unescaped.
Every link is relative, so the site works from any folder, from a file:// URL and behind
`anthology preview`; it needs no JavaScript and asks no other host for anything (the reader's
own fonts, one stylesheet). With `site_url:` in book.yaml, pages carry canonical URLs and the
site a sitemap.xml. The same sources and SOURCE_DATE_EPOCH give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape, unescape
from pathlib import Path
from urllib.parse import quote

from ..fonts import SERIF_STACK, css_family
from ..identifiers import is_id
from ..model import Author, Chapter
from ..model import Page as EditorPage
from .content import Content, isolated, key_language, name_attributes
from .epub import Pictures
from .print_pieces import chapter_header, copyright_lines, name_span
from .theme import THEME_DIR

__all__ = ["Site", "stylesheet"]

STYLESHEET = "site.css"
INDEX_PAGE = "authors/index.html"
_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def _file_name(folder: str, name: str, fallback: str) -> str:
    """`folder/name.html` for a plain id, else `folder/fallback.html` (ids are checked, but a draft may differ)."""
    return f"{folder}/{name if is_id(name) else fallback}.html"


def relative(source: str, target: str) -> str:
    """The link from page `source` to site path `target` (both relative to the site's root)."""
    return "../" * source.count("/") + quote(target)


def excerpt(html: str, limit: int = 200) -> str:
    """The first words of a text as plain text, for descriptions shown by search engines and link previews."""
    text = " ".join(unescape(_TAG.sub(" ", html)).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class SitePage:
    path: str  # in the site, e.g. "chapters/my-id.html"
    title: str
    render: Callable[[], str]  # the page's <main> content
    kind: str = "website"  # OpenGraph type
    description: str = ""


class Site:
    """The pages of the web edition by their path in the site; each is made when asked for.

    `chrome(page_path)` adds HTML at the top of a page's <main> and `head` to every <head>:
    `anthology preview` uses them for its diagnostics panel and live reload.
    """

    def __init__(self, content: Content, site_url: str | None = None) -> None:
        self.content = content
        self.settings = content.book.settings
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.pictures = Pictures(content)
        self.labels = content.labels  # the book's own words, digits and direction (labels.py)
        entries = content.entries
        self.chapter_files = {
            e.chapter.id: _file_name("chapters", e.chapter.id, f"chapter-{n}") for n, e in enumerate(entries, 1)
        }
        self.author_files = {
            e.author.id: _file_name("authors", e.author.id, f"author-{n}")
            for n, e in enumerate(content.contributors(), 1)
        }
        pages = [*content.book.front, *content.book.back]
        self.page_files = {
            page.path: _file_name("pages", Path(page.path).stem, f"page-{n}") for n, page in enumerate(pages, 1)
        }
        self.pages = self._pages()

    # --- the list of pages -------------------------------------------------------------------

    def _pages(self) -> dict[str, SitePage]:
        content = self.content
        found = [SitePage("index.html", content.title, self.home)]
        for page in [*content.book.front, *content.book.back]:
            path = self.page_files[page.path]
            found.append(SitePage(path, page.title or "", partial(self.editor_page, page)))
        entries = content.entries
        for position, entry in enumerate(entries):
            chapter = entry.chapter
            path = self.chapter_files[chapter.id]
            before = entries[position - 1].chapter if position > 0 else None
            after = entries[position + 1].chapter if position + 1 < len(entries) else None
            found.append(
                SitePage(
                    path,
                    chapter.title or chapter.id,
                    partial(self.chapter, chapter, entry.number, before, after),
                    "article",
                    excerpt(content.chapters[chapter.id].epub),
                )
            )
        for index_entry in content.contributors():
            author = index_entry.author
            path = self.author_files[author.id]
            found.append(SitePage(path, author.name or author.id, partial(self.contributor, author), "profile"))
        found.append(SitePage(INDEX_PAGE, self.labels.text("index"), self.author_index))
        return {page.path: page for page in found}

    def files(self) -> dict[str, bytes]:
        """Every file of the static site by its path: pages, stylesheet, pictures, sitemap."""
        result = {path: self.document(path).encode() for path in self.pages}
        result[STYLESHEET] = stylesheet().encode()
        for image in self.pictures.by_path.values():
            result[image.href] = image.data
        if self.site_url:
            result["sitemap.xml"] = self.sitemap().encode()
        return dict(sorted(result.items()))

    def sitemap(self) -> str:
        lastmod = self.content.date.strftime("%Y-%m-%d")
        urls = "".join(
            f"<url><loc>{escape(self.url(path))}</loc><lastmod>{lastmod}</lastmod></url>\n" for path in self.pages
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
        )

    def url(self, path: str) -> str:
        assert self.site_url is not None
        return self.site_url + ("" if path == "index.html" else quote(path))

    # --- the frame of every page --------------------------------------------------------------

    def document(self, path: str, head: str = "", panel: str = "") -> str:
        """The whole HTML document of page `path`; `head` and `panel` are for `anthology preview`."""
        page = self.pages[path]
        home = relative(path, "index.html")
        title = page.title if path == "index.html" else f"{page.title} · {self.content.title}"
        words = self.labels.html
        return (
            f'<!DOCTYPE html>\n<html lang="{escape(self.labels.language)}" dir="{self.labels.dir}">\n<head>\n'
            '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n{self.metadata(page)}"
            f'<link rel="stylesheet" href="{relative(path, STYLESHEET)}">\n{head}</head>\n<body>\n'
            f'<header class="site-header"><a href="{home}">{isolated(self.content.title, self.labels)}</a>'
            f'<nav aria-label="{escape(self.labels.text("contents"))}"><a href="{home}#contents">{words("contents")}</a> '
            f'<a href="{relative(path, INDEX_PAGE)}">{words("index")}</a></nav></header>\n'
            f'<main id="main">\n{panel}{page.render()}\n</main>\n'
            f'<footer class="site-footer">{copyright_lines(self.content)}</footer>\n</body>\n</html>\n'
        )

    def metadata(self, page: SitePage) -> str:
        """Description, OpenGraph properties and (with `site_url`) the canonical URL."""
        tags = [("og:title", page.title), ("og:type", page.kind), ("og:site_name", self.content.title)]
        tags.append(("og:locale", self.labels.language.replace("-", "_")))
        if page.description:
            tags.append(("og:description", page.description))
        html = f'<meta name="description" content="{escape(page.description)}">\n' if page.description else ""
        if self.site_url:
            tags.append(("og:url", self.url(page.path)))
            html += f'<link rel="canonical" href="{escape(self.url(page.path))}">\n'
        return html + "".join(f'<meta property="{name}" content="{escape(value)}">\n' for name, value in tags)

    # --- pages --------------------------------------------------------------------------------

    def home(self) -> str:
        content, settings, labels = self.content, self.settings, self.labels
        path = "index.html"
        editors = labels.names([name_span(labels, e) for e in settings.editors]) if settings else ""
        items = [self._link_item(path, self.page_files[p.path], p.title or "") for p in content.book.front]
        for part in content.parts:
            chapters = "".join(self._contents_chapter(path, e.chapter, e.number) for e in part.entries)
            if part.section is None:
                items.append(chapters)
            else:
                items.append(
                    f'<li class="part"><h3>{isolated(part.section.title, labels)}</h3><ol>{chapters}</ol></li>'
                )
        items += [self._link_item(path, self.page_files[p.path], p.title or "") for p in content.book.back]
        items.append(self._link_item(path, INDEX_PAGE, labels.text("index")))
        subtitle = settings.subtitle if settings else None
        return (
            f'<section class="title-page"><h1>{isolated(content.title, labels)}</h1>'
            + (f'<p class="subtitle">{isolated(subtitle, labels)}</p>' if subtitle else "")
            + (f'<p class="editors">{labels.html("edited_by", names=editors)}</p>' if editors else "")
            + f'</section>\n<nav id="contents" class="contents" aria-labelledby="contents-title">'
            f'<h2 id="contents-title">{labels.html("contents")}</h2><ol>{"".join(items)}</ol></nav>'
        )

    def _link_item(self, source: str, target: str, label: str) -> str:
        return f'<li><a href="{relative(source, target)}">{isolated(label, self.labels)}</a></li>'

    def _contents_chapter(self, source: str, chapter: Chapter, number: int | None) -> str:
        label = isolated(chapter.title or chapter.id, self.labels)
        names = self.labels.names([self._name(a) for a in self.content.authors_of(chapter)])
        return (
            f'<li class="chapter"><a href="{relative(source, self.chapter_files[chapter.id])}">'
            + (f'<span class="number">{escape(self.labels.toc_number(number))}</span> ' if number is not None else "")
            + f'{label}</a> <span class="by">{names}</span></li>'
        )

    def _name(self, author: Author) -> str:
        return name_span(self.labels, author.name or author.id, author.lang)

    def _byline(self, source: str, chapter: Chapter) -> str:
        links = [
            f'<a href="{relative(source, self.author_files[a.id])}">{self._name(a)}</a>'
            for a in self.content.authors_of(chapter)
            if a.id in self.author_files
        ]
        return self.labels.names(links)

    def text(self, source: str, html: str) -> str:
        """Sanitized HTML with each picture pointing at its copy in the site (or its description)."""

        def picture(match: re.Match[str]) -> str:
            attributes = dict(_ATTRIBUTE.findall(match.group(0)))
            image = self.pictures.lookup(unescape(attributes.get("src", "")))
            if image is None:
                return f'<span class="missing-image">{attributes.get("alt", "")}</span>'
            return match.group(0).replace(f'src="{attributes["src"]}"', f'src="{relative(source, image.href)}"', 1)

        return _IMG.sub(picture, html)

    def bio(self, source: str, author: Author) -> str:
        return f'<div class="bio">{self.text(source, self.content.bios[author.id].epub)}</div>'

    def chapter(self, chapter: Chapter, number: int | None, before: Chapter | None, after: Chapter | None) -> str:
        source = self.chapter_files[chapter.id]
        header = chapter_header(self.labels, chapter, number, self._byline(source, chapter))
        body = self.text(source, self.content.chapters[chapter.id].epub)
        bios = ""
        if self.settings and self.settings.bios in ("chapter", "both"):
            bios = "".join(
                f'<div class="chapter-bio"><h2>{self._name(a)}</h2>{self.bio(source, a)}</div>'
                for a in self.content.authors_of(chapter)
            )
            label = escape(self.labels.text("about_authors"))
            bios = f'<aside class="chapter-bios" aria-label="{label}">{bios}</aside>'
        links = []
        if before is not None:
            links.append(self._neighbour(source, before, "prev"))
        if after is not None:
            links.append(self._neighbour(source, after, "next"))
        label = escape(self.labels.text("contents"))
        neighbours = f'<nav class="neighbours" aria-label="{label}">{"".join(links)}</nav>' if links else ""
        return f'<article class="chapter">{header}{body}{bios}</article>{neighbours}'

    def _neighbour(self, source: str, chapter: Chapter, rel: str) -> str:
        """A link to the chapter before or after, with an arrow that points the way the book reads."""
        href = relative(source, self.chapter_files[chapter.id])
        arrow = "←" if (rel == "prev") != (self.labels.dir == "rtl") else "→"
        return (
            f'<a class="{rel}" rel="{rel}" href="{href}">'
            f'<span class="label" aria-hidden="true">{arrow}</span> {isolated(chapter.title or chapter.id, self.labels)}</a>'
        )

    def editor_page(self, page: EditorPage) -> str:
        source = self.page_files[page.path]
        text = self.text(source, self.content.pages[page.path].epub)
        return f'<article class="editor-page"><h1>{isolated(page.title or "", self.labels)}</h1>{text}</article>'

    def contributor(self, author: Author) -> str:
        """Name, photo, affiliation, bio, website, handle and chapters; never the e-mail address."""
        source = self.author_files[author.id]
        name = author.name or author.id
        image = self.pictures.lookup(author.photo) if author.photo else None
        alt = escape(self.labels.text("photo_of", name=name))
        photo = f'<img class="photo" src="{relative(source, image.href)}" alt="{alt}">' if image else ""
        details = []
        if author.affiliation:
            details.append(f'<p class="affiliation">{escape(author.affiliation)}</p>')
        if author.website and re.match(r"^https?://", author.website, re.IGNORECASE):
            href = quote(author.website, safe=":/?#[]@!$&'()*+,;=%~")
            details.append(f'<p class="website"><a href="{escape(href)}">{escape(author.website)}</a></p>')
        if author.social:
            details.append(f'<p class="social">{escape(author.social)}</p>')
        chapters = "".join(
            self._contents_chapter(source, e.chapter, e.number)
            for e in self.content.entries
            if author.id in e.chapter.authors
        )
        return (
            f'<article class="contributor">{photo}<h1>{self._name(author)}</h1>{"".join(details)}'
            f'{self.bio(source, author)}<ul class="their-chapters">{chapters}</ul></article>'
        )

    def author_index(self) -> str:
        source = INDEX_PAGE
        groups = []
        for letter, entries in self.content.index():
            items = "".join(
                f'<li><a href="{relative(source, self.author_files[e.author.id])}">'
                f"<span{name_attributes(e.key, self.labels, key_language(e))}>{escape(e.key)}</span></a> "
                + self.labels.series(
                    [
                        f'<a class="locator" href="{relative(source, self.chapter_files[x.chapter.id])}">'
                        f"{isolated(x.chapter.title or x.chapter.id, self.labels)}</a>"
                        for x in e.entries
                    ]
                )
                + "</li>"
                for e in entries
            )
            groups.append(f'<section class="letter"><h2>{escape(letter)}</h2><ul>{items}</ul></section>')
        return f'<section class="author-index"><h1>{self.labels.html("index")}</h1>{"".join(groups)}</section>'


def stylesheet() -> str:
    """site.css, after the body typeface stack shared with the other editions (the reader's own fonts)."""
    return f"body {{ font-family: {css_family(SERIF_STACK)}; }}\n" + (THEME_DIR / STYLESHEET).read_text(
        encoding="utf-8"
    )
