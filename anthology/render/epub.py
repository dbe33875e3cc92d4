"""The e-book edition: an EPUB 3 package written by hand with zipfile from `Content`.

Not pandoc's EPUB writer: under --sandbox it refuses stylesheets, and without the sandbox
it would fetch whatever resources a text names. Here every byte is chosen: the documents
wrap the HTML that sanitize.lua already made safe, the only files read are the book's own
pictures under <root>/images (the cover and `content.images`), and the archive is
deterministic (fixed entry order, dates from `content.date`, permissions and compression),
so the same sources always give the same bytes.

Every document is checked to be well-formed XML before it is zipped; EPUBCheck is run on
the sample book by the test suite.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from html.entities import html5
from pathlib import Path
from urllib.parse import quote, unquote
from xml.etree import ElementTree as ET

from ..errors import AnthologyError
from ..fileio import inside
from ..fonts import SERIF_STACK, css_family
from ..identifiers import is_id
from ..labels import Labels
from ..model import IMAGES_DIR, Author, Chapter
from ..names import index_key
from ..scripts import name_language, text_direction
from .content import Content, isolated, key_language, name_attributes
from .pagelist import PageBreak, anchor, mark, marker
from .print_pieces import byline, chapter_header, copyright_lines
from .theme import epub_css
from .writing import book_css

__all__ = ["package"]

FOLDER = "OEBPS"  # documents sit at the root of this folder, so `images/x.png` resolves
XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
STYLESHEET = "epub.css"
BUG_HINT = "This is a bug in anthology; please report it with the chapter that triggers it."

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_LANG = re.compile(r' lang="([^"]*)"')
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_BLOCK = re.compile(r"<(p|div|section|ul|ol|dl|blockquote|pre|table|figure|hr|h[1-6])[\s/>]")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_EXTENSIONS = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "image/svg+xml": (".svg",),
}


# --- pictures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Image:
    href: str  # inside FOLDER, e.g. "images/desk.png"
    media_type: str
    data: bytes


def _safe_svg(data: bytes) -> bool:
    """A plain drawing: no scripts, no embedded HTML, no references to other files."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if "<!DOCTYPE" in text or "<!ENTITY" in text or re.search(r"url\(\s*['\"]?(?!#)", text):
        return False
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return False
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        return False
    for element in root.iter():
        if str(element.tag).rsplit("}", 1)[-1] in ("script", "foreignObject", "iframe", "audio", "video"):
            return False
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local.startswith("on") or (local == "href" and not value.startswith("#")):
                return False
    return True


def media_type(data: bytes) -> str | None:
    """The EPUB core media type of a picture, from its first bytes; None if it is not one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.lstrip()[:1] == b"<" and _safe_svg(data):
        return "image/svg+xml"
    return None


def _real_image(content: Content, path: str) -> Path | None:
    """The real file of `path` if it is a regular file under <root>/images, else None."""
    root = content.book.root
    real = inside(root, path)
    if real is None or not real.is_relative_to((root / IMAGES_DIR).resolve()) or not real.is_file():
        return None
    return real


class Pictures:
    """The pictures the e-book may show, by the path as written, each read once."""

    def __init__(self, content: Content) -> None:
        self._content = content
        self._images_dir = (content.book.root / IMAGES_DIR).resolve()
        self._by_real: dict[Path, Image | None] = {}
        self._names: set[str] = set()
        self.by_path: dict[str, Image] = {}
        for path in sorted(content.images):
            image = self.add(path)
            if image is not None:
                self.by_path[path] = image

    def add(self, path: str) -> Image | None:
        real = _real_image(self._content, path)
        if real is None:
            return None
        if real not in self._by_real:
            data = real.read_bytes()
            kind = media_type(data)
            self._by_real[real] = None if kind is None else Image(self._href(real, kind), kind, data)
        return self._by_real[real]

    def _href(self, real: Path, kind: str) -> str:
        """`images/<name>` when the name is plain and unique; otherwise a made-up plain name."""
        href = f"{IMAGES_DIR}/{real.relative_to(self._images_dir).as_posix()}"
        plain = _SAFE_NAME.match(href) and Path(href).suffix.lower() in _EXTENSIONS[kind]
        if not plain or href.casefold() in self._names:
            href = f"{IMAGES_DIR}/_{len(self._by_real) + 1}{_EXTENSIONS[kind][0]}"
        self._names.add(href.casefold())
        return href

    def lookup(self, src: str) -> Image | None:
        return self.by_path.get(src) or self.by_path.get(unquote(src))


# --- author HTML -> XHTML --------------------------------------------------------------------


def _xml_entities(html: str) -> str:
    """HTML named entities (which XML does not know) as numeric character references."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group(0)
        text = html5.get(name + ";")
        return "".join(f"&#{ord(c)};" for c in text) if text else f"&amp;{name};"

    return _ENTITY.sub(replace, html)


def _parse(text: str | bytes, what: str) -> ET.Element:
    try:
        return ET.fromstring(text)
    except ET.ParseError as error:
        raise AnthologyError(f"EPUB: {what} is not well-formed XML ({error})", BUG_HINT) from None


def fragment(html: str, pictures: Pictures, what: str, pages: list[PageBreak] | None = None) -> str:
    """Pandoc's HTML for one text as XHTML for the e-book.

    Notes get EPUB's `epub:type`s next to pandoc's ARIA roles (reading systems show them as
    pop-ups), pictures point at their file in the package, and a picture in a format
    e-readers do not show is replaced by its description. `pages` are the printed pages that
    begin inside this text: each gets a page-break marker where its first words are.
    """
    root = _parse(f"<div>{_xml_entities(html)}</div>", what)
    for parent in root.iter():
        for index, element in enumerate(list(parent)):
            role = element.get("role")
            if element.tag == "a" and role == "doc-noteref":
                element.set("epub:type", "noteref")
            elif element.tag == "a" and role == "doc-backlink":
                element.set("epub:type", "backlink")
            elif element.tag == "section" and role == "doc-endnotes":
                element.set("epub:type", "endnotes")
            elif element.tag == "img":
                image = pictures.lookup(element.get("src", ""))
                if image is not None:
                    element.set("src", quote(image.href))
                else:
                    replacement = ET.Element("span", {"class": "missing-image"})
                    replacement.text = element.get("alt") or ""
                    replacement.tail = element.tail
                    parent[index] = replacement
    if pages:
        mark(root, pages)
    return escape(root.text or "", quote=False) + "".join(ET.tostring(child, encoding="unicode") for child in root)


def _xml_lang(html: str) -> str:
    """`lang` attributes (from `name_attributes`) doubled as `xml:lang` for XML readers."""
    return _LANG.sub(r' xml:lang="\1" lang="\1"', html)


def name_span(labels: Labels, name: str, lang: str | None = None) -> str:
    return _xml_lang(f"<span{name_attributes(name, labels, lang)}>{escape(name)}</span>")


# --- documents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    name: str  # file name inside FOLDER
    id: str  # manifest id
    title: str
    body: str  # the body's content, XHTML
    matter: str  # epub:type of the body: frontmatter, bodymatter, backmatter, cover
    properties: str = ""  # manifest properties, e.g. "nav"


def xhtml(labels: Labels, title: str, body: str, matter: str) -> str:
    lang = escape(labels.language)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML_NS}" xmlns:epub="{OPS_NS}" xml:lang="{lang}" lang="{lang}" dir="{labels.dir}">\n'
        f'<head>\n<meta charset="utf-8" />\n<title>{escape(title)}</title>\n'
        f'<link rel="stylesheet" type="text/css" href="{STYLESHEET}" />\n</head>\n'
        f'<body epub:type="{matter}">\n{body}\n</body>\n</html>\n'
    )


