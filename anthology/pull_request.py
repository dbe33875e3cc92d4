"""check-pr: a pull request touches only its author's own files, and what it touches validates.

Ownership (see `ownership`) is judged between the merge base and the head: findings get the R
codes documented in `CODES`. Then the head is validated, keeping what concerns the touched
chapters and their authors' entries (and the whole book after changes to book.yaml, front/ or
back/). Both go out as one `Report`, through the same reporters as `validate`.

Editors are the GitHub logins under `maintainers:` in the *base* book.yaml, so a pull request
cannot appoint its own author; an editor may change anything.
"""

from __future__ import annotations

import inspect
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalogue import register
from .diagnostics import Code, Diagnostic, Report, Severity
from .model import AUTHORS_FILE, BOOK_FILE, Book
from .ownership import Front, Judge, Touch, changed_ids, kind, read_front, read_mapping
from .rules.registry import Finding
from .sources import YamlMap

if TYPE_CHECKING:
    from .gitutil import Repository

# --- the codes ----------------------------------------------------------------------------------


CODES: dict[str, Code] = {}


def _code(code: str, name: str, doc: str) -> None:
    """Document `code`; the first line of `doc` is its summary. The catalogue refuses a code used twice."""
    entry = Code(code, name, Severity.ERROR, inspect.cleandoc(doc))
    register(entry)
    CODES[code] = entry


_code(
    "R001",
    "chapter-not-yours",
    """
    A pull request changes, adds, renames or deletes a chapter that does not list its author.

    A chapter belongs to the authors named in its `authors:` front matter, and an author to the
    GitHub login in their `github:` entry in authors.yaml. A chapter you change or rename must
    list you before and after the change; a new chapter must list you; a chapter you delete must
    have listed you. Change only your own chapter; to work on someone else's, ask them to add
    you to its `authors:`, or ask an editor.
    """,
)
_code(
    "R002",
    "entry-not-yours",
    """
    A pull request changes, adds or removes someone else's entry in authors.yaml.

    Each entry belongs to the GitHub login in its `github:` key (as it was before the pull
    request). You may edit your own entry and add a new entry whose `github:` is your login.
    Entries are compared as data, so moving lines or editing comments is not a change.
    """,
)
_code(
    "R003",
    "editor-file",
    """
    A pull request changes a file that only the editors may change.

    book.yaml, front/ and back/ pages, .github/ workflows, the tool's own code and every file
    that is neither a chapter, authors.yaml nor a picture belong to the editors: the GitHub
    logins listed under `maintainers:` in book.yaml. Ask an editor to make the change.
    """,
)
_code(
    "R004",
    "image-not-yours",
    """
    A pull request adds, changes or deletes a picture in images/ that is not (only) yours.

    A picture may be added or changed by an author whose chapter (or `photo:`) in the pull
    request uses it, and deleted by an author whose chapter used it, as long as no one else's
    chapter or photo uses it. Reference the picture from your chapter as
    `![Description](images/name.png)`, or ask an editor.
    """,
)
_code(
    "R005",
    "ownership-unreadable",
    """
    authors.yaml cannot be read before or after the pull request, so its changes cannot be judged.

    Fix the YAML (the validation report shows where) so that check-pr can tell whose entries
    changed.
    """,
)


# --- who is asking ---------------------------------------------------------------------------------


def login_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The pull request's author in GitHub Actions: the event's `pull_request.user.login`, else
    `GITHUB_ACTOR` (who triggered the run, which for a re-run may be an editor)."""
    environ = os.environ if environ is None else environ
    event_path = environ.get("GITHUB_EVENT_PATH")
    if event_path:
        try:
            event = json.loads(Path(event_path).read_text(encoding="utf-8"))
            login = event["pull_request"]["user"]["login"]
            if isinstance(login, str) and login.strip():
                return login.strip()
        except (OSError, ValueError, KeyError, TypeError):
            pass
    actor = environ.get("GITHUB_ACTOR", "").strip()
    return actor or None


# --- the check ---------------------------------------------------------------------------------------


def touches(changes: Iterable[Any]) -> Iterator[Touch]:
    """(kind, path before, path after) per changed file; a rename across kinds is a deletion and an addition."""
    for change in changes:
        if change.status == "R":
            old_kind, new_kind = kind(change.old_path), kind(change.path)
            if old_kind == new_kind and old_kind in ("chapter", "image"):
                yield old_kind, change.old_path, change.path
            else:
                yield old_kind, change.old_path, None
                yield new_kind, None, change.path
        else:
            before = None if change.status == "A" else change.path
            yield kind(change.path), before, None if change.status == "D" else change.path


BOOK_WIDE = (BOOK_FILE, "front/", "back/")  # editor changes after which the whole book is validated


def check_pull_request(root: Path, base: str, login: str, head: str = "HEAD") -> Report:
    """Ownership findings (R codes) and the head's validation of what the pull request touches."""
    from .gitutil import Repository

    with Repository(root) as repo, tempfile.TemporaryDirectory(prefix="anthology-pr-") as scratch:
        start = repo.merge_base(base, head)
        end = repo.resolve(head, "head")
        touched = list(touches(repo.diff(start, end)))
        book_root = root
        if end != repo.resolve("HEAD"):  # the working tree is another commit: validate the head's files
            book_root = Path(scratch)
            repo.export(end, book_root)
        return _check(repo, book_root, start, end, touched, login)


