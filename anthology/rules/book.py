"""B: book.yaml's own values: ISBN, language, slug, sections, order, front and back pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import isbn

from ..diagnostics import Severity
from ..fileio import inside
from ..identifiers import ID_RULE, is_id
from ..model import BOOK_FILE, Book, Chapter, Section, Settings
from ..sources import YamlList, YamlMap
from .ids import (
    chapter_ids,
    did_you_mean,
    not_an_id,
    slug_example,
    text_items,
    unread_chapters,
)
from .registry import Finding, rule

COVER_TYPES = re.compile(r"\.(png|jpe?g|gif|webp|svg)$", re.IGNORECASE)


def is_cover_picture(book: Book, path: str) -> bool:
    """Whether `path` names a picture file (PNG, JPEG, GIF, WebP, SVG) inside the book's images/."""
    real = inside(book.root, path)
    images = (book.root / "images").resolve()
    return real is not None and real.is_relative_to(images) and real.is_file() and COVER_TYPES.search(path) is not None


ORDERS = ("author", "title")
LANGUAGE_EXAMPLES = "'en' (English), 'fr' (French), 'pt-BR' (Brazilian Portuguese) or 'zh-Hant' (Chinese, traditional)"


def raw_text(settings: Settings, key: str) -> str | None:
    """book.yaml's `key` when it is text (a wrong type is reported by S002, a missing key is allowed)."""
    value = settings.raw.get(key)
    return value if isinstance(value, str) else None


def declared_sections(settings: Settings) -> tuple[Section, ...] | None:
    """The sections book.yaml declares; None when `sections` is not a list of entries with an id.

    In that case S001/S002 report the malformed `sections` and the section checks stay silent.
    """
    value = settings.raw.get("sections")
    if value is None:
        return ()
    if not isinstance(value, YamlList):
        return None
    if not all(isinstance(item, YamlMap) and isinstance(item.get("id"), str) for item in value):
        return None
    return settings.sections


def section_readable(chapter: Chapter) -> bool:
    """Whether the chapter's front matter was read and its `section`, if any, is text (else S002)."""
    return chapter.meta is not None and isinstance(chapter.meta.get("section"), (str, type(None)))


def section_of(chapter: Chapter) -> str | None:
    """The chapter's `section` as written (None when not given or not readable)."""
    value = chapter.meta.get("section") if chapter.meta is not None else None
    return value if isinstance(value, str) else None


def isbn_problem(value: str) -> str | None:
    """What is wrong with an ISBN, or None when it is a valid ISBN-13 or ISBN-10."""
    number = re.sub(r"[\s-]+", "", value).upper()
    if not re.fullmatch(r"[0-9X]*", number):
        return f"ISBN '{value}' has characters other than digits, hyphens and spaces"
    if len(number) not in (10, 13):
        return f"ISBN '{value}' has {len(number)} digits; an ISBN has 13 (or 10 for older books)"
    if not re.fullmatch(r"[0-9]{13}|[0-9]{9}[0-9X]", number):
        return f"ISBN '{value}' has an X that is not the last digit of a 10-digit ISBN"
    if len(number) == 13 and number[:3] not in ("978", "979"):
        return f"ISBN '{value}' starts with {number[:3]}; an ISBN-13 starts with 978 or 979"
    if not isbn.is_valid(number):
        expected = next((digit for digit in "0123456789X" if isbn.is_valid(number[:-1] + digit)), "?")
        return f"ISBN '{value}' ends in check digit {number[-1]}; for the digits before it, it should be {expected}"
    return None


@rule("B001", "invalid-isbn")
def invalid_isbn(book: Book) -> Iterator[Finding]:
    """The `isbn` in book.yaml is not a valid ISBN.

    An ISBN has 13 digits (or 10 for older books) and its last digit is a check digit
    computed from the others, so most typos are caught. Hyphens and spaces are allowed.
    Copy the number again from the ISBN agency's record.
    """
    if book.settings is None or book.settings.isbn is None:
        return
    problem = isbn_problem(book.settings.isbn)
    if problem is not None:
        yield Finding(
            BOOK_FILE,
            book.settings.line_of("isbn"),
            problem,
            "Copy the ISBN again, digit by digit, from the ISBN agency's record (it looks like 978-0-306-40615-7).",
        )


