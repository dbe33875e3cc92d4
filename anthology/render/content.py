"""Everything both editions show, computed once: converted texts, reading order, index, dates.

The PDF and the EPUB are two views of this one `Content`, so they cannot disagree about
what is in the book or in which order.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cached_property
from html import escape
from itertools import groupby
from pathlib import Path

from ..fileio import inside
from ..labels import Labels, labels_for
from ..model import IMAGES_DIR, Author, Book, Chapter
from ..names import index_entry_keys, index_letter, name_script, remembered_sort_keys, sorted_index
from ..outline import Entry, Part, outline
from ..scripts import name_language, text_direction
from .convert import Converted, Item, convert


@dataclass(frozen=True)
class IndexEntry:
    key: str  # "Berg, Jan van der"
    author: Author
    entries: tuple[Entry, ...]  # the chapters this person wrote or co-wrote, in book order
    sort: str = ""  # what the entry is filed by, when not `key` (a Japanese name's kana reading)


@dataclass(frozen=True)
class Content:
    book: Book
    parts: tuple[Part, ...]
    chapters: Mapping[str, Converted]  # by chapter id
    bios: Mapping[str, Converted]  # by author id
    pages: Mapping[str, Converted]  # front/back pages by path
    images: frozenset[str]  # image paths checked safe (see safe_images)
    date: dt.datetime
    version: str

    @property
    def entries(self) -> list[Entry]:
        return [entry for part in self.parts for entry in part.entries]

    @cached_property
    def labels(self) -> Labels:
        """The book's own words, digits and direction in its language (labels.py)."""
        return labels_for(self.book.settings)

    @property
    def title(self) -> str:
        settings = self.book.settings
        return (settings.title if settings else None) or self.labels.text("untitled")

    def authors_of(self, chapter: Chapter) -> list[Author]:
        return [self.book.authors[a] for a in chapter.authors if a in self.book.authors]

    def contributors(self) -> list[IndexEntry]:
        """Every author with a chapter, sorted by index key (Unicode Collation Algorithm)."""
        by_author: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for author_id in entry.chapter.authors:
                by_author.setdefault(author_id, []).append(entry)
        keyed = [
            (index_entry_keys(author.name or author.id, author.sort_as), author)
            for author_id, author in self.book.authors.items()
            if author_id in by_author
        ]
        ordered = sorted_index([(sort, (shown, author)) for (shown, sort), author in keyed], self.labels.language)
        return [IndexEntry(shown, author, tuple(by_author[author.id]), sort) for sort, (shown, author) in ordered]

    def index(self) -> list[tuple[str, list[IndexEntry]]]:
        """The author index grouped under letter headings."""
        language = self.labels.language
        entries = self.contributors()
        return [
            (letter, list(group))
            for letter, group in groupby(entries, lambda e: index_letter(e.sort or e.key, language))
        ]


_CJK_SCRIPTS = {"han", "japanese", "hangul"}


def name_attributes(name: str, labels: Labels, lang: str | None = None) -> str:
    """`lang` and `dir` for a name (or a title): printed with its own language's glyphs
    (scripts.name_language: the author's `lang`, else a guess) and isolated from the text
    around it when its direction differs from the book's."""
    language = name_language(name, lang, labels.language)
    attributes = f' lang="{escape(language)}"' if language else ""
    direction = text_direction(name)
    return attributes + (f' dir="{direction}"' if direction and direction != labels.dir else "")


def title_attributes(title: str, labels: Labels) -> str:
    """`dir` for a title whose direction is not the book's, and `lang` only where the glyphs
    depend on it (Chinese, Japanese, Korean): a title's language cannot be told from its script."""
    language = name_language(title, None, labels.language) if name_script(title) in _CJK_SCRIPTS else None
    attributes = f' lang="{escape(language)}"' if language else ""
    direction = text_direction(title)
    return attributes + (f' dir="{direction}"' if direction and direction != labels.dir else "")


def isolated(text: str, labels: Labels) -> str:
    """`text` as HTML, isolated in a span with its own direction when that is not the book's
    (a Persian title in an English contents, an English one in a Persian book)."""
    direction = text_direction(text)
    if direction and direction != labels.dir:
        return f'<span dir="{direction}">{escape(text)}</span>'
    return escape(text)


