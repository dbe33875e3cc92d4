"""The book's reading order: sections as parts, chapters ordered and numbered inside them.

Used by `build`, `proof` and `status`, so a chapter's number and position are the same
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Book, Chapter, Section
from .names import collation_key, index_entry_keys


@dataclass(frozen=True)
class Entry:
    chapter: Chapter
    number: int | None  # None when the book is not numbered


@dataclass(frozen=True)
class Part:
    section: Section | None  # None: chapters outside any declared section
    entries: tuple[Entry, ...]


def author_key(book: Book, chapter: Chapter) -> tuple[object, ...]:
    """Sort key of a chapter by the index key of its first-listed author (contract: order: author)."""
    first = book.authors.get(chapter.authors[0]) if chapter.authors else None
    name = index_entry_keys(first.name or first.id, first.sort_as)[1] if first is not None else chapter.id
    return (collation_key(name, language(book)), chapter.id)


def language(book: Book) -> str | None:
    """The book's language, for sorting in its order (collation.py)."""
    return book.settings.language if book.settings else None


def _ordered(book: Book, chapters: list[Chapter]) -> list[Chapter]:
    order = book.settings.order if book.settings else "author"
    if order == "title":
        return sorted(chapters, key=lambda c: (collation_key(c.title or c.id, language(book)), c.id))
    by_author = sorted(chapters, key=lambda c: author_key(book, c))
    if isinstance(order, tuple):  # listed chapters first, in that order; the rest by author
        position = {chapter_id: index for index, chapter_id in enumerate(order)}
        return sorted(by_author, key=lambda c: position.get(c.id, len(position)))
    return by_author


def outline(book: Book) -> tuple[Part, ...]:
    """Parts in book.yaml order; chapters with an undeclared or no section come last."""
    sections = book.settings.sections if book.settings else ()
    declared = {s.id for s in sections}
    groups: list[tuple[Section | None, list[Chapter]]] = [
        (s, [c for c in book.chapters if c.section == s.id]) for s in sections
    ]
    rest = [c for c in book.chapters if c.section not in declared]
    if rest:
        groups.append((None, rest))
    numbered = book.settings.numbered if book.settings else True
    parts = []
    counter = 0
    for section, chapters in groups:
        if not chapters:
            continue
        entries = []
        for chapter in _ordered(book, chapters):
            counter += 1
            entries.append(Entry(chapter, counter if numbered else None))
        parts.append(Part(section, tuple(entries)))
    return tuple(parts)


def reading_order(book: Book) -> list[Entry]:
    return [entry for part in outline(book) for entry in part.entries]