@rule("B002", "unknown-section")
def unknown_section(book: Book) -> Iterator[Finding]:
    """A chapter's `section` is not one of the sections declared in book.yaml, or is missing.

    When book.yaml declares `sections`, every chapter says which one it belongs to with
    `section: <id>`, using one of the declared ids; when it declares none, chapters have no
    `section`. Usually the id is misspelt.
    """
    if book.settings is None or (sections := declared_sections(book.settings)) is None:
        return
    ids = [s.id for s in sections]
    listing = ", ".join(ids)
    for chapter in book.chapters:
        section = section_of(chapter)
        if not section_readable(chapter) or (section is None and not ids):
            continue
        line = chapter.line_of("section")
        if section is None:
            yield Finding(
                chapter.path,
                line,
                "The book has sections, but this chapter does not say which one it belongs to",
                f"Add a line 'section: {ids[0]}' to the front matter, using one of: {listing}.",
            )
        elif not ids:
            yield Finding(
                chapter.path,
                line,
                f"Section '{section}' is given, but the book has no sections",
                f"Remove the 'section:' line, or ask the editors to add section '{section}' to {BOOK_FILE}.",
            )
        elif section not in ids:
            yield Finding(
                chapter.path,
                line,
                f"Section '{section}' is not one of the sections in {BOOK_FILE}",
                did_you_mean(section, ids, f"The book's sections are: {listing}."),
            )


@rule("B003", "unused-section", Severity.WARNING)
def unused_section(book: Book) -> Iterator[Finding]:
    """A section declared in book.yaml that no chapter belongs to.

    It would print as an empty part of the book. Either chapters for it have not arrived yet,
    or the section can be removed from `sections`.
    """
    if book.settings is None or not (sections := declared_sections(book.settings)) or unread_chapters(book):
        return
    if not all(section_readable(c) for c in book.chapters):
        return
    used = {section_of(c) for c in book.chapters}
    reported: set[str] = set()
    for section in sections:
        if section.id not in used and section.id not in reported:
            reported.add(section.id)
            yield Finding(
                BOOK_FILE,
                section.line,
                f"No chapter belongs to section '{section.id}'",
                f"Add 'section: {section.id}' to its chapters once they arrive, or remove the section.",
            )


@rule("B004", "missing-page")
def missing_page(book: Book) -> Iterator[Finding]:
    """A page listed in `front` or `back` in book.yaml does not exist, or lies outside the book.

    Front and back pages (foreword, afterword) are Markdown files inside the book folder,
    listed by their path relative to it, e.g. `front: [front/foreword.md]`.
    """
    if book.settings is None:
        return
    for key in ("front", "back"):
        for name, line in text_items(book.settings.raw, key) or []:
            target = inside(book.root, name)
            if target is None:
                message = f"Page '{name}' in '{key}' lies outside the book folder"
                hint = f"Put the page inside the book and list its path relative to the book, e.g. '{key}/page.md'."
            elif target.is_dir():
                message = f"Page '{name}' in '{key}' is a folder, not a file"
                hint = f"List the page's Markdown file, e.g. '{key}/page.md', not the folder."
            elif not target.is_file():
                message = f"Page '{name}' in '{key}' does not exist"
                hint = f"Create the file {name}, or remove it from '{key}' in {BOOK_FILE}."
            else:
                continue
            yield Finding(BOOK_FILE, line, message, hint)


@rule("B005", "invalid-language")
def invalid_language(book: Book) -> Iterator[Finding]:
    """The `language` in book.yaml is not a valid BCP 47 language tag.

    The language decides hyphenation, quotation marks and what e-readers announce, so it
    must be a standard tag such as `en`, `fr`, `pt-BR` or `zh-Hant`, not a name like `English`.
    """
    import langcodes  # slow to import (large tables): only when a language is set

    if book.settings is None or (language := raw_text(book.settings, "language")) is None:
        return
    if not langcodes.tag_is_valid(language):
        yield Finding(
            BOOK_FILE,
            book.settings.line_of("language"),
            f"Language '{language}' is not a BCP 47 language tag",
            f"Use a tag such as {LANGUAGE_EXAMPLES}.",
        )