def key_language(entry: IndexEntry) -> str | None:
    """The author's `lang` for their index key, unless the key is in another script (a `sort_as` in Latin letters)."""
    author = entry.author
    same = author.lang and name_script(entry.key) == name_script(author.name or author.id)
    return author.lang if same else None


@contextmanager
def source_date(epoch: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to `epoch` while editions are made (fontTools and WeasyPrint read
    it), then put back as it was, so a long-lived process (the preview, the tests) dates its next
    build afresh from that book's sources."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def pdf_date(when: dt.datetime) -> str:
    """`when` (UTC, as `build_date` gives it) written as a PDF date, for a document's Info."""
    return when.strftime("D:%Y%m%d%H%M%SZ")


def build_date(root: Path) -> dt.datetime:
    """SOURCE_DATE_EPOCH, else the last commit's date, else the newest source file's mtime."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        try:
            out = subprocess.run(
                ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=False
            ).stdout.strip()
        except OSError:
            out = ""
        epoch = out or str(int(max((p.stat().st_mtime for p in root.glob("**/*.md")), default=0)))
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)


def book_version(root: Path) -> str:
    """`git describe` of the book repository, or "" outside git."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "describe", "--tags", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def safe_images(book: Book) -> set[str]:
    """Image paths, as written by authors, that are real files under images/ inside the book."""
    images_dir = (book.root / IMAGES_DIR).resolve()
    wanted = {link.target for chapter in book.chapters for link in chapter.scan.links if link.image}
    wanted |= {a.photo for a in book.authors.values() if a.photo}
    allowed = set()
    for target in wanted:
        real = inside(book.root, target)
        if real is not None and real.is_relative_to(images_dir) and real.is_file():
            allowed.add(target)
    return allowed


class _Renamed(Mapping[str, Converted]):
    """Conversions looked up by chapter id, author id or page path rather than by item key."""

    def __init__(self, source: Mapping[str, Converted], keys: dict[str, str]) -> None:
        self.source = source
        self.names = keys

    def __getitem__(self, name: str) -> Converted:
        return self.source[self.names[name]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


SORT_KEYS = "sort-keys.json"  # beside the conversion cache: the names' collation keys


def prepare(book: Book, cache: Path | None = None) -> Content:
    """Convert every author text of the book in one pandoc process (reusing `cache`).

    Texts go to pandoc in the order the printed book needs them (front pages, then each
    chapter with its authors' bios, back pages, other bios), and the returned Content hands
    each one out as soon as it is converted. The sort keys of the names that order the chapters
    and the index are kept beside the cache folder (names.remembered_sort_keys).
    """
    with remembered_sort_keys(cache.parent / SORT_KEYS) if cache is not None else nullcontext():
        parts = outline(book)
        content = _prepared(book, parts, cache)
        content.index()  # its names' sort keys, remembered with the chapters' order
    return content


def _prepared(book: Book, parts: tuple[Part, ...], cache: Path | None) -> Content:
    """The book's content in the order of `parts`, its texts sent to pandoc (see `prepare`)."""
    chapters = [entry.chapter for part in parts for entry in part.entries]
    pages = [*book.front, *book.back]
    page_keys = {page.path: f"page-{index}" for index, page in enumerate(pages)}
    bio_keys = {a.id: f"bio-{a.id}" for a in book.authors.values()}
    ordered: dict[str, Item] = {}
    for index in range(len(book.front)):
        ordered[f"page-{index}"] = Item(f"page-{index}", pages[index].body)
    for chapter in chapters:
        ordered[f"ch-{chapter.id}"] = Item(f"ch-{chapter.id}", chapter.body)
        for author_id in chapter.authors:
            author = book.authors.get(author_id)
            if author is not None:
                ordered.setdefault(bio_keys[author.id], Item(bio_keys[author.id], author.bio or "", inline=True))
    for index in range(len(book.front), len(pages)):
        ordered[f"page-{index}"] = Item(f"page-{index}", pages[index].body)
    for author in book.authors.values():
        ordered.setdefault(bio_keys[author.id], Item(bio_keys[author.id], author.bio or "", inline=True))
    images = frozenset(safe_images(book))
    converted = convert(list(ordered.values()), set(images), cache)
    return Content(
        book=book,
        parts=parts,
        chapters=_Renamed(converted, {c.id: f"ch-{c.id}" for c in chapters}),
        bios=_Renamed(converted, bio_keys),
        pages=_Renamed(converted, page_keys),
        images=images,
        date=build_date(book.root),
        version=book_version(book.root),
    )