def chapter_file(chapter: Chapter, position: int) -> str:
    return f"ch-{chapter.id}.xhtml" if is_id(chapter.id) else f"chapter-{position}.xhtml"


class Builder:
    """The documents of one e-book, in reading order."""

    def __init__(
        self, content: Content, pictures: Pictures, cover: Image | None, pages: dict[str, list[PageBreak]] | None = None
    ) -> None:
        self.content = content
        self.pages = pages or {}  # chapter id -> its printed pages (pagelist.py)
        self.settings = content.book.settings
        self.pictures = pictures
        self.cover = cover
        self.labels = content.labels
        self.files = {
            entry.chapter.id: chapter_file(entry.chapter, position)
            for position, entry in enumerate(content.entries, start=1)
        }

    @property
    def bios_mode(self) -> str:
        return self.settings.bios if self.settings else "contributors"

    def documents(self) -> list[Document]:
        content = self.content
        docs: list[Document] = []
        if self.cover is not None:
            docs.append(self.cover_page())
        docs += [self.title_page(), self.copyright_page(), self.nav()]
        for index, page in enumerate(content.book.front, start=1):
            docs.append(self.page(page.path, page.title, f"front-{index}", "frontmatter"))
        for index, part in enumerate(content.parts, start=1):
            if part.section is not None:
                body = (
                    '<section class="part-title" epub:type="part" role="doc-part">'
                    f"<h1>{escape(part.section.title)}</h1></section>"
                )
                docs.append(Document(f"part-{index}.xhtml", f"part-{index}", part.section.title, body, "bodymatter"))
            for entry in part.entries:
                docs.append(self.chapter(entry.chapter, entry.number))
        for index, page in enumerate(content.book.back, start=1):
            docs.append(self.page(page.path, page.title, f"back-{index}", "backmatter"))
        if self.bios_mode in ("contributors", "both", "chapter"):  # as the printed book
            docs.append(self.contributors())
        docs.append(self.index())
        return docs

    # front matter

    def cover_page(self) -> Document:
        assert self.cover is not None
        body = (
            '<section class="cover" epub:type="cover">'
            f'<img src="{quote(self.cover.href)}" alt="{escape(self.content.title)}" role="doc-cover" />'
            "</section>"
        )
        return Document("cover.xhtml", "cover", self.labels.text("cover"), body, "cover")

    def title_page(self) -> Document:
        settings = self.settings
        editors = self.labels.names([name_span(self.labels, e) for e in settings.editors]) if settings else ""
        subtitle = settings.subtitle if settings else None
        publisher = settings.publisher if settings else None
        body = (
            '<section class="title-page" epub:type="titlepage">'
            f'<h1 class="title">{escape(self.content.title)}</h1>'
            + (f'<p class="subtitle" role="doc-subtitle">{escape(subtitle)}</p>' if subtitle else "")
            + (f'<p class="editors">{self.labels.html("edited_by", names=editors)}</p>' if editors else "")
            + (f'<p class="publisher">{escape(publisher)}</p>' if publisher else "")
            + "</section>"
        )
        return Document("title.xhtml", "title-page", self.content.title, body, "frontmatter")

    def copyright_page(self) -> Document:
        body = f'<section class="copyright" epub:type="copyright-page">{copyright_lines(self.content)}</section>'
        return Document("copyright.xhtml", "copyright", self.labels.text("copyright"), body, "frontmatter")

    def nav(self) -> Document:
        content = self.content
        words = self.labels.html

        def link(href: str, label: str) -> str:
            return f'<li><a href="{href}">{isolated(label, self.labels)}</a></li>'

        items = [link(f"front-{i}.xhtml", p.title or "") for i, p in enumerate(content.book.front, 1)]
        for index, part in enumerate(content.parts, start=1):
            chapters = "".join(self.nav_chapter(entry.chapter, entry.number) for entry in part.entries)
            if part.section is None:
                items.append(chapters)
            else:
                title = isolated(part.section.title, self.labels)
                items.append(f'<li><a href="part-{index}.xhtml">{title}</a><ol>{chapters}</ol></li>')
        items += [link(f"back-{i}.xhtml", p.title or "") for i, p in enumerate(content.book.back, 1)]
        if self.bios_mode in ("contributors", "both", "chapter"):
            items.append(f'<li><a href="contributors.xhtml">{words("contributors")}</a></li>')
        items.append(f'<li><a href="index.xhtml">{words("index")}</a></li>')
        landmarks = []
        if self.cover is not None:
            landmarks.append(f'<li><a epub:type="cover" href="cover.xhtml">{words("cover")}</a></li>')
        landmarks.append(f'<li><a epub:type="titlepage" href="title.xhtml">{words("title_page")}</a></li>')
        landmarks.append(f'<li><a epub:type="toc" href="nav.xhtml#toc">{words("contents")}</a></li>')
        start = self.start()
        if start is not None:
            landmarks.append(f'<li><a epub:type="bodymatter" href="{start}">{words("start")}</a></li>')
        landmarks.append(f'<li><a epub:type="index" href="index.xhtml">{words("index")}</a></li>')
        body = (
            '<nav class="toc" epub:type="toc" role="doc-toc" id="toc">'
            f"<h1>{words('contents')}</h1><ol>{''.join(items)}</ol></nav>\n"
            '<nav epub:type="landmarks" id="landmarks" hidden="hidden">'
            f"<h2>{words('landmarks')}</h2><ol>{''.join(landmarks)}</ol></nav>" + self.page_list()
        )
        return Document("nav.xhtml", "nav", self.labels.text("contents"), body, "frontmatter", "nav")

    def page_list(self) -> str:
        """The printed edition's pages, each linked to where it begins in the e-book."""
        pages = sorted(
            (
                (int(page.folio), page, self.files[chapter_id])
                for chapter_id, breaks in self.pages.items()
                for page in breaks
            ),
            key=lambda entry: entry[0],
        )
        if not pages:
            return ""
        items = "".join(f'<li><a href="{file}#{anchor(page)}">{escape(page.folio)}</a></li>' for _, page, file in pages)
        return f'\n<nav epub:type="page-list" role="doc-pagelist" id="page-list" hidden="hidden"><h2>{escape(self.labels.text("pages"))}</h2><ol>{items}</ol></nav>'

    def nav_chapter(self, chapter: Chapter, number: int | None) -> str:
        number_label = f"{escape(self.labels.toc_number(number))} " if number is not None else ""
        label = number_label + isolated(chapter.title or chapter.id, self.labels)
        by = _xml_lang(byline(self.content, chapter))
        return f'<li><a href="{self.files[chapter.id]}">{label}<span class="toc-by"> — {by}</span></a></li>'

    def start(self) -> str | None:
        for index, part in enumerate(self.content.parts, start=1):
            if part.section is not None:
                return f"part-{index}.xhtml"
            if part.entries:
                return self.files[part.entries[0].chapter.id]
        return None

    def page(self, path: str, title: str | None, name: str, matter: str) -> Document:
        html = fragment(self.content.pages[path].epub, self.pictures, path)
        kind = "front-page" if matter == "frontmatter" else "back-page"
        body = f'<section class="{kind}"><h1>{escape(title or "")}</h1>{html}</section>'
        return Document(f"{name}.xhtml", name, title or "", body, matter)

    # the chapters

    def bio(self, author: Author, lead: str = "") -> str:
        """A bio: one paragraph, or a block when the author wrote several paragraphs or a list."""
        html = fragment(self.content.bios[author.id].epub, self.pictures, f"the bio of {author.id}")
        if _BLOCK.search(html):
            return f'<div class="bio">{f"<p>{lead}</p>" if lead else ""}{html}</div>'
        return f'<p class="bio">{lead}{html}</p>'

    def chapter(self, chapter: Chapter, number: int | None) -> Document:
        content = self.content
        title = chapter.title or chapter.id
        header = chapter_header(self.labels, chapter, number, _xml_lang(byline(content, chapter)))
        pages = self.pages.get(chapter.id, [])
        if pages:  # the chapter's first printed page begins with its heading
            header = ET.tostring(marker(pages[0]), encoding="unicode") + header
        text = fragment(content.chapters[chapter.id].epub, self.pictures, chapter.path, pages[1:])
        after = ""
        if self.bios_mode in ("chapter", "both"):
            bios = "".join(
                self.bio(a, f'<span class="name">{name_span(self.labels, a.name or a.id, a.lang)}</span>: ')
                for a in content.authors_of(chapter)
            )
            label = escape(self.labels.text("about_authors"))
            after = f'<aside class="chapter-bios" aria-label="{label}">{bios}</aside>'
        body = f'<section class="chapter" epub:type="chapter" role="doc-chapter">{header}{text}{after}</section>'
        return Document(self.files[chapter.id], Path(self.files[chapter.id]).stem, title, body, "bodymatter")

    # back matter

    def contributor(self, author: Author) -> str:
        """Name, photo, affiliation, bio, website and handle; never the e-mail address."""
        name = author.name or author.id
        image = self.pictures.lookup(author.photo) if author.photo and author.photo in self.content.images else None
        alt = escape(self.labels.text("photo_of", name=name))
        photo = f'<img class="photo" src="{quote(image.href)}" alt="{alt}" />' if image else ""
        details = []
        if author.website and re.match(r"^https?://", author.website, re.IGNORECASE):
            href = quote(author.website, safe=":/?#[]@!$&'()*+,;=%~")
            details.append(f'<a href="{escape(href)}">{escape(author.website)}</a>')
        elif author.website:
            details.append(escape(author.website))
        if author.social:
            details.append(escape(author.social))
        return (
            f'<div class="contributor">{photo}<h2>{name_span(self.labels, name, author.lang)}</h2>'
            + (f'<p class="affiliation">{escape(author.affiliation)}</p>' if author.affiliation else "")
            + self.bio(author)
            + (f'<p class="details">{" · ".join(details)}</p>' if details else "")
            + "</div>"
        )

    def contributors(self) -> Document:
        entries = "".join(self.contributor(e.author) for e in self.content.contributors())
        heading = self.labels.html("contributors")
        body = f'<section class="contributors" epub:type="contributors"><h1>{heading}</h1>{entries}</section>'
        return Document("contributors.xhtml", "contributors", self.labels.text("contributors"), body, "backmatter")

    def index(self) -> Document:
        groups = []
        for letter, entries in self.content.index():
            items = []
            for entry in entries:
                links = self.labels.series(
                    [
                        f'<a epub:type="index-locator" href="{self.files[e.chapter.id]}"'
                        f' title="{escape(e.chapter.title or e.chapter.id)}">'
                        f"{self.labels.number(e.number) if e.number is not None else escape(e.chapter.title or e.chapter.id)}</a>"
                        for e in entry.entries
                    ]
                )
                attributes = name_attributes(entry.key, self.labels, key_language(entry))
                term = _xml_lang(f'<span epub:type="index-term"{attributes}>{escape(entry.key)}</span>')
                items.append(f'<li epub:type="index-entry">{term} {links}</li>')
            groups.append(
                f'<section epub:type="index-group"><h2>{escape(letter)}</h2>'
                f'<ul epub:type="index-entry-list">{"".join(items)}</ul></section>'
            )
        body = (
            '<section class="author-index" epub:type="index" role="doc-index">'
            f"<h1>{self.labels.html('index')}</h1>{''.join(groups)}</section>"
        )
        return Document("index.xhtml", "index", self.labels.text("index"), body, "backmatter")