@rule("B006", "order-unknown-chapter")
def order_unknown_chapter(book: Book) -> Iterator[Finding]:
    """The `order` in book.yaml is neither `author`, `title` nor a list of existing chapter ids.

    `order: author` sorts chapters by their first author, `order: title` by title, and a list
    of chapter ids (file names without `.md`) gives the order by hand; an id in that list
    must belong to a chapter.
    """
    if book.settings is None:
        return
    settings = book.settings
    if (order := raw_text(settings, "order")) is not None:
        if order not in ORDERS:
            yield Finding(
                BOOK_FILE,
                settings.line_of("order"),
                f"Order '{order}' is not 'author', 'title' or a list of chapter ids",
                did_you_mean(order, list(ORDERS), "Write 'order: author', 'order: title' or a list of chapter ids."),
            )
        return
    known = chapter_ids(book)
    for chapter_id, line in text_items(settings.raw, "order") or []:
        if chapter_id not in known:
            yield Finding(
                BOOK_FILE,
                line,
                f"Order lists chapter '{chapter_id}', but there is no chapters/{chapter_id}.md",
                did_you_mean(chapter_id, known, "Otherwise correct the id or remove it from the list."),
            )


@rule("B007", "invalid-slug")
def invalid_slug(book: Book) -> Iterator[Finding]:
    """The `slug` in book.yaml is not a valid id.

    The slug names the output files (`build/<slug>.pdf`), so it may only hold lower-case
    letters a-z, digits and single hyphens, e.g. `age-of-conversation`.
    """
    if book.settings is None or (slug := raw_text(book.settings, "slug")) is None:
        return
    if not is_id(slug):
        yield Finding(
            BOOK_FILE,
            book.settings.line_of("slug"),
            not_an_id("Slug", slug),
            f"Use {slug_example(slug)} instead (only {ID_RULE}).",
        )


@rule("B008", "duplicate-section")
def duplicate_section(book: Book) -> Iterator[Finding]:
    """Two sections in book.yaml have the same id.

    Chapters name their section by id, so each id must be declared once. Remove the repeated
    section or give it its own id.
    """
    if book.settings is None:
        return
    first: dict[str, Section] = {}
    for section in book.settings.sections:
        if section.id in first:
            yield Finding(
                BOOK_FILE,
                section.line,
                f"Section '{section.id}' is declared twice (first on line {first[section.id].line})",
                "Remove the repeated section, or give it an id of its own.",
            )
        else:
            first[section.id] = section


@rule("B009", "invalid-cover")
def invalid_cover(book: Book) -> Iterator[Finding]:
    """The `cover` in book.yaml is not a picture file under images/.

    The EPUB's cover must be a PNG, JPEG, GIF, WebP or SVG file inside the book's images/
    folder, e.g. `cover: images/cover.png`.
    """
    if book.settings is None or (cover := raw_text(book.settings, "cover")) is None:
        return
    if not is_cover_picture(book, cover):
        yield Finding(
            BOOK_FILE,
            book.settings.line_of("cover"),
            f"Cover '{cover}' is not a picture file in images/",
            "Put the cover picture in images/ and write 'cover: images/<name>.png' (or .jpg, .gif, .webp, .svg).",
        )


@rule("B010", "invalid-trim")
def invalid_trim(book: Book) -> Iterator[Finding]:
    """The `trim` (page size) in book.yaml is not understood.

    Use a common trim name (`6x9`, `5.5x8.5`, `5x8`, `7x10`, `8.5x11`, `letter`, `a5`, `a4`,
    `b5`) or two lengths, width then height, such as `6in 9in` or `148mm 210mm`.
    """
    from ..render.theme import TRIMS, page_size

    if book.settings is None or (trim := raw_text(book.settings, "trim")) is None:
        return
    if page_size(trim) is None:
        yield Finding(
            BOOK_FILE,
            book.settings.line_of("trim"),
            f"Page size '{trim}' is not understood",
            f"Write one of {', '.join(TRIMS)}, or 'WIDTH HEIGHT' such as '6in 9in'.",
        )
