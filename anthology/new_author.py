"""A new contributor: an entry appended to authors.yaml and a chapter stub in chapters/.

authors.yaml belongs to hundreds of people and is full of their comments, so it is never
rewritten: the new entry is appended as text, after every existing byte, and the result is
parsed again before it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import click

from .identifiers import is_id, slugify
from .load import read_settings
from .model import AUTHORS_FILE, BOOK_FILE, CHAPTERS_DIR, Settings
from .new_book import yaml_quote
from .rules.ids import closest, not_an_id, slug_example
from .sources import Problem, YamlMap, decode, parse_yaml, read_text

GITHUB_LOGIN = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}")


class Refused(click.ClickException):
    """The book was read, but the request cannot be carried out as asked (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message if hint is None else f"{message}\n  hint: {hint}")


@dataclass(frozen=True)
class Added:
    author_id: str
    entry_line: int  # line of the id in authors.yaml
    chapter: str  # POSIX path relative to the root
    notes: tuple[str, ...] = ()


def _refuse_problems(name: str, problems: list[Problem]) -> None:
    if problems:
        first = problems[0]
        where = f"{name}:{first.line}" if first.line else name
        raise Refused(f"{where}: {first.message}", f"{first.hint} Fix {name} first; nothing was changed.".strip())


def book_settings(root: Path) -> Settings:
    """book.yaml as the loader reads it, or a located refusal when it cannot be read."""
    settings, problems = read_settings(root)
    _refuse_problems(BOOK_FILE, [located.problem for located in problems])
    if settings is None:  # not reached: the loader reports an unreadable book.yaml as a problem
        raise Refused(f"{BOOK_FILE} cannot be read", "Fix book.yaml first; nothing was changed.")
    return settings


def entry_text(author_id: str, name: str, github: str | None, bio_max: int | None, newline: str) -> str:
    """The new entry as YAML lines, values double-quoted."""
    limit = f" (at most {bio_max} words)" if bio_max else ""
    lines = [
        f"{author_id}:",
        f"  name: {yaml_quote(name)}",
        f"  bio: {yaml_quote(f'TODO: one short paragraph about you{limit}.')}",
    ]
    if github:
        lines.append(f"  github: {yaml_quote(github)}")
    return newline.join(lines) + newline


def chapter_stub(author_id: str, section: str | None, settings: Settings) -> str:
    """A chapter file that is plainly a stub: a placeholder title and a reminder of the limits."""
    limits = settings.limits
    if limits.chapter_min and limits.chapter_max:
        length = f"between {limits.chapter_min} and {limits.chapter_max} words"
    elif limits.chapter_max:
        length = f"at most {limits.chapter_max} words"
    elif limits.chapter_min:
        length = f"at least {limits.chapter_min} words"
    else:
        length = "as long as the editors asked for"
    front = ["---", f"title: {yaml_quote('TODO: the title of your chapter')}", f"authors: [{author_id}]"]
    if section:
        front.append(f"section: {yaml_quote(section)}")
    front.append("---")
    body = (
        f"TODO: replace this paragraph with your chapter, {length} (the title does not count). "
        "Separate paragraphs with an empty line; write *italic* and **bold** with stars and "
        "links as [text](https://example.org). No HTML, and pictures only from the book's images folder. "
        "Then run `anthology validate`, or open your pull request and read the check's messages."
    )
    return "\n".join(front) + "\n\n" + body + "\n"