# --- package ---------------------------------------------------------------------------------


def _cover(content: Content, pictures: Pictures) -> Image | None:
    """The picture `cover:` names in book.yaml: a regular file under <root>/images."""
    settings = content.book.settings
    if settings is None or not settings.cover:
        return None
    return pictures.add(settings.cover)  # None unless a picture file under <root>/images (rule B009)


def identifier(content: Content) -> str:
    """`urn:isbn:` for a valid ISBN, else a UUID derived from the title and the editors."""
    from stdnum import isbn

    settings = content.book.settings
    if settings and settings.isbn and isbn.is_valid(settings.isbn):
        return "urn:isbn:" + isbn.compact(settings.isbn)
    editors = settings.editors if settings else ()
    name = "anthology:" + "\n".join([content.title, *editors])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _stamp(date: dt.datetime) -> dt.datetime:
    return (date if date.tzinfo else date.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def _meta_name(
    tag: str, ident: str, name: str, role: str, file_as: str, book_language: str, lang: str | None = None
) -> str:
    language = name_language(name, lang, book_language)
    attributes = f' xml:lang="{escape(language)}"' if language else ""
    direction = text_direction(name)
    attributes += f' dir="{direction}"' if direction == "rtl" else ""
    return (
        f'<dc:{tag} id="{ident}"{attributes}>{escape(name)}</dc:{tag}>\n'
        f'<meta refines="#{ident}" property="role" scheme="marc:relators">{role}</meta>\n'
        f'<meta refines="#{ident}" property="file-as">{escape(file_as)}</meta>\n'
    )


CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def _accessibility(content: Content, visual: bool, alt_ok: bool, paged: bool) -> list[str]:
    """EPUB Accessibility 1.1 metadata: conformance, access modes, features, hazards, summary,
    and, with a page list, the print edition its page numbers come from."""
    from stdnum import isbn

    settings = content.book.settings
    meta = [f'<meta property="dcterms:conformsTo">{CONFORMANCE}</meta>\n']
    modes = ["textual", "visual"] if visual else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if visual and alt_ok:
        features.append("alternativeText")
    if paged:
        features += ["pageBreakMarkers", "pageNavigation"]
        # The page numbers are the printed edition's (EPUB 3.3 pageBreakSource; dc:source for
        # reading systems that know only EPUB 3.2).
        if settings and settings.isbn and isbn.is_valid(settings.isbn):
            source = f"urn:isbn:{isbn.compact(settings.isbn)}"
            meta.append(f"<dc:source>{source}</dc:source>\n")
        else:
            source = f"{escape(content.title)}, printed edition"
        meta.append(f'<meta property="pageBreakSource">{source}</meta>\n')
    meta += [f'<meta property="schema:accessMode">{mode}</meta>\n' for mode in modes]
    meta.append('<meta property="schema:accessModeSufficient">textual</meta>\n')
    meta += [f'<meta property="schema:accessibilityFeature">{feature}</meta>\n' for feature in features]
    meta.append('<meta property="schema:accessibilityHazard">none</meta>\n')
    summary = (
        "This publication meets WCAG 2.1 Level AA. Reflowable text in reading order, with headings for "
        "every part and chapter, a table of contents, an index of authors and endnotes that link back to the text."
        + (" Pictures have text descriptions." if visual and alt_ok else "")
        + (" Page numbers follow the printed edition." if paged else "")
    )
    meta.append(f'<meta property="schema:accessibilitySummary">{summary}</meta>\n')
    return meta


def opf(
    content: Content,
    documents: list[Document],
    images: list[Image],
    cover: Image | None,
    visual: bool,
    alt_ok: bool,
    paged: bool = False,
) -> str:
    """The package document. `visual`: the text shows pictures; `alt_ok`: each has a description;
    `paged`: the e-book carries the print edition's page numbers."""
    settings = content.book.settings
    language = escape(settings.language if settings else "en")
    modified = _stamp(content.date).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = [
        f'<dc:identifier id="pub-id">{escape(identifier(content))}</dc:identifier>\n',
        f'<dc:title id="title">{escape(content.title)}</dc:title>\n',
        '<meta refines="#title" property="title-type">main</meta>\n',
    ]
    if settings and settings.subtitle:
        meta.append(f'<dc:title id="subtitle">{escape(settings.subtitle)}</dc:title>\n')
        meta.append('<meta refines="#subtitle" property="title-type">subtitle</meta>\n')
    meta.append(f"<dc:language>{language}</dc:language>\n")
    for number, editor in enumerate(settings.editors if settings else (), start=1):
        meta.append(
            _meta_name("creator", f"editor-{number}", editor, "edt", index_key(editor), content.labels.language)
        )
    for number, entry in enumerate(content.contributors(), start=1):
        author = entry.author
        name = author.name or author.id
        meta.append(
            _meta_name("contributor", f"author-{number}", name, "aut", entry.key, content.labels.language, author.lang)
        )
    meta.append(f"<dc:date>{modified}</dc:date>\n")
    if settings and settings.publisher:
        meta.append(f"<dc:publisher>{escape(settings.publisher)}</dc:publisher>\n")
    rights = settings.rights if settings and settings.rights else content.labels.text("rights")
    meta.append(f"<dc:rights>{escape(rights)}</dc:rights>\n")
    meta.append(f'<meta property="dcterms:modified">{modified}</meta>\n')
    meta += _accessibility(content, visual, alt_ok, paged)
    if cover is not None:
        meta.append('<meta name="cover" content="image-cover" />\n')

    manifest = [f'<item id="css" href="{STYLESHEET}" media-type="text/css" />\n']
    for doc in documents:
        properties = f' properties="{doc.properties}"' if doc.properties else ""
        manifest.append(f'<item id="{doc.id}" href="{doc.name}" media-type="application/xhtml+xml"{properties} />\n')
    for number, image in enumerate(images, start=1):
        is_cover = cover is not None and image.href == cover.href
        ident = "image-cover" if is_cover else f"image-{number}"
        properties = ' properties="cover-image"' if is_cover else ""
        href = escape(quote(image.href))
        manifest.append(f'<item id="{ident}" href="{href}" media-type="{image.media_type}"{properties} />\n')
    spine = "".join(f'<itemref idref="{doc.id}" />\n' for doc in documents)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id"'
        f' xml:lang="{language}">\n'
        f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n{"".join(meta)}</metadata>\n'
        f"<manifest>\n{''.join(manifest)}</manifest>\n"
        f'<spine page-progression-direction="{content.labels.dir}">\n{spine}</spine>\n'
        "</package>\n"
    )


