"""Where the book stands, one row per author: chapter, words, bio, state and dates from git.

`gather(root)` reads the book and its git history; `collect(book, history)` builds the rows;
`render(fmt, status)` turns them into a terminal table, CSV, JSON or a GitHub Markdown table.
Emails are private and never appear in any format.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wcwidth import wcswidth, wcwidth

from .diagnostics import Diagnostic, Severity
from .markdown import scan
from .model import AUTHORS_FILE, Author, Book, Chapter
from .rules.limits import chapter_bound

MISSING, OVER, PROBLEMS, OK = "missing", "over", "problems", "ok"
LIMIT_CODES = frozenset({"L001", "L004"})  # over a limit: state `over`, not `problems`


@dataclass(frozen=True)
class ChapterCount:
    id: str
    path: str
    words: int
    limit: int | None  # limits.chapter_words.max, or the chapter's exception

    @property
    def over(self) -> bool:
        return self.limit is not None and self.words > self.limit


@dataclass(frozen=True)
class Row:
    author: str
    name: str
    github: str | None
    chapters: tuple[ChapterCount, ...]
    sections: tuple[str, ...]
    bio_words: int
    bio_limit: int | None
    state: str  # missing | over | problems | ok
    problems: int  # errors in the author's chapters and entry, limits included
    first: datetime | None  # first commit of any of the author's chapter files
    last: datetime | None  # last commit of any of them

    @property
    def bio_over(self) -> bool:
        return self.bio_limit is not None and self.bio_words > self.bio_limit


@dataclass(frozen=True)
class Totals:
    chapters_in: int
    chapters_expected: int  # chapters in, plus one for every author still without a chapter
    over: int  # chapters over their word limit
    bios_missing: int
    words: int

    def line(self) -> str:
        bios = "bio" if self.bios_missing == 1 else "bios"
        return (
            f"{self.chapters_in:,} of {self.chapters_expected:,} chapters in · {self.over:,} over the limit · "
            f"{self.bios_missing:,} {bios} missing · {self.words:,} {'word' if self.words == 1 else 'words'}"
        )


@dataclass(frozen=True)
class Status:
    rows: tuple[Row, ...]
    totals: Totals


def load_history(root: Path) -> Mapping[str, Any]:
    """Git history of the chapter files, or nothing when the book is not in a git repository."""
    from .errors import AnthologyError
    from .gitutil import history

    try:
        return history(root, ["chapters"])
    except AnthologyError:
        return {}


def gather(root: Path) -> Status:
    """The status of the book at `root`. Git walks the history in its own process while the book
    is read and validated, so the walk costs (almost) no extra time."""
    from concurrent.futures import ThreadPoolExecutor

    from .load import load_book

    with ThreadPoolExecutor(max_workers=1) as pool:
        dates = pool.submit(load_history, root)
        book = load_book(root)
        return collect(book, dates.result())


def _bio(author: Author) -> str | None:
    bio = author.raw.get("bio") if isinstance(author.raw, dict) else None
    return bio if isinstance(bio, str) else None


def _errors_by_author(book: Book, diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    """Errors concerning each author: in one of their chapters, or inside their authors.yaml entry."""
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        if d.severity is Severity.ERROR:
            by_path[d.path].append(d)
    result: dict[str, list[Diagnostic]] = defaultdict(list)
    for chapter in book.chapters:
        for author_id in dict.fromkeys(chapter.authors):
            result[author_id].extend(by_path.get(chapter.path, ()))
    for d in by_path.get(AUTHORS_FILE, ()):
        if d.line is None:
            continue
        for author in book.authors.values():
            if author.line <= d.line <= author.end_line:
                result[author.id].append(d)
                break
    return result


def _count(book: Book, chapter: Chapter) -> ChapterCount:
    bound = chapter_bound(book, chapter, "max_words")
    return ChapterCount(chapter.id, chapter.path, chapter.words, bound.value if bound else None)


def collect(
    book: Book, history: Mapping[str, Any] | None = None, diagnostics: Iterable[Diagnostic] | None = None
) -> Status:
    """One row per author in authors.yaml order. Validates the book once unless given its diagnostics."""
    if diagnostics is None:
        from .validate import validate

        diagnostics = validate(book).diagnostics
    history = history or {}
    errors = _errors_by_author(book, diagnostics)
    counts = {c.id: _count(book, c) for c in book.chapters}
    chapters_of: dict[str, list[Chapter]] = defaultdict(list)
    for chapter in book.chapters:
        for author_id in dict.fromkeys(chapter.authors):
            chapters_of[author_id].append(chapter)
    bio_limit = book.limits.bio_max
    rows = []
    for author in book.authors.values():
        own = chapters_of.get(author.id, [])
        bio = _bio(author)
        bio_words = scan(bio).words if bio else 0
        found = errors.get(author.id, [])
        chapter_counts = tuple(counts[c.id] for c in own)
        dates = [history[c.path] for c in own if c.path in history]
        if not own:
            state = MISSING
        elif any(c.over for c in chapter_counts) or (bio_limit is not None and bio_words > bio_limit):
            state = OVER
        elif any(d.code not in LIMIT_CODES for d in found):
            state = PROBLEMS
        else:
            state = OK
        rows.append(
            Row(
                author=author.id,
                name=author.name or "",
                github=author.github,
                chapters=chapter_counts,
                sections=tuple(dict.fromkeys(c.section for c in own if c.section)),
                bio_words=bio_words,
                bio_limit=bio_limit,
                state=state,
                problems=len(set(found)),
                first=min((h.first for h in dates), default=None),
                last=max((h.last for h in dates), default=None),
            )
        )
    totals = Totals(
        chapters_in=len(book.chapters),
        chapters_expected=len(book.chapters) + sum(1 for r in rows if r.state == MISSING),
        over=sum(1 for c in counts.values() if c.over),
        bios_missing=sum(1 for a in book.authors.values() if not (_bio(a) or "").strip()),
        words=sum(c.words for c in counts.values()),
    )
    return Status(tuple(rows), totals)


def select(status: Status, missing: bool = False, problems: bool = False, author: str | None = None) -> Status:
    """Rows kept by the filters: --missing, --problems (over a limit or other errors), --author ID."""
    states = ({MISSING} if missing else set()) | ({OVER, PROBLEMS} if problems else set())
    rows = [r for r in status.rows if (not states or r.state in states) and (author is None or r.author == author)]
    return Status(tuple(rows), status.totals)


# --- output ----------------------------------------------------------------------------------------

HEADERS = ("Author", "Name", "Chapter", "Words", "Bio", "Section", "State", "First in", "Last change", "GitHub")
RIGHT = {3, 4}  # numeric columns, right-aligned in the table


def _ratio(value: int, limit: int | None) -> str:
    return f"{value:,}/{limit:,}" if limit is not None else f"{value:,}"


def _date(value: datetime | None) -> str:
    return value.date().isoformat() if value is not None else ""


def cells(row: Row) -> tuple[str, ...]:
    """The row as the table and Markdown formats show it."""
    return (
        row.author,
        row.name,
        ", ".join(c.id for c in row.chapters),
        ", ".join(_ratio(c.words, c.limit) for c in row.chapters),
        _ratio(row.bio_words, row.bio_limit),
        ", ".join(row.sections),
        row.state,
        _date(row.first),
        _date(row.last),
        row.github or "",
    )


def width(text: str) -> int:
    """Terminal cells `text` takes, as terminals count them (wcwidth): wide CJK characters two,
    combining marks, Devanagari vowel signs and joiners none; control characters none."""
    cells = wcswidth(text)
    return cells if cells >= 0 else sum(max(wcwidth(ch), 0) for ch in text)


def _table(status: Status) -> str:
    """Columns padded to their widest cell in terminal cells, so every line is as wide as the rule."""
    grid = [HEADERS, *(cells(r) for r in status.rows)]
    widths = [max(width(line[i]) for line in grid) for i in range(len(HEADERS))]

    def line(values: tuple[str, ...]) -> str:
        padded = [
            " " * (w - width(v)) + v if i in RIGHT else v + " " * (w - width(v))
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(padded)

    lines = [line(HEADERS), "  ".join("-" * w for w in widths), *(line(c) for c in grid[1:])]
    return "\n".join(lines) + "\n\n" + status.totals.line() + "\n"


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or " "


def _markdown(status: Status) -> str:
    lines = [
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---:" if i in RIGHT else "---" for i in range(len(HEADERS))) + "|",
        *("| " + " | ".join(_markdown_cell(c) for c in cells(r)) + " |" for r in status.rows),
    ]
    return "\n".join(lines) + "\n\n" + status.totals.line() + "\n"


def _csv(status: Status) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "author",
            "name",
            "chapters",
            "words",
            "word_limits",
            "bio_words",
            "bio_limit",
            "sections",
            "state",
            "problems",
            "first_submitted",
            "last_changed",
            "github",
        ]
    )
    for r in status.rows:
        writer.writerow(
            [
                r.author,
                r.name,
                " ".join(c.id for c in r.chapters),
                " ".join(str(c.words) for c in r.chapters),
                " ".join("" if c.limit is None else str(c.limit) for c in r.chapters),
                r.bio_words,
                "" if r.bio_limit is None else r.bio_limit,
                " ".join(r.sections),
                r.state,
                r.problems,
                _date(r.first),
                _date(r.last),
                r.github or "",
            ]
        )
    return out.getvalue()


def _json(status: Status) -> str:
    document = {
        "authors": [
            {
                "id": r.author,
                "name": r.name,
                "github": r.github,
                "chapters": [{"id": c.id, "path": c.path, "words": c.words, "limit": c.limit} for c in r.chapters],
                "sections": list(r.sections),
                "bio": {"words": r.bio_words, "limit": r.bio_limit},
                "state": r.state,
                "problems": r.problems,
                "first_submitted": r.first.isoformat() if r.first else None,
                "last_changed": r.last.isoformat() if r.last else None,
            }
            for r in status.rows
        ],
        "totals": {
            "chapters_in": status.totals.chapters_in,
            "chapters_expected": status.totals.chapters_expected,
            "over": status.totals.over,
            "bios_missing": status.totals.bios_missing,
            "words": status.totals.words,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, Callable[[Status], str]] = {"table": _table, "csv": _csv, "json": _json, "markdown": _markdown}


def render(fmt: str, status: Status) -> str:
    """The status in format `fmt` (one of FORMATS), ending with a newline."""
    try:
        return FORMATS[fmt](status)
    except KeyError:
        raise ValueError(f"unknown status format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
