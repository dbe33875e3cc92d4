"""I: identifiers: author ids, chapter file names, who wrote which chapter, stray files in chapters/.

The helpers at the top (messages about ids, reading id lists with their lines, the set of
chapter files) are shared with the limits and book rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from ..diagnostics import Severity
from ..identifiers import ID_RULE, is_id, slugify
from ..model import AUTHORS_FILE, CHAPTERS_DIR, Book, Chapter
from ..schema import suggest
from ..sources import YamlList, YamlMap
from .registry import Finding, rule

# --- shared helpers --------------------------------------------------------------------------


def not_an_id(what: str, text: str) -> str:
    """The message for a name that is not an id, saying which characters are wrong."""
    faults: list[str] = []
    if any(c.isupper() for c in text):
        faults.append("capital letters")
    if any(c.isspace() for c in text):
        faults.append("spaces")
    others = sorted({c for c in text if not (c.isspace() or c.isupper() or c == "-" or (c.isascii() and c.isalnum()))})
    if others:
        faults.append(", ".join(f"'{c}'" for c in others[:5]) + (", …" if len(others) > 5 else ""))
    if text.startswith("-") or text.endswith("-") or "--" in text:
        faults.append("a hyphen at the start or end, or two in a row")
    found = " and ".join(faults) if faults else "nothing in it"
    return f"{what} '{text}' has {found}; ids use only {ID_RULE}"


def slug_example(text: str) -> str:
    """A quoted id to suggest instead of `text` (a made-up one when nothing usable is left)."""
    slug = slugify(text)
    return f"'{slug}'" if slug else "a name such as 'jane-doe'"


def closest(word: str, known: list[str] | set[str]) -> str | None:
    """The known id closest to `word`, comparing it as written and slugified."""
    return suggest(word, known) or suggest(slugify(word), known)


def did_you_mean(word: str, known: list[str] | set[str], otherwise: str) -> str:
    """A hint naming the closest known id, else just `otherwise`."""
    guess = closest(word, known)
    return f"Did you mean '{guess}'? {otherwise}" if guess else otherwise


def text_items(mapping: YamlMap | None, key: str, single: bool = False) -> list[tuple[str, int]] | None:
    """The texts listed under `key`, each with its line; None when the value is not a list.

    With `single`, a lone text counts as a one-item list. Items that are not text are left out
    (the schema rule S002 reports them).
    """
    if mapping is None:
        return None
    value = mapping.get(key)
    if single and isinstance(value, str):
        return [(value, mapping.line_of(key))]
    if isinstance(value, YamlList):
        return [(item, line) for item, line in zip(value, value.item_lines) if isinstance(item, str)]
    return None


def listed_authors(chapter: Chapter) -> list[tuple[str, int]] | None:
    """The author ids in a chapter's front matter with their lines; None when they cannot be read."""
    return text_items(chapter.meta, "authors", single=True)


def attributed(chapter: Chapter) -> bool:
    """Whether all of a chapter's authors are known: a readable, non-empty list of ids.

    When they are not, S002, I006 or a file rule reports why.
    """
    listed = listed_authors(chapter)
    if not listed or chapter.meta is None:
        return False
    value = chapter.meta.get("authors")
    expected = len(value) if isinstance(value, list) else 1
    return len(listed) == expected and all(author_id.strip() for author_id, _ in listed)


def chapter_paths(book: Book) -> list[str]:
    """Every `chapters/<name>.md` in the book, including chapters that could not be read."""
    seen = {c.path for c in book.chapters}
    seen.update(
        p.path
        for p in book.problems
        if PurePosixPath(p.path).parent.as_posix() == CHAPTERS_DIR and p.path.endswith(".md")
    )
    return sorted(seen)


def chapter_ids(book: Book) -> set[str]:
    """The ids (file stems) of every chapter file, readable or not."""
    return {PurePosixPath(path).stem for path in chapter_paths(book)}


def unread_chapters(book: Book) -> bool:
    """Whether some chapter file could not be read as far as its front matter.

    Book-wide checks that ask "does any chapter use X?" stay silent then: the unread chapter
    might, and the error that stops it being read is reported already.
    """
    loaded = {c.path for c in book.chapters if c.meta is not None}
    return any(path not in loaded for path in chapter_paths(book))


def authors_readable(book: Book) -> bool:
    """Whether authors.yaml was read (when it was not, F-rules say why and ids cannot be checked)."""
    return book.authors_raw is not None


def unknown_authors(book: Book) -> Iterator[tuple[Chapter, str, int]]:
    """Each (chapter, id, line) where a chapter names an author id missing from authors.yaml."""
    if not authors_readable(book):
        return
    for chapter in book.chapters:
        for author_id, line in listed_authors(chapter) or []:
            if author_id.strip() and author_id not in book.authors:
                yield chapter, author_id, line


# --- rules -----------------------------------------------------------------------------------


@rule("I001", "invalid-author-id")
def invalid_author_id(book: Book) -> Iterator[Finding]:
    """An author id in authors.yaml is not a valid id.

    Ids are used in file names, web addresses and chapters' `authors` lists, so they may only
    hold lower-case letters a-z, digits and single hyphens (`jan-van-der-berg`, `li-xiaolong`).
    Rename the entry, and use the new id in your chapter's `authors` list too.
    """
    for author in book.authors.values():
        if not is_id(author.id):
            yield Finding(
                AUTHORS_FILE,
                author.line,
                not_an_id("Author id", author.id),
                f"Rename it to {slug_example(author.id)}, and use the new id in your chapter's 'authors' list.",
            )