def _img_tags(doc: Document) -> Iterator[tuple[str, str]]:
    """(src, alt) of each picture in a document (its body is known to be well-formed)."""
    root = ET.fromstring(f'<div xmlns:epub="{OPS_NS}">{doc.body}</div>')
    for element in root.iter("img"):
        yield unquote(element.get("src", "")), element.get("alt", "")


CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml" />'
    "</rootfiles>\n</container>\n"
)


def stylesheet(labels: Labels) -> str:
    """epub.css, after the body typeface stack shared with the printed book (fonts.SERIF_STACK)
    and before the rules of the book's language (writing.py)."""
    return f"html {{ font-family: {css_family(SERIF_STACK)}; }}\n" + epub_css() + book_css(labels, "html")


def _zip_time(date: dt.datetime) -> tuple[int, int, int, int, int, int]:
    utc = _stamp(date)
    if utc.year < 1980:  # the earliest date a ZIP entry can carry
        return (1980, 1, 1, 0, 0, 0)
    if utc.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def archive(entries: list[tuple[str, bytes]], date: dt.datetime) -> bytes:
    """A deterministic EPUB zip: `mimetype` first and stored, the rest deflated at level 9."""
    stamp = _zip_time(date)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in [("mimetype", b"application/epub+zip"), *entries]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=None if stored else 9)
    return buffer.getvalue()


