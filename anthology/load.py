"""A book folder -> the model. Parse problems become located problems, never exceptions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import schema
from .errors import AnthologyError
from .fileio import inside
from .model import (
    AUTHORS_FILE,
    BOOK_FILE,
    CHAPTERS_DIR,
    Author,
    Book,
    Chapter,
    Exception_,
    Limits,
    Located,
    Page,
    Section,
    Settings,
)
from .sources import (
    MAX_YAML_BYTES,
    Problem,
    YamlMap,
    parse_yaml,
    read_text,
    split_front_matter,
)


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    return str(value) if isinstance(value, (str, int)) else None


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(item) for item in value if isinstance(item, (str, int)) and not isinstance(item, bool))
    return ()


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _read_yaml_file(root: Path, name: str, problems: list[Located]) -> Any:
    path = root / name
    text, found = read_text(path, MAX_YAML_BYTES)
    problems.extend(Located(name, p) for p in found)
    if text is None:
        return None
    data, found = parse_yaml(text)
    problems.extend(Located(name, p) for p in found)
    return data


def _top_mapping(data: Any, name: str, problems: list[Located]) -> YamlMap | None:
    if isinstance(data, YamlMap):
        return data
    if data is not None or not any(p.path == name for p in problems):
        problems.append(
            Located(
                name, Problem("F007", 1, f"{name} must be a mapping of keys to values", "See the contract's example.")
            )
        )
    return None


def read_settings(root: Path) -> tuple[Settings | None, list[Located]]:
    """The book's settings from book.yaml, and the problems met reading it (None: unreadable).

    A folder that is not a book raises AnthologyError: there is nothing to report on."""
    if not root.is_dir():
        raise AnthologyError(f"{root} is not a folder", "Run the command inside a book repository, or pass --root DIR.")
    if not (root / BOOK_FILE).is_file():
        raise AnthologyError(
            f"No {BOOK_FILE} in {root}",
            "Run the command in the book's folder, pass --root DIR, or create a book with 'anthology init DIR'.",
        )
    problems: list[Located] = []
    raw = _top_mapping(_read_yaml_file(root, BOOK_FILE, problems), BOOK_FILE, problems)
    return (load_settings(raw) if raw is not None else None), problems


def _map(value: object) -> YamlMap:
    """`value` when it is a mapping, else an empty one (validation reports the wrong type)."""
    return value if isinstance(value, YamlMap) else YamlMap()


def load_settings(raw: YamlMap) -> Settings:
    limits = _map(raw.get("limits"))
    words, bio, pages = (_map(limits.get(key)) for key in ("chapter_words", "bio_words", "chapter_pages"))
    listed = raw.get("sections")
    sections = tuple(
        Section(str(item["id"]), str(item.get("title", item["id"])), item.line)
        for item in (listed if isinstance(listed, list) else [])
        if isinstance(item, YamlMap) and isinstance(item.get("id"), str)
    )
    exceptions_raw = _map(raw.get("exceptions"))
    exceptions = {
        str(key): Exception_(
            _int(value.get("min_words")),
            _int(value.get("max_words")),
            _int(value.get("max_pages")),
            exceptions_raw.line_of(key),
        )
        for key, value in exceptions_raw.items()
        if isinstance(value, dict)
    }
    order = raw.get("order")
    labels = _map(raw.get("labels"))
    defaults = Settings(title=None, raw=raw)
    return Settings(
        title=_text(raw.get("title")),
        raw=raw,
        subtitle=_text(raw.get("subtitle")),
        editors=_texts(raw.get("editors")),
        language=_text(raw.get("language")) or defaults.language,
        isbn=_text(raw.get("isbn")),
        publisher=_text(raw.get("publisher")),
        limits=Limits(_int(words.get("min")), _int(words.get("max")), _int(bio.get("max")), _int(pages.get("max"))),
        sections=sections,
        slug=_text(raw.get("slug")),
        order=_texts(order) if isinstance(order, list) else (_text(order) or defaults.order),
        front=_texts(raw.get("front")),
        back=_texts(raw.get("back")),
        exceptions=exceptions,
        maintainers=_texts(raw.get("maintainers")),
        trim=_text(raw.get("trim")) or defaults.trim,
        numbered=raw["numbered"] if isinstance(raw.get("numbered"), bool) else defaults.numbered,
        bios=_text(raw.get("bios")) or defaults.bios,
        cover=_text(raw.get("cover")),
        rights=_text(raw.get("rights")),
        edition=_text(raw.get("edition")),
        labels={str(k): v for k, v in labels.items() if isinstance(v, str)},
        direction=_text(raw.get("direction")),
        numerals=_text(raw.get("numerals")),
        printing=printing if isinstance(printing := raw.get("print"), YamlMap) else None,
        site_url=_text(raw.get("site_url")),
    )


def load_authors(raw: YamlMap) -> dict[str, Author]:
    """Authors in file order; an entry that is not a mapping still exists (so chapters resolve)."""
    keys = list(raw)
    authors: dict[str, Author] = {}
    for index, key in enumerate(keys):
        entry = raw[key]
        line = raw.line_of(key)
        end = raw.line_of(keys[index + 1]) - 1 if index + 1 < len(keys) else raw.end_line + 1
        fields = entry if isinstance(entry, YamlMap) else {}
        optional = {name: _text(fields.get(name)) for name in schema.AUTHOR.fields if name not in ("name", "bio")}
        authors[key] = Author(
            id=key,
            name=_text(fields.get("name")),
            bio=_text(fields.get("bio")),
            line=line,
            end_line=max(line, end),
            raw=entry,
            **optional,
        )
    return authors


def load_markdown(root: Path, relative: str, problems: list[Located]) -> tuple[YamlMap | None, str, int] | None:
    """Read a Markdown file with front matter: (front-matter mapping, body, body's first line)."""
    text, found = read_text(root / relative)
    problems.extend(Located(relative, p) for p in found)
    if text is None:
        return None
    front, found = split_front_matter(text)
    problems.extend(Located(relative, p) for p in found)
    meta = None
    if front.yaml_text is not None:
        data, found = parse_yaml(front.yaml_text, front.yaml_line)
        problems.extend(Located(relative, p) for p in found)
        if data is None and not found:  # `---` then `---`: an empty mapping, so S001 names what is missing
            data = YamlMap()
            data.line, data.end_line, data.key_lines = front.yaml_line, front.yaml_line, {}
        meta = data if isinstance(data, YamlMap) else None
        if data is not None and meta is None:
            problems.append(
                Located(
                    relative,
                    Problem("F007", front.yaml_line, "Front matter must be 'key: value' lines", "Write 'title: …'."),
                )
            )
    return meta, front.body, front.body_line


def load_chapter(root: Path, relative: str, problems: list[Located]) -> Chapter | None:
    read = load_markdown(root, relative, problems)
    if read is None:
        return None
    meta, body, body_line = read
    fields: dict[str, Any] = meta if meta is not None else {}
    return Chapter(
        id=Path(relative).stem,
        path=relative,
        title=_text(fields.get("title")),
        authors=_texts(fields.get("authors")),
        body=body,
        body_line=body_line,
        meta=meta,
        section=_text(fields.get("section")),
        subtitle=_text(fields.get("subtitle")),
    )


def _chapter_files(root: Path, problems: list[Located]) -> tuple[list[str], list[str]]:
    """Markdown files in chapters/ (sorted) and the other files found there."""
    folder = root / CHAPTERS_DIR
    if not folder.is_dir():
        return [], []
    markdown: list[str] = []
    stray: list[str] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        relative = f"{CHAPTERS_DIR}/{entry.name}"
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and inside(root, relative) is None:
            problems.append(
                Located(
                    relative, Problem("F001", None, "File is a link to outside the book", "Commit the file itself.")
                )
            )
        elif entry.suffix == ".md" and entry.is_file():
            markdown.append(relative)
        else:
            stray.append(relative)
    return markdown, stray


def load_book(root: Path, reuse: Book | None = None, unchanged: frozenset[str] = frozenset()) -> Book:
    """Read the book at `root`. Raises AnthologyError only when there is no book to read.

    With `reuse` (an earlier load of the same book), the chapters whose paths are in `unchanged`
    are taken from it instead of being read again, with what was scanned and measured of them
    (`anthology preview` reads the book again after every save).
    """
    settings, problems = read_settings(root)

    authors_raw = None
    authors: dict[str, Author] = {}
    if (root / AUTHORS_FILE).is_file():
        authors_raw = _top_mapping(_read_yaml_file(root, AUTHORS_FILE, problems), AUTHORS_FILE, problems)
        authors = load_authors(authors_raw) if authors_raw is not None else {}
    else:
        problems.append(
            Located(
                AUTHORS_FILE,
                Problem("F001", None, f"{AUTHORS_FILE} is missing", "Create it with one entry per contributor."),
            )
        )

    paths, stray = _chapter_files(root, problems)
    kept: dict[str, Chapter] = {}
    if reuse is not None:
        kept = {c.path: c for c in reuse.chapters if c.path in unchanged}
        problems.extend(located for located in reuse.problems if located.path in kept)
    chapters = tuple(c for p in paths if (c := kept.get(p) or load_chapter(root, p, problems)) is not None)

    def pages(names: tuple[str, ...]) -> tuple[Page, ...]:
        result = []
        for name in names:
            if inside(root, name) is None or not (root / name).is_file():
                continue  # reported by rule B004
            read = load_markdown(root, name, problems)
            if read is not None:
                meta, body, body_line = read
                title = _text(meta.get("title")) if meta is not None else None
                result.append(Page(name, title, body, body_line, meta))
        return tuple(result)

    return Book(
        root=root,
        settings=settings,
        authors=authors,
        chapters=chapters,
        front=pages(settings.front) if settings else (),
        back=pages(settings.back) if settings else (),
        problems=tuple(problems),
        stray_files=tuple(stray),
        authors_raw=authors_raw,
    )