@rule("I002", "invalid-chapter-id")
def invalid_chapter_id(book: Book) -> Iterator[Finding]:
    """A chapter's file name is not a valid id.

    The file name (without `.md`) is the chapter's id, used in links, exceptions and the
    book's order, so it may only hold lower-case letters a-z, digits and single hyphens.
    Rename `chapters/My Chapter.md` to `chapters/my-chapter.md`.
    """
    for path in chapter_paths(book):
        stem = PurePosixPath(path).stem
        if not is_id(stem):
            slug = slugify(stem)
            target = f"{CHAPTERS_DIR}/{slug}.md" if slug else f"{CHAPTERS_DIR}/my-chapter.md"
            yield Finding(path, None, not_an_id("Chapter file name", stem), f"Rename the file to {target}.")


@rule("I003", "unknown-author")
def unknown_author(book: Book) -> Iterator[Finding]:
    """A chapter's `authors` list names an id that is not in authors.yaml.

    Every author of a chapter needs an entry in authors.yaml (name and bio). Usually the id is
    misspelt; otherwise add the author's entry to authors.yaml.
    """
    for chapter, author_id, line in unknown_authors(book):
        yield Finding(
            chapter.path,
            line,
            f"Author '{author_id}' is not in {AUTHORS_FILE}",
            did_you_mean(author_id, set(book.authors), f"Otherwise add an entry for '{author_id}' to {AUTHORS_FILE}."),
        )


@rule("I004", "author-without-chapter", Severity.WARNING)
def author_without_chapter(book: Book) -> Iterator[Finding]:
    """An author in authors.yaml whose chapter has not arrived yet.

    A warning, not an error: entries often come before chapters. Before the book is built,
    each author needs a chapter listing them in `authors`, or their entry should be removed.
    (An author whose id a chapter misspells is reported by I003 instead.)
    """
    if not authors_readable(book) or unread_chapters(book) or not all(attributed(c) for c in book.chapters):
        return
    credited = {author_id for c in book.chapters for author_id, _ in listed_authors(c) or []}
    misspelt = (closest(author_id, set(book.authors)) for _, author_id, _ in unknown_authors(book))
    credited.update(guess for guess in misspelt if guess is not None)
    for author in book.authors.values():
        if author.id not in credited:
            yield Finding(
                AUTHORS_FILE,
                author.line,
                f"No chapter lists '{author.id}' among its authors",
                f"Add the chapter (chapters/<id>.md with 'authors: [{author.id}]'), "
                "or remove the entry if this author is no longer taking part.",
            )


def _stray_hint(entry: PurePosixPath, is_folder: bool) -> str:
    """What to do with a file that is not a chapter, in the author's terms."""
    if is_folder:
        return f"Chapters cannot be in sub-folders: move the chapter files into {CHAPTERS_DIR}/ itself."
    if entry.suffix.lower() == ".md":
        target = f"{CHAPTERS_DIR}/{slugify(entry.stem) or 'my-chapter'}.md"
        return f"Rename it to {target} (the ending must be '.md' in lower case)."
    return (
        f"Chapters must be Markdown files named {CHAPTERS_DIR}/<id>.md: save the text as Markdown (.md), "
        "put pictures in images/, and move other files out of the book."
    )


@rule("I005", "stray-file")
def stray_file(book: Book) -> Iterator[Finding]:
    """A file in chapters/ that is not a chapter (`.docx`, `.txt`, a picture, a folder, …).

    Only Markdown files named `<id>.md` are chapters; anything else would be silently left out
    of the book. Save chapters as Markdown, and keep pictures in images/.
    """
    for path in book.stray_files:
        entry = PurePosixPath(path)
        is_folder = (book.root / path).is_dir()
        kind = "a folder" if is_folder else "not a Markdown chapter (.md)"
        yield Finding(path, None, f"'{entry.name}' in {CHAPTERS_DIR}/ is {kind}", _stray_hint(entry, is_folder))


@rule("I006", "empty-authors")
def empty_authors(book: Book) -> Iterator[Finding]:
    """A chapter's `authors` list is empty, has an empty entry, or names the same author twice.

    Every chapter needs at least one author, each listed once: `authors: [ann-lee]` or, for a
    co-written chapter, `authors: [ann-lee, li-wei]`.
    """
    for chapter in book.chapters:
        listed = listed_authors(chapter)
        if listed is None or chapter.meta is None:
            continue
        blank = all(not author_id.strip() for author_id, _ in listed)
        if (listed and blank) or chapter.meta.get("authors") == []:
            yield Finding(
                chapter.path,
                chapter.line_of("authors"),
                "The 'authors' list is empty",
                "Write your author id from authors.yaml in it, e.g. 'authors: [jane-doe]'.",
            )
            continue
        first_lines: dict[str, int] = {}
        for author_id, line in listed:
            if not author_id.strip():
                yield Finding(chapter.path, line, "'authors' has an empty entry", "Write an author id, or remove it.")
            elif author_id in first_lines:
                yield Finding(
                    chapter.path,
                    line,
                    f"Author '{author_id}' is listed twice (first on line {first_lines[author_id]})",
                    "List each author once.",
                )
            else:
                first_lines[author_id] = line
