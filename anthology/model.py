"""The book as every command sees it: frozen records that remember where each value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .sources import Problem, YamlMap

BOOK_FILE = "book.yaml"
AUTHORS_FILE = "authors.yaml"
CHAPTERS_DIR = "chapters"
IMAGES_DIR = "images"


@dataclass(frozen=True)
class Located:
    """A problem found while loading, already tied to its file."""

    path: str
    problem: Problem


@dataclass(frozen=True)
class Author:
    id: str
    name: str | None
    bio: str | None
    line: int  # line of the id key in authors.yaml
    end_line: int  # last line of the entry
    raw: YamlMap | Any
    sort_as: str | None = None
    website: str | None = None
    social: str | None = None
    github: str | None = None
    email: str | None = None
    photo: str | None = None
    affiliation: str | None = None
    lang: str | None = None  # BCP 47: the language the name is written in (labels.name_language)

    def line_of(self, key: str) -> int:
        return self.raw.line_of(key) if isinstance(self.raw, YamlMap) else self.line


@dataclass(frozen=True)
class Chapter:
    id: str  # the file stem
    path: str  # POSIX, relative to the root
    title: str | None
    authors: tuple[str, ...]
    body: str
    body_line: int
    meta: YamlMap | None
    section: str | None = None
    subtitle: str | None = None

    def line_of(self, key: str) -> int:
        return self.meta.line_of(key) if self.meta is not None else 1

    @cached_property
    def scan(self) -> Any:
        """The body scanned once for words, links and unsafe constructs (see markdown/scanner.py)."""
        from .markdown import scan

        return scan(self.body)

    @property
    def words(self) -> int:
        return int(self.scan.words)


@dataclass(frozen=True)
class Page:
    """A front or back page: an editor's text with a title and no limits."""

    path: str
    title: str | None
    body: str
    body_line: int
    meta: YamlMap | None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    line: int


@dataclass(frozen=True)
class Limits:
    chapter_min: int | None = None
    chapter_max: int | None = None
    bio_max: int | None = None
    chapter_pages: int | None = None


@dataclass(frozen=True)
class Exception_:
    """A per-chapter exception to the limits, granted by the editors in book.yaml."""

    min_words: int | None = None
    max_words: int | None = None
    max_pages: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Settings:
    """book.yaml. Every key is documented in docs/format.md (generated from schema.py)."""

    title: str | None
    raw: YamlMap
    subtitle: str | None = None
    editors: tuple[str, ...] = ()
    language: str = "en"
    isbn: str | None = None
    publisher: str | None = None
    limits: Limits = Limits()
    sections: tuple[Section, ...] = ()
    slug: str | None = None
    order: str | tuple[str, ...] = "author"
    front: tuple[str, ...] = ()
    back: tuple[str, ...] = ()
    exceptions: dict[str, Exception_] = field(default_factory=dict)
    maintainers: tuple[str, ...] = ()
    trim: str = "6x9"
    numbered: bool = True
    bios: str = "contributors"
    cover: str | None = None
    rights: str | None = None
    edition: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # overrides of the book's own words
    direction: str | None = None  # "rtl" | "ltr"; None: from the language
    numerals: str | None = None  # "latin" | "native"; None: from the language
    printing: YamlMap | None = None  # `print:` as written; printing/profile.py reads it
    site_url: str | None = None  # where the web edition is published (canonical URLs, sitemap.xml)

    def line_of(self, key: str) -> int:
        return self.raw.line_of(key)


@dataclass(frozen=True)
class Book:
    """Everything read from a book folder; what could not be read is in `problems`."""

    root: Path
    settings: Settings | None
    authors: dict[str, Author]
    chapters: tuple[Chapter, ...]
    front: tuple[Page, ...]
    back: tuple[Page, ...]
    problems: tuple[Located, ...]
    stray_files: tuple[str, ...] = ()  # files in chapters/ that are not <id>.md
    authors_raw: Any = None
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # derived data rules share

    def chapters_by(self, author_id: str) -> list[Chapter]:
        return [c for c in self.chapters if author_id in c.authors]

    @property
    def limits(self) -> Limits:
        return self.settings.limits if self.settings else Limits()
