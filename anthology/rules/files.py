"""F: files that cannot be read as text, YAML or front matter."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Book
from .registry import Finding, loaded, rule


@rule("F001", "unreadable-file")
def unreadable_file(book: Book) -> Iterator[Finding]:
    """A file cannot be read as UTF-8 text.

    Chapters and YAML files must be plain UTF-8 text (a byte-order mark and Windows line
    ends are fine). Binary files, other encodings, missing authors.yaml and links to files
    outside the book are refused.
    """
    return loaded(book, "F001")


@rule("F002", "file-too-large")
def file_too_large(book: Book) -> Iterator[Finding]:
    """A file is too large: a chapter over 1 MB, a YAML file over 16 MB.

    Chapters are short; a huge file is almost always a mistake (a pasted export, a binary)
    and would slow every check for everybody.
    """
    return loaded(book, "F002")


@rule("F003", "yaml-syntax")
def yaml_syntax(book: Book) -> Iterator[Finding]:
    """YAML that cannot be parsed.

    The message gives the line where the parser gave up; the mistake is often on the line
    before (a missing quote, a tab, a value with ': ' that needs quoting).
    """
    return loaded(book, "F003")


@rule("F004", "duplicate-key")
def duplicate_key(book: Book) -> Iterator[Finding]:
    """The same key appears twice in one mapping, including two authors with the same id.

    Plain YAML loaders silently keep the last value, so half of an entry would vanish.
    """
    return loaded(book, "F004")


@rule("F005", "yaml-feature-refused")
def yaml_feature_refused(book: Book) -> Iterator[Finding]:
    """YAML tags, aliases, merge keys or very deep nesting.

    Book files only need plain keys, text and lists. Aliases can expand a few bytes into
    megabytes and tags can construct objects, so both are refused.
    """
    return loaded(book, "F005")


@rule("F006", "front-matter-missing")
def front_matter_missing(book: Book) -> Iterator[Finding]:
    """A Markdown file does not start with `---` front matter, or never closes it.

    Every chapter starts with a `---` line, its `title:` and `authors:`, and another `---`.
    """
    return loaded(book, "F006")


@rule("F007", "not-a-mapping")
def not_a_mapping(book: Book) -> Iterator[Finding]:
    """A YAML file or a front-matter block is not a mapping of keys to values."""
    return loaded(book, "F007")
