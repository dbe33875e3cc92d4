"""S: required keys, types and unknown keys in book.yaml, authors.yaml and front matter."""

from __future__ import annotations

from collections.abc import Iterator

from .. import schema
from ..model import AUTHORS_FILE, BOOK_FILE, Book
from ..sources import YamlMap
from .registry import Finding, rule


def _mismatches(book: Book, code: str) -> Iterator[Finding]:
    """Every schema mismatch with this code, in all three kinds of file."""
    if "schema" not in book.memo:
        book.memo["schema"] = list(_all_mismatches(book))
    return (finding for finding_code, finding in book.memo["schema"] if finding_code == code)


def _all_mismatches(book: Book) -> Iterator[tuple[str, Finding]]:
    """(code, finding) for every schema mismatch: one walk shared by S001-S003."""
    targets: list[tuple[str, object, schema.Spec, str]] = []
    if book.settings is not None:
        targets.append((BOOK_FILE, book.settings.raw, schema.BOOK, ""))
    for author in book.authors.values():
        targets.append((AUTHORS_FILE, author.raw, schema.AUTHOR, author.id))
    for chapter in book.chapters:
        if chapter.meta is not None:
            targets.append((chapter.path, chapter.meta, schema.CHAPTER, ""))
    for page in (*book.front, *book.back):
        if page.meta is not None:
            targets.append((page.path, page.meta, schema.PAGE, ""))
    for path, value, spec, where in targets:
        line = value.line if isinstance(value, YamlMap) else None
        if line is None and path == AUTHORS_FILE:
            line = book.authors[where].line
        for mismatch in schema.mismatches(value, spec, where, line):
            yield mismatch.code, Finding(path, mismatch.line, mismatch.message, mismatch.hint)


@rule("S001", "missing-key")
def missing_key(book: Book) -> Iterator[Finding]:
    """A required key is missing.

    book.yaml needs `title`; each author needs `name` and `bio`; each chapter needs `title`
    and `authors`; front and back pages need `title`.
    """
    return _mismatches(book, "S001")


@rule("S002", "wrong-type")
def wrong_type(book: Book) -> Iterator[Finding]:
    """A value has the wrong type: a list where text is expected, text where a number is, …

    For example `authors:` must be a list of author ids, `limits.chapter_words.max` a whole
    number.
    """
    return _mismatches(book, "S002")


@rule("S003", "unknown-key")
def unknown_key(book: Book) -> Iterator[Finding]:
    """A key that the format does not know, usually a typo (`boi` for `bio`).

    Unknown keys are errors rather than ignored: a misspelt key silently loses its value,
    and in chapters an unknown key could smuggle settings (such as `header-includes`)
    into the typesetter.
    """
    return _mismatches(book, "S003")
