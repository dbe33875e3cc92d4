"""W: the book's words and writing systems: `labels:`, `direction:`, `numerals:`, authors' `lang:`."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Severity
from ..labels import KEYS, placeholders, table_language
from ..model import AUTHORS_FILE, BOOK_FILE, Book
from ..schema import suggest
from ..sources import YamlMap
from .book import LANGUAGE_EXAMPLES, raw_text
from .names import author_texts
from .registry import Finding, rule

CHOICES = {"direction": ("rtl", "ltr"), "numerals": ("latin", "native")}


def _labels(book: Book) -> YamlMap | None:
    value = book.settings.raw.get("labels") if book.settings is not None else None
    return value if isinstance(value, YamlMap) else None


@rule("W001", "unknown-label")
def unknown_label(book: Book) -> Iterator[Finding]:
    """A key under `labels:` in book.yaml is not one of the book's own words.

    `labels:` replaces words anthology prints in the book (`contents`, `chapter`,
    `contributors`, `index`, `edited_by`, ...; `anthology explain W001` and docs/languages.md
    list them all). A key that is not one of them would silently change nothing; usually it
    is misspelt.
    """
    labels = _labels(book)
    if labels is None:
        return
    for key in labels:
        if key not in KEYS:
            guess = suggest(str(key), set(KEYS))
            hint = f"Did you mean '{guess}'?" if guess else "Known labels: " + ", ".join(KEYS) + "."
            yield Finding(BOOK_FILE, labels.line_of(key), f"Unknown label '{key}' in 'labels'", hint)


@rule("W002", "label-placeholder")
def label_placeholder(book: Book) -> Iterator[Finding]:
    """A label in `labels:` uses a placeholder that label does not have, or has unbalanced braces.

    Words in braces are filled in by anthology: `chapter: "Capítulo {number}"`,
    `edited_by: "Edited by {names}"`. Each label knows only its own placeholders (those of
    its English text); write a literal brace as `{{` or `}}`.
    """
    labels = _labels(book)
    if labels is None:
        return
    for key, text in labels.items():
        if key not in KEYS or not isinstance(text, str):
            continue
        allowed = placeholders(KEYS[key]) or set()
        used = placeholders(text)
        listing = ", ".join("{" + name + "}" for name in sorted(allowed)) or "none"
        if used is None:
            message = f"Label '{key}' has unbalanced braces: '{text}'"
        elif used - allowed:
            unknown = ", ".join("{" + name + "}" for name in sorted(used - allowed))
            message = f"Label '{key}' uses {unknown}, which this label does not have"
        else:
            continue
        yield Finding(
            BOOK_FILE,
            labels.line_of(key),
            message,
            f"Placeholders of '{key}': {listing}. A literal brace is written {{{{.",
        )


@rule("W003", "invalid-direction-or-numerals")
def invalid_choice(book: Book) -> Iterator[Finding]:
    """`direction` in book.yaml is not `rtl` or `ltr`, or `numerals` is not `latin` or `native`.

    Without them the book's language decides: Arabic, Persian, Hebrew and Urdu books are set
    right to left, and Arabic and Persian books number their pages in their own digits.
    """
    if book.settings is None:
        return
    for key, allowed in CHOICES.items():
        value = raw_text(book.settings, key)
        if value is not None and value not in allowed:
            yield Finding(
                BOOK_FILE,
                book.settings.line_of(key),
                f"'{key}' is '{value}'; it can be {' or '.join(allowed)}",
                f"Write '{key}: {allowed[0]}' or '{key}: {allowed[1]}', or leave it out to follow the language.",
            )


@rule("W004", "invalid-name-language")
def invalid_name_language(book: Book) -> Iterator[Finding]:
    """An author's `lang` in authors.yaml is not a BCP 47 language tag.

    `lang` says which language a name is written in, so it is printed with that language's
    letter forms (a Japanese name in Japanese glyphs, not Chinese ones): `ja`, `zh-Hant`, `ko`.
    """
    import langcodes  # slow to import (large tables): only when an author has `lang`

    for author, value in author_texts(book, "lang"):
        if not langcodes.tag_is_valid(value):
            yield Finding(
                AUTHORS_FILE,
                author.line_of("lang"),
                f"'lang' of author '{author.id}' is '{value}', not a BCP 47 language tag",
                f"Use a tag such as {LANGUAGE_EXAMPLES}.",
            )


@rule("W005", "untranslated-language", Severity.WARNING)
def untranslated_language(book: Book) -> Iterator[Finding]:
    """The book's language has no translation of the words anthology prints, so they stay in English.

    anthology prints "Contents", "Chapter 3", "Contributors" and a few more words itself, in
    the book's language for the languages it ships (see docs/languages.md). For another
    language, give every word in `labels:` in book.yaml (the message lists the missing ones).
    """
    import langcodes

    if book.settings is None or (language := raw_text(book.settings, "language")) is None:
        return
    if table_language(language) is not None or not langcodes.tag_is_valid(language):  # B005 reports that
        return
    given = set(_labels(book) or {})
    missing = [key for key in KEYS if key not in given]
    if missing:
        yield Finding(
            BOOK_FILE,
            book.settings.line_of("language"),
            f"anthology has no words for language '{language}'; {len(missing)} labels would print in English",
            "Translate them under 'labels:' in book.yaml: " + ", ".join(missing) + ".",
        )
