"""G: characters the book's fonts cannot print."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from .. import fonts
from ..diagnostics import Severity
from ..model import AUTHORS_FILE, Book
from .registry import Finding, rule

_ASCII = frozenset(chr(i) for i in range(128))
_AUTHOR_KEYS = ("name", "sort_as", "affiliation", "bio")  # the author fields that are printed
_HINT = "Install a font that covers it (see README, Fonts) or replace the character"


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = {"Co": "a private-use character", "Cn": "an unassigned code point"}.get(category, category)
    shown = "" if unicodedata.category(char)[0] in "CZM" else f" {char}"
    return f"U+{ord(char):04X}{shown} ({name})"


def _missing(texts: Iterable[object]) -> set[str]:
    """The characters of `texts` that no font covers. ASCII is skipped before any lookup."""
    chars: set[str] = set()
    for text in texts:
        if isinstance(text, str):
            chars.update(text)
    chars -= _ASCII
    return fonts.covered(chars) if chars else set()


def _first_lines(missing: set[str], pieces: Iterable[tuple[object, int]]) -> dict[str, int]:
    """The first line of each missing character; `pieces` are texts with their first line."""
    first: dict[str, int] = {}
    for text, line in pieces:
        if not isinstance(text, str):
            continue
        for offset, text_line in enumerate(text.split("\n")):
            for char in missing:
                if char not in first and char in text_line:
                    first[char] = line + offset
            if len(first) == len(missing):
                return first
    return first


def _findings(path: str, missing: set[str], first: dict[str, int]) -> Iterator[Finding]:
    for char in sorted(missing, key=lambda c: (first.get(c, 0), c)):
        message = f"No installed font has a glyph for {_describe(char)}; it would print as a blank box"
        yield Finding(path, first.get(char), message, _HINT)


def printed_texts(book: Book) -> Iterator[str]:
    """Every text of the book that G001 checks: what the fonts must be able to print."""
    for author in book.authors.values():
        yield from (text for key in _AUTHOR_KEYS if isinstance(text := getattr(author, key), str))
    for chapter in book.chapters:
        yield from (text for text in (chapter.title, chapter.subtitle, chapter.body) if isinstance(text, str))
    for page in (*book.front, *book.back):
        yield from (text for text in (page.title, page.body) if isinstance(text, str))


def _authors(book: Book) -> Iterator[Finding]:
    keys = _AUTHOR_KEYS
    missing = _missing(getattr(a, k) for a in book.authors.values() for k in keys)
    if not missing:
        return
    try:  # a folded bio spans several lines: look in the file itself for the exact line
        lines = (book.root / AUTHORS_FILE).read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeError):
        lines = []
    first: dict[str, int] = {}
    for author in book.authors.values():
        here = {c for c in missing - first.keys() if any(c in (getattr(author, k) or "") for k in keys)}
        if not here:
            continue
        entry = [(text, author.line + i) for i, text in enumerate(lines[author.line - 1 : author.end_line])]
        found = _first_lines(here, entry)
        for char in here:
            key = next(k for k in keys if char in (getattr(author, k) or ""))
            first[char] = found.get(char, author.line_of(key))
        if len(first) == len(missing):
            break
    yield from _findings(AUTHORS_FILE, missing, first)


def _file(path: str, pieces: Sequence[tuple[object, int]]) -> Iterator[Finding]:
    missing = _missing(text for text, _ in pieces)
    if missing:
        yield from _findings(path, missing, _first_lines(missing, pieces))


@rule("G001", "missing-glyph", Severity.WARNING)
def missing_glyph(book: Book) -> Iterator[Finding]:
    """A character that none of the book's fonts can print.

    The PDF is set in the Noto Serif family with fallbacks for Chinese, Japanese, Korean,
    Arabic, Hebrew, Devanagari and symbols (see README, Fonts). A character that none of
    these fonts has - an emoji, a private-use character, a letter of a script outside that
    list such as Thai or Armenian - would print as an empty box (tofu). Authors' names,
    `sort_as`, affiliations and bios, chapter titles, subtitles and bodies, and the front
    and back pages are checked. Each character is reported once per file, at its first line.

    Fix it by replacing the character (an emoji with words, a look-alike with the real
    letter), or ask the editors to install and add a font that covers it. White space and
    invisible formatting characters are never reported. The check uses the fonts installed
    on the machine that runs it; where fontconfig is missing it reports nothing.
    """
    yield from _authors(book)
    for chapter in book.chapters:
        pieces = [(chapter.title, chapter.line_of("title")), (chapter.body, chapter.body_line)]
        if chapter.subtitle:
            pieces.insert(1, (chapter.subtitle, chapter.line_of("subtitle")))
        yield from _file(chapter.path, pieces)
    for page in (*book.front, *book.back):
        title_line = page.meta.line_of("title") if page.meta is not None else 1
        yield from _file(page.path, [(page.title, title_line), (page.body, page.body_line)])