def _check(repo: Repository, book_root: Path, start: str, end: str, touches: list[Touch], login: str) -> Report:
    from .load import load_book

    book = load_book(book_root)
    changed_entries, findings = _ownership(repo, book, start, end, touches, login)
    report = _validation(book, touches, changed_entries)
    report.diagnostics.extend(
        Diagnostic(code, CODES[code].severity, f.path, f.line, f.message, f.hint) for code, f in findings
    )
    return report


def _ownership(
    repo: Repository, book: Book, start: str, end: str, touches: list[Touch], login: str
) -> tuple[list[str], list[tuple[str, Finding]]]:
    """The author ids whose entries changed, and the findings about files that are not `login`'s."""
    kinds = {k for k, _, _ in touches}
    base_entries = read_mapping(repo.file_at(start, AUTHORS_FILE))
    head_entries = read_mapping(repo.file_at(end, AUTHORS_FILE)) if "authors" in kinds else base_entries
    settings = read_mapping(repo.file_at(start, BOOK_FILE))  # the base's: a pull request cannot appoint editors
    listed = settings.get("maintainers") if settings is not None else None
    maintainers = tuple(m for m in listed if isinstance(m, str)) if isinstance(listed, list) else ()
    judge = Judge(login, base_entries or YamlMap(), head_entries or YamlMap(), maintainers)
    readable = base_entries is not None and head_entries is not None
    changed_entries = changed_ids(judge.base, judge.head) if readable else []
    if any(judge.me(m) for m in maintainers):
        return changed_entries, []  # an editor may change anything

    if not readable and kinds & {"chapter", "authors", "image"}:
        which = "before" if base_entries is None else "in"
        judge.report(
            "R005",
            AUTHORS_FILE,
            None,
            f"{AUTHORS_FILE} cannot be read {which} this pull request, so "
            "whose chapters and entries it changes cannot be told",
            f"Fix the YAML in {AUTHORS_FILE}.",
        )
    fronts: dict[tuple[str, str], Front | None] = {}  # ("base" | "head", path): each version of each touched chapter
    for k, before, after in touches:
        if k == "chapter" and before is not None:
            fronts["base", before] = read_front(repo.file_at(start, before))
        if k == "chapter" and after is not None:
            fronts["head", after] = read_front(repo.file_at(end, after))
    for k, before, after in touches:
        if k == "editor" or (k == "authors" and (before is None or after is None)):
            judge.editor_file(after or before or "")  # authors.yaml created, deleted or renamed: the editors' business
        elif k == "chapter" and base_entries is not None:
            judge.chapter(before, fronts.get(("base", before or "")), after, fronts.get(("head", after or "")))
        elif k == "authors" and readable:
            judge.entries()
    if "image" in kinds and base_entries is not None:
        judge.pictures(book, touches, fronts)
    return changed_entries, judge.findings


def _validation(book: Book, touches: list[Touch], changed_entries: list[str]) -> Report:
    """The head validated for the touched chapters and the authors whose entries changed
    (the whole book after a change to book.yaml, front/ or back/)."""
    from .validate import validate

    chapter_paths = {after for k, _, after in touches if k == "chapter" and after is not None}
    chapter_paths |= {c.path for a in changed_entries for c in book.chapters_by(a)}
    if any((before or after or "").startswith(BOOK_WIDE) for _, before, after in touches):
        return validate(book)
    report = validate(book, sorted(chapter_paths))
    covered = {a for c in book.chapters if c.path in chapter_paths for a in c.authors}
    uncovered = [book.authors[a] for a in changed_entries if a in book.authors and a not in covered]
    if uncovered:  # new authors without a chapter yet: their entries, which validate(only=…) cannot select
        report.diagnostics.extend(
            d
            for d in validate(book).diagnostics
            if d.path == AUTHORS_FILE and d.line is not None and any(a.line <= d.line <= a.end_line for a in uncovered)
        )
    return report