def package(content: Content, pages: dict[str, list[PageBreak]] | None = None, front: bytes | None = None) -> bytes:
    """The EPUB 3 edition of the book, as the bytes of the .epub file; with `pages` (from the
    printed edition's layout, pagelist.py) it carries the print edition's page numbers, and
    `front` (a PNG: the printed cover's front) is its cover when book.yaml names none."""
    pictures = Pictures(content)
    cover = _cover(content, pictures)
    if cover is None and front is not None:
        cover = Image(f"{IMAGES_DIR}/_front.png", "image/png", front)
    builder = Builder(content, pictures, cover, pages)
    documents = builder.documents()
    files: list[tuple[str, bytes]] = []
    for doc in documents:
        data = xhtml(content.labels, doc.title, doc.body, doc.matter).encode("utf-8")
        _parse(data, doc.name)
        files.append((f"{FOLDER}/{doc.name}", data))

    shown = [(src, alt) for doc in documents if doc.matter != "cover" for src, alt in _img_tags(doc)]
    hrefs = {src for src, _ in shown} | ({cover.href} if cover else set())
    known = {image.href: image for image in pictures.by_path.values()}
    if cover is not None:
        known.setdefault(cover.href, cover)
    missing = hrefs - known.keys()
    if missing:
        raise AnthologyError(f"EPUB: pictures {sorted(missing)} are shown but not packaged", BUG_HINT)
    images = [known[href] for href in sorted(hrefs)]
    alt_ok = all(alt.strip() for _, alt in shown)

    paged = bool(builder.pages)
    package_document = opf(content, documents, images, cover, bool(shown), alt_ok, paged).encode("utf-8")
    _parse(package_document, "content.opf")
    head = [
        ("META-INF/container.xml", CONTAINER.encode("utf-8")),
        (f"{FOLDER}/content.opf", package_document),
        (f"{FOLDER}/{STYLESHEET}", stylesheet(content.labels).encode("utf-8")),
    ]
    return archive(head + files + [(f"{FOLDER}/{image.href}", image.data) for image in images], content.date)