def check_request(
    author_id: str, name: str, section: str | None, github: str | None, settings: Settings
) -> tuple[str | None, list[str]]:
    """Refuse a malformed id, login or section; return the cleaned login and notes for the user."""
    if not is_id(author_id):
        fallback = slug_example(name) if not slugify(author_id) else slug_example(author_id)
        raise Refused(not_an_id("Author id", author_id), f"Use {fallback} instead.")
    if not name.strip():
        raise Refused("The name is empty", 'Give the name as it should be printed: --name "Jane Doe".')
    if github is not None:
        github = github.strip().removeprefix("@")
        if not GITHUB_LOGIN.fullmatch(github):
            raise Refused(
                f"'{github}' is not a GitHub login",
                "A login has letters, digits and single hyphens, e.g. --github janedoe (without 'https://github.com/').",
            )
    notes: list[str] = []
    ids = [s.id for s in settings.sections]
    if section is not None and section not in ids:
        if not ids:
            raise Refused(f"Section '{section}' is given, but {BOOK_FILE} declares no sections", "Leave out --section.")
        guess = closest(section, ids)
        mean = f"Did you mean '{guess}'? " if guess else ""
        raise Refused(f"Section '{section}' is not in {BOOK_FILE}", f"{mean}Sections: {', '.join(ids)}.")
    if section is None and ids:
        notes.append(f"The book has sections ({', '.join(ids)}): add 'section: …' to the chapter's front matter.")
    return github, notes


def add_author(root: Path, author_id: str, name: str, section: str | None = None, github: str | None = None) -> Added:
    """Append `author_id` to authors.yaml and write chapters/<author_id>.md, or refuse (nothing written)."""
    settings = book_settings(root)
    github, notes = check_request(author_id, name, section, github, settings)
    authors_path = root / AUTHORS_FILE
    chapter_rel = f"{CHAPTERS_DIR}/{author_id}.md"
    chapter_path = root / chapter_rel

    original = authors_path.read_bytes() if authors_path.is_file() else b""
    text, problems = read_text(authors_path) if authors_path.is_file() else ("", [])
    _refuse_problems(AUTHORS_FILE, problems)
    data, problems = parse_yaml(text or "")
    _refuse_problems(AUTHORS_FILE, problems)
    if data is not None and not isinstance(data, YamlMap):
        raise Refused(f"{AUTHORS_FILE} must be a mapping from author ids to entries", "Fix authors.yaml first.")
    known = dict(data or {})
    if author_id in known:
        free = next(f"{author_id}-{n}" for n in range(2, 1000) if f"{author_id}-{n}" not in known)
        raise Refused(
            f"Author '{author_id}' is already in {AUTHORS_FILE} (line {data.line_of(author_id) if data else '?'})",
            f"If that is you, edit your entry there; otherwise choose another id, e.g. '{free}'.",
        )
    if chapter_path.exists() or chapter_path.is_symlink():
        raise Refused(
            f"{chapter_rel} already exists",
            "Choose another id, or add the author to that chapter's 'authors' list by hand.",
        )
    if github:
        owners = [key for key, entry in known.items() if isinstance(entry, dict) and entry.get("github") == github]
        if owners:
            notes.append(f"GitHub login '{github}' is also given for {', '.join(owners)}.")

    newline = b"\r\n" if b"\r\n" in original else b"\n"
    prefix = original
    if prefix and not prefix.endswith(b"\n"):
        prefix += newline
    if prefix.strip() and not prefix.endswith(newline * 2):
        prefix += newline  # a blank line between entries
    addition = entry_text(author_id, name, github, settings.limits.bio_max, newline.decode()).encode("utf-8")
    updated = prefix + addition
    check, problems = parse_yaml(decode(updated))
    entry = check.get(author_id) if isinstance(check, YamlMap) else None
    if problems or not isinstance(entry, YamlMap) or entry.get("name") != name or set(check) != {*known, author_id}:
        raise Refused(
            f"{AUTHORS_FILE} is not laid out as one 'id:' block per author, so a new entry cannot be added at its end",
            "Add the entry by hand (see the comments at the top of authors.yaml); nothing was changed.",
        )

    chapter_path.parent.mkdir(parents=True, exist_ok=True)
    with open(chapter_path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(chapter_stub(author_id, section, settings))
    with open(authors_path, "ab") as handle:
        handle.write(updated[len(original) :])
    return Added(author_id, check.line_of(author_id), chapter_rel, tuple(notes))
