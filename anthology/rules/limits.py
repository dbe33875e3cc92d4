"""L: the book's length limits: words per chapter (with the editors' exceptions) and per bio."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..diagnostics import Severity
from ..markdown import scan
from ..model import AUTHORS_FILE, BOOK_FILE, Author, Book, Chapter
from .ids import chapter_ids, did_you_mean
from .registry import Finding, rule

EXCEPTION_HINT = "ask the editors for an exception in book.yaml"


def words(count: int) -> str:
    """`1 word`, `2 words`."""
    return f"{count} word" if count == 1 else f"{count} words"


@dataclass(frozen=True)
class Bound:
    """A chapter's limit and whether it comes from an exception the editors granted."""

    value: int
    excepted: bool

    @property
    def described(self) -> str:
        return f"{self.value} (an exception in {BOOK_FILE})" if self.excepted else str(self.value)


def chapter_bound(book: Book, chapter: Chapter, key: Literal["min_words", "max_words"]) -> Bound | None:
    """The chapter's `min_words` or `max_words`: its exception if it has one, else the book's limit."""
    exception = book.settings.exceptions.get(chapter.id) if book.settings else None
    granted = getattr(exception, key) if exception is not None else None
    if granted is not None:
        return Bound(granted, True)
    default = book.limits.chapter_min if key == "min_words" else book.limits.chapter_max
    return Bound(default, False) if default is not None else None


def measured(book: Book) -> Iterator[tuple[Chapter, int]]:
    """Each chapter whose body could be found, with its word count.

    A chapter whose front matter does not start or is never closed (F006) has no known body.
    """
    unsplit = {p.path for p in book.problems if p.problem.code == "F006"}
    for chapter in book.chapters:
        if chapter.path not in unsplit:
            yield chapter, chapter.words


def bios(book: Book) -> Iterator[tuple[Author, str]]:
    """Each author whose `bio` is text (a missing or wrong-typed bio is the schema rules' job)."""
    for author in book.authors.values():
        bio = author.raw.get("bio") if isinstance(author.raw, dict) else None
        if isinstance(bio, str):
            yield author, bio


@rule("L001", "chapter-too-long")
def chapter_too_long(book: Book) -> Iterator[Finding]:
    """A chapter has more words than the book allows.

    The limit is `limits.chapter_words.max` in book.yaml, or the chapter's own `max_words`
    when the editors granted an exception. Words are counted as a reader sees them (link
    addresses, image descriptions and list bullets do not count). Cut the chapter.
    """
    for chapter, count in measured(book):
        bound = chapter_bound(book, chapter, "max_words")
        if bound is not None and count > bound.value:
            cut = f"Cut {words(count - bound.value)}"
            yield Finding(
                chapter.path,
                chapter.body_line or 1,
                f"Chapter has {words(count)}; the limit is {bound.described}",
                f"{cut}." if bound.excepted else f"{cut}, or {EXCEPTION_HINT}.",
            )


@rule("L002", "chapter-too-short")
def chapter_too_short(book: Book) -> Iterator[Finding]:
    """A chapter has fewer words than the book requires.

    The minimum is `limits.chapter_words.min` in book.yaml, or the chapter's own `min_words`
    when the editors granted an exception. An empty or nearly empty chapter is usually a
    stub that still needs its text.
    """
    for chapter, count in measured(book):
        bound = chapter_bound(book, chapter, "min_words")
        if bound is not None and count < bound.value:
            add = f"Add at least {words(bound.value - count)}"
            yield Finding(
                chapter.path,
                chapter.body_line or 1,
                f"Chapter has {words(count)}; the minimum is {bound.described}",
                f"{add}." if bound.excepted else f"{add}, or {EXCEPTION_HINT}.",
            )


@rule("L003", "bio-missing")
def bio_missing(book: Book) -> Iterator[Finding]:
    """An author's `bio` is empty.

    Every contributor's bio is printed with the book. Write one short paragraph about
    yourself after `bio:` in your entry in authors.yaml.
    """
    limit = book.limits.bio_max
    most = f" (at most {words(limit)})" if limit is not None else ""
    for author, bio in bios(book):
        if not bio.strip():
            yield Finding(
                AUTHORS_FILE,
                author.line_of("bio"),
                f"The bio of '{author.id}' is empty",
                f"Write one or two sentences about yourself after 'bio:'{most}.",
            )


@rule("L004", "bio-too-long")
def bio_too_long(book: Book) -> Iterator[Finding]:
    """An author's bio has more words than `limits.bio_words.max` in book.yaml.

    Bios are printed together at the end of the book and must fit the same space for
    everybody. Shorten the bio in your entry in authors.yaml.
    """
    limit = book.limits.bio_max
    if limit is None:
        return
    for author, bio in bios(book):
        count = scan(bio).words
        if count > limit:
            yield Finding(
                AUTHORS_FILE,
                author.line_of("bio"),
                f"Bio has {words(count)}; the limit is {limit}",
                f"Cut {words(count - limit)} from the bio of '{author.id}'.",
            )


@rule("L005", "unknown-exception")
def unknown_exception(book: Book) -> Iterator[Finding]:
    """book.yaml grants a limit exception to a chapter that does not exist.

    Each key under `exceptions` must be a chapter id (the chapter's file name without `.md`).
    A misspelt id means the intended chapter silently does not get its exception.
    """
    if book.settings is None:
        return
    known = chapter_ids(book)
    for chapter_id, exception in book.settings.exceptions.items():
        if chapter_id not in known:
            yield Finding(
                BOOK_FILE,
                exception.line,
                f"Exception for chapter '{chapter_id}', but there is no chapters/{chapter_id}.md",
                did_you_mean(chapter_id, known, "Otherwise correct the id or remove the exception."),
            )


PLACEHOLDER = "TODO"  # what `anthology new` writes where the author still has to write


@rule("L006", "placeholder-left", Severity.WARNING)
def placeholder_left(book: Book) -> Iterator[Finding]:
    """A bio or chapter title is still the placeholder that `anthology new` wrote.

    `anthology new` fills the new author's `bio` and the chapter's `title` with text starting
    with "TODO" so the files are valid from the start. Replace it with your own words before
    the book is built.
    """
    for author in book.authors.values():
        if author.bio and author.bio.lstrip().startswith(PLACEHOLDER):
            yield Finding(
                AUTHORS_FILE,
                author.line_of("bio"),
                f"The bio of '{author.id}' is still the placeholder",
                "Replace it with one short paragraph about yourself.",
            )
    for chapter in book.chapters:
        if chapter.title and chapter.title.lstrip().startswith(PLACEHOLDER):
            yield Finding(
                chapter.path,
                chapter.line_of("title"),
                "The chapter's title is still the placeholder",
                "Write your chapter's title after 'title:'.",
            )
